// Drag and drop onto the upload form; without JavaScript the plain form works the same.
(function () {
  var form = document.getElementById("upload");
  var input = document.getElementById("file");
  if (!form || !input) return;
  var drop = form.querySelector(".drop");
  var chosen = document.getElementById("chosen");
  input.addEventListener("change", function () {
    if (chosen && input.files.length) chosen.textContent = "已选择：" + input.files[0].name;
  });
  ["dragenter", "dragover"].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (e) {
    if (!e.dataTransfer || !e.dataTransfer.files.length) return;
    input.files = e.dataTransfer.files;
    form.submit();
  });
})();
