//! `--pdf`: a PDF/A-2b copy of each Word report, made by LibreOffice. LibreOffice is slow to
//! start (seconds), so the reports are queued and converted by one `soffice --convert-to`
//! call per chunk of files, with a profile of its own in a temporary folder so that it never
//! meets a LibreOffice the user has open. The PDF is an extra copy: when it cannot be made,
//! a warning names the report, and the Word report and the archive stay as they are.

use super::fsio::{write_renamed, Durability};
use super::EXIT_OK;
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Exit code when every input was converted without an error finding but a PDF could not
/// be made (the Word reports and archives are all written).
pub const EXIT_PDF: u8 = 3;

/// writer_pdf_Export with SelectPdfVersion 2: PDF/A-2b (ISO 19005-2, adopted as GB/T 23286),
/// which embeds every font.
const FILTER: &str = r#"pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}"#;

/// Files per LibreOffice start, and the command line's length: Windows allows 32,767
/// characters.
const CHUNK_FILES: usize = 400;
const CHUNK_CHARS: usize = 24_000;

/// How long one LibreOffice call may take before it is stopped: its start, then per file.
const TIMEOUT_START: Duration = Duration::from_secs(90);
const TIMEOUT_PER_FILE: Duration = Duration::from_secs(20);

/// Said when `--pdf` is asked for and LibreOffice is not there.
pub const INSTALL_HINT: &str = "生成 PDF 需要 LibreOffice，但没有找到 soffice。请安装 LibreOffice：\
Debian/Ubuntu 执行 sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk，\
Windows 或 macOS 从 https://www.libreoffice.org 下载安装；\
或用环境变量 NIANBAO_SOFFICE 指明 soffice 程序的路径。不加 --pdf 时只生成 Word 报告和归档工作簿。";

/// Where LibreOffice is, from `NIANBAO_SOFFICE`, else the PATH, else its usual install folders.
pub fn find_soffice() -> Result<PathBuf, String> {
    if let Some(v) = std::env::var_os("NIANBAO_SOFFICE").filter(|v| !v.is_empty()) {
        let p = PathBuf::from(v);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!("环境变量 NIANBAO_SOFFICE 指向的 {} 不存在或不是文件。{INSTALL_HINT}", p.display()))
        };
    }
    // On Windows soffice.com waits for the conversion; soffice.exe may return at once.
    let names: &[&str] = if cfg!(windows) { &["soffice.com", "soffice.exe"] } else { &["soffice", "libreoffice"] };
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)));
    let usual = [
        "/Applications/LibreOffice.app/Contents/MacOS/soffice",
        r"C:\Program Files\LibreOffice\program\soffice.com",
        r"C:\Program Files (x86)\LibreOffice\program\soffice.com",
        "/opt/libreoffice/program/soffice",
    ]
    .into_iter()
    .map(PathBuf::from);
    on_path.chain(usual).find(|p| p.is_file()).ok_or_else(|| INSTALL_HINT.to_string())
}

