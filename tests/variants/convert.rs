//! xls and ods variants: the xlsx written to a folder and converted by LibreOffice in one
//! `soffice --headless --convert-to` call per format.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether LibreOffice is here; without it the xls and ods variants are skipped with a
/// notice, unless `NIANBAO_RENDER_REQUIRED=1`.
pub fn soffice() -> Option<PathBuf> {
    let found = ["soffice", "libreoffice"].iter().find_map(|name| {
        let ok = Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success());
        ok.then(|| PathBuf::from(name))
    });
    if found.is_none() {
        assert!(
            std::env::var("NIANBAO_RENDER_REQUIRED").as_deref() != Ok("1"),
            "NIANBAO_RENDER_REQUIRED=1 but soffice is not installed"
        );
        eprintln!("variants: soffice not found, xls and ods variants skipped");
    }
    found
}

/// Converts every `*.xlsx` in `dir` to `ext` (`xls`, `ods`) in `dir/ext/`, in one call with
/// a profile of its own (so that it runs beside another LibreOffice).
pub fn convert(soffice: &Path, dir: &Path, files: &[PathBuf], ext: &str) -> PathBuf {
    let out = dir.join(ext);
    std::fs::create_dir_all(&out).expect("out dir");
    if files.is_empty() {
        return out;
    }
    let profile = dir.join(format!("profile-{ext}"));
    let status = Command::new(soffice)
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", ext, "--outdir"])
        .arg(&out)
        .args(files)
        .output()
        .expect("soffice runs");
    assert!(status.status.success(), "soffice --convert-to {ext}: {}", String::from_utf8_lossy(&status.stderr));
    out
}