/// A `file://` URL for a local path, as LibreOffice's `-env:UserInstallation` wants it.
pub fn file_url(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut url = String::from("file://");
    if !s.starts_with('/') {
        // A Windows drive path: file:///C:/…
        url.push('/');
    }
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// The path of the Word report written for an output stem (which may hold dots).
pub fn docx_path(dir: &Path, stem: &Path) -> PathBuf {
    let mut p = dir.join(stem).into_os_string();
    p.push(".docx");
    PathBuf::from(p)
}

/// The PDF made beside a Word report.
pub fn pdf_path(docx: &Path) -> PathBuf {
    docx.with_extension("pdf")
}

/// Splits files into LibreOffice calls: each call writes into one folder, so no two files of
/// a call may share a stem (`a/报告.docx`, `b/报告.docx`); each call's command line is bounded.
pub fn chunks(files: &[PathBuf]) -> Vec<Vec<PathBuf>> {
    let mut out: Vec<(Vec<PathBuf>, HashSet<String>, usize)> = Vec::new();
    for f in files {
        let stem = f.file_stem().map(|s| s.to_string_lossy().to_lowercase()).unwrap_or_default();
        let len = f.as_os_str().len() + 3;
        let fits = |(files, stems, chars): &(Vec<PathBuf>, HashSet<String>, usize)| {
            files.len() < CHUNK_FILES && chars + len <= CHUNK_CHARS && !stems.contains(&stem)
        };
        match out.iter_mut().find(|c| fits(c)) {
            Some(c) => {
                c.0.push(f.clone());
                c.1.insert(stem);
                c.2 += len;
            }
            None => out.push((vec![f.clone()], HashSet::from([stem]), len)),
        }
    }
    out.into_iter().map(|c| c.0).collect()
}

/// Reports waiting for their PDF, and LibreOffice's temporary folder.
pub struct Pdf {
    soffice: PathBuf,
    durability: Durability,
    queue: Vec<PathBuf>,
    /// The temporary folder holding LibreOffice's profiles and output, made at first use.
    work: Option<PathBuf>,
    /// How many times LibreOffice was started, PDFs made, reports left without one.
    pub starts: usize,
    pub made: usize,
    pub failed: usize,
}

impl Pdf {
    /// `Some` when `--pdf` was given: LibreOffice is found now, before any conversion, or
    /// the command stops with how to install it.
    pub fn when(wanted: bool, durability: Durability) -> anyhow::Result<Option<Pdf>> {
        if !wanted {
            return Ok(None);
        }
        let soffice = find_soffice().map_err(anyhow::Error::msg)?;
        Ok(Some(Pdf { soffice, durability, queue: Vec::new(), work: None, starts: 0, made: 0, failed: 0 }))
    }

    /// Queues a Word report that has been written.
    pub fn add(&mut self, docx: PathBuf) {
        self.queue.push(docx);
    }

    /// Converts every queued report; returns the PDFs made. Each report left without a PDF
    /// gets a warning on stderr.
    pub fn flush(&mut self) -> Vec<PathBuf> {
        let queued = std::mem::take(&mut self.queue);
        if queued.is_empty() {
            return Vec::new();
        }
        let mut made = Vec::new();
        let mut left: Vec<(PathBuf, String)> = queued.into_iter().map(|d| (d, String::new())).collect();
        // A second call for what the first left: a crash or a time-out in one call loses
        // its whole chunk, and a fresh start usually gets through.
        for attempt in 0..2 {
            if left.is_empty() {
                break;
            }
            let files: Vec<PathBuf> = left.iter().map(|(d, _)| d.clone()).collect();
            left.clear();
            for chunk in chunks(&files) {
                match self.convert_chunk(&chunk, attempt) {
                    Ok(results) => {
                        for (docx, r) in chunk.into_iter().zip(results) {
                            match r {
                                Ok(pdf) => made.push(pdf),
                                Err(why) => left.push((docx, why)),
                            }
                        }
                    }
                    Err(why) => left.extend(chunk.into_iter().map(|d| (d, why.clone()))),
                }
            }
        }
        for (docx, why) in &left {
            eprintln!("警告：无法为 {} 生成 PDF（{why}），Word 报告和归档工作簿已照常生成", docx.display());
        }
        self.made += made.len();
        self.failed += left.len();
        made
    }

    /// The exit code after the PDFs: [`EXIT_PDF`] where all else went well but a PDF is missing.
    pub fn exit_code(&self, code: u8) -> u8 {
        if code == EXIT_OK && self.failed > 0 {
            EXIT_PDF
        } else {
            code
        }
    }

    fn work_dir(&mut self) -> Result<PathBuf, String> {
        if let Some(w) = &self.work {
            return Ok(w.clone());
        }
        let base = std::env::temp_dir();
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        for n in 0..100 {
            let dir = base.join(format!("nianbao-pdf-{}-{stamp}-{n}", std::process::id()));
            match fs::create_dir(&dir) {
                Ok(()) => {
                    self.work = Some(dir.clone());
                    return Ok(dir);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(format!("无法创建临时文件夹 {}：{e}", dir.display())),
            }
        }
        Err(format!("无法在 {} 中创建临时文件夹", base.display()))
    }

    /// One LibreOffice call over `chunk`; each file's PDF is then written beside its report
    /// under a temporary name and renamed.
    fn convert_chunk(&mut self, chunk: &[PathBuf], attempt: usize) -> Result<Vec<Result<PathBuf, String>>, String> {
        let work = self.work_dir()?;
        // A retry gets a fresh profile: a killed LibreOffice can leave its profile locked.
        let profile = work.join(format!("profile-{attempt}"));
        let out = work.join(format!("out-{}", self.starts));
        fs::create_dir_all(&out).map_err(|e| format!("无法创建临时文件夹 {}：{e}", out.display()))?;
        let log = work.join(format!("soffice-{}.log", self.starts));
        let log_file = fs::File::create(&log).map_err(|e| format!("无法创建 {}：{e}", log.display()))?;
        let log_err = log_file.try_clone().map_err(|e| format!("无法创建 {}：{e}", log.display()))?;
        let mut cmd = Command::new(&self.soffice);
        cmd.arg(format!("-env:UserInstallation={}", file_url(&profile)))
            .args(["--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault", "--nologo"])
            .arg("--convert-to")
            .arg(FILTER)
            .arg("--outdir")
            .arg(&out)
            .args(chunk)
            .stdin(Stdio::null())
            .stdout(log_file)
            .stderr(log_err);
        // Its own process group, so a time-out stops LibreOffice's helper processes too.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        self.starts += 1;
        let mut child = cmd.spawn().map_err(|e| format!("无法启动 {}：{e}", self.soffice.display()))?;
        let limit = TIMEOUT_START + TIMEOUT_PER_FILE * chunk.len() as u32;
        let started = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if started.elapsed() > limit => {
                    stop(&mut child);
                    break None;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(50)),
                Err(e) => return Err(format!("等待 LibreOffice 时出错：{e}")),
            }
        };
        let why = match status {
            None => format!("LibreOffice 超过 {} 秒未完成，已停止", limit.as_secs()),
            Some(s) if !s.success() => format!("LibreOffice 异常退出（{s}）{}", last_line(&log)),
            Some(_) => format!("LibreOffice 未输出该文件{}", last_line(&log)),
        };
        let results = chunk
            .iter()
            .map(|docx| {
                let stem = docx.file_stem().unwrap_or_default();
                let made = out.join(format!("{}.pdf", stem.to_string_lossy()));
                match fs::read(&made) {
                    Ok(bytes) if bytes.starts_with(b"%PDF") => {
                        let target = pdf_path(docx);
                        write_renamed(&target, &bytes, self.durability)
                            .map(|()| target)
                            .map_err(|e| format!("无法写入 {}：{e}", pdf_path(docx).display()))
                    }
                    _ => Err(why.clone()),
                }
            })
            .collect();
        let _ = fs::remove_dir_all(&out);
        Ok(results)
    }
}

impl Drop for Pdf {
    fn drop(&mut self) {
        if let Some(w) = &self.work {
            let _ = fs::remove_dir_all(w);
        }
    }
}

/// Stops a LibreOffice call that ran too long, with the processes it started.
fn stop(child: &mut std::process::Child) {
    #[cfg(unix)]
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: kill only sends a signal, to the process group this call created.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The last line LibreOffice printed, as `：…` for a message, or nothing.
fn last_line(log: &Path) -> String {
    let text = fs::read_to_string(log).unwrap_or_default();
    match text.lines().rev().map(str::trim).find(|l| !l.is_empty()) {
        Some(l) => format!("：{}", l.chars().take(200).collect::<String>()),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_escape_what_a_url_cannot_hold() {
        assert_eq!(file_url(Path::new("/tmp/nianbao-pdf-1/profile-0")), "file:///tmp/nianbao-pdf-1/profile-0");
        assert_eq!(file_url(Path::new("/home/张 三/p")), "file:///home/%E5%BC%A0%20%E4%B8%89/p");
        assert_eq!(file_url(Path::new(r"C:\Users\li\Temp\p")), "file:///C:/Users/li/Temp/p");
    }

    #[test]
    fn a_chunk_never_holds_two_reports_of_one_name() {
        let files: Vec<PathBuf> =
            ["a/报告.docx", "b/报告.docx", "a/其他.docx", "c/报告.DOCX"].iter().map(PathBuf::from).collect();
        let c = chunks(&files);
        assert_eq!(c.len(), 3);
        assert_eq!(c[0], [PathBuf::from("a/报告.docx"), PathBuf::from("a/其他.docx")]);
        assert_eq!(c[1], [PathBuf::from("b/报告.docx")]);
        assert_eq!(c[2], [PathBuf::from("c/报告.DOCX")]);
    }

    #[test]
    fn many_reports_share_a_start() {
        let files: Vec<PathBuf> = (0..1000).map(|i| PathBuf::from(format!("/out/第{i}号.docx"))).collect();
        let c = chunks(&files);
        assert_eq!(c.iter().map(Vec::len).collect::<Vec<_>>(), [400, 400, 200]);
        // A long path fills a chunk by the command line's length first.
        let long: Vec<PathBuf> = (0..300).map(|i| PathBuf::from(format!("/{}/{i}.docx", "长".repeat(40)))).collect();
        let c = chunks(&long);
        assert_eq!(c.iter().map(Vec::len).collect::<Vec<_>>(), [181, 119]);
        assert!(c.iter().all(|c| c.iter().map(|f| f.as_os_str().len() + 3).sum::<usize>() <= CHUNK_CHARS));
    }

    #[test]
    fn outputs_sit_beside_the_report() {
        assert_eq!(docx_path(Path::new("out"), Path::new("县/某局.2023")), PathBuf::from("out/县/某局.2023.docx"));
        assert_eq!(pdf_path(Path::new("out/某局.2023.docx")), PathBuf::from("out/某局.2023.pdf"));
    }
}
