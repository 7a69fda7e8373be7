//! File-system helpers: bounded reads, and writes to a temporary name renamed into place.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Workbooks larger than this are not read at all.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads an input file, refusing one that is too large to be a statistical workbook, and
/// anything that is not a regular file: opening a FIFO (or a link to one) would block.
/// A file [`read_input`] could not read, as every command reports it.
pub fn unreadable(name: &str, msg: String) -> nianbao::Error {
    nianbao::Error::read(name, nianbao::ReadError::File(msg))
}

pub fn read_input(path: &Path) -> Result<Vec<u8>, String> {
    read_input_weighed(path).map(|(bytes, _)| bytes)
}

/// [`read_input`], with what reading the bytes will cost in memory ([`Weight::cost`]), from
/// the one look at the package's directory that the shared-strings limit needs anyway.
pub fn read_input_weighed(path: &Path) -> Result<(Vec<u8>, u64), String> {
    // `metadata` follows symbolic links: a link to a FIFO is refused here, before any open.
    let meta = fs::metadata(path).map_err(|e| link_message(path, &e))?;
    if meta.is_dir() {
        return Err("这是一个文件夹，不是文件".into());
    }
    if !meta.is_file() {
        return Err(NOT_REGULAR.into());
    }
    let file = fs::File::open(path).map_err(|e| io_message(&e))?;
    let meta = file.metadata().map_err(|e| io_message(&e))?;
    if !meta.is_file() {
        return Err(NOT_REGULAR.into());
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(format!(
            "文件过大（{} MB），统计表不应超过 {} MB",
            meta.len() / 1_048_576,
            MAX_INPUT_BYTES / 1_048_576
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes).map_err(|e| io_message(&e))?;
    let Weight { strings, cost } = Weight::of(&bytes);
    // Above the reader's part limit (48 MB) the reader names the part as a likely zip bomb.
    if strings > MAX_SHARED_STRINGS && strings <= 48 * 1024 * 1024 {
        return Err(format!(
            "工作簿的文字内容过多（共享字符串解压后 {} MB，统计表不应超过 {} MB），请删除多余的文字后另存",
            strings / 1_048_576,
            MAX_SHARED_STRINGS / 1_048_576
        ));
    }
    Ok((bytes, cost))
}

/// The most shared-string text an xlsx may hold. Reading costs about 8.5 times it (a
/// narrative of 10 MB of text peaks at 85 MB), so this keeps one workbook under ~200 MB and
/// the 300 MB the hostile-input catalogue promises.
pub const MAX_SHARED_STRINGS: u64 = 24 * 1024 * 1024;

/// What a package's directory declares: its shared strings' size, and what reading it
/// costs in memory, roughly, in bytes of text (its sheets and shared strings expanded; a
/// file that is not a zip, its size). For bounding how many large files a batch holds at once.
struct Weight {
    strings: u64,
    cost: u64,
}

impl Weight {
    fn of(bytes: &[u8]) -> Weight {
        let size = bytes.len() as u64;
        let zip = bytes.starts_with(b"PK").then(|| zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()).flatten();
        match zip {
            Some(mut zip) => Weight::of_directory(&mut zip, size),
            None => Weight { strings: 0, cost: size },
        }
    }

    fn of_directory<R: std::io::Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>, size: u64) -> Weight {
        let (mut strings, mut cost) = (0u64, 0u64);
        for i in 0..zip.len() {
            if let Ok(e) = zip.by_index_raw(i) {
                let n = e.name();
                if n == "xl/sharedStrings.xml" {
                    strings = e.size();
                }
                if n.starts_with("xl/worksheets/") || n == "xl/sharedStrings.xml" || n == "content.xml" {
                    cost = cost.saturating_add(e.size());
                }
            }
        }
        Weight { strings, cost: cost.max(size) }
    }
}

/// What reading a file costs in memory, as [`read_input_weighed`] weighs it, from the
/// package directory on the disk: for a large file, before its bytes are held.
pub fn read_cost(path: &Path) -> u64 {
    let size = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let Ok(f) = fs::File::open(path) else { return size };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(f)) else { return size };
    Weight::of_directory(&mut zip, size).cost
}

/// Why a FIFO, socket or device under an input folder is skipped.
pub const NOT_REGULAR: &str = "不是普通文件（可能是命名管道、设备或套接字），已跳过";

/// Whether `path` (links followed) is something other than a regular file or a folder.
pub fn is_special(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| is_special_kind(&m))
}

/// [`is_special`] for metadata already taken.
pub fn is_special_kind(m: &fs::Metadata) -> bool {
    !m.is_file() && !m.is_dir()
}

/// Why `path` cannot be opened, naming a link's missing target: a link whose file was moved
/// or deleted (or not yet copied) says so, not only "not found".
fn link_message(path: &Path, e: &std::io::Error) -> String {
    match fs::read_link(path) {
        Ok(target) if e.kind() == std::io::ErrorKind::NotFound => {
            format!("这是一个链接，它指向的 {} 不存在（已被移动或删除？）", target.display())
        }
        _ => io_message(e),
    }
}

/// An I/O error in Chinese (see [`super::oserr`]).
pub fn io_message(e: &std::io::Error) -> String {
    super::oserr::kind_text(e)
}

/// A failed write in Chinese: the disk's or the folder's fault, not the department's.
pub fn write_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::StorageFull | K::QuotaExceeded => "磁盘空间不足".into(),
        K::ReadOnlyFilesystem => "输出位置是只读的".into(),
        K::PermissionDenied => "没有写入权限".into(),
        K::NotFound => "输出文件夹不存在".into(),
        K::InvalidFilename => "文件名过长或无效".into(),
        _ => super::oserr::kind_text(e),
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder, then renames,
/// so a reader never sees a half-written file. The data reaches the disk before the rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_renamed(path, bytes, Durability::Now)
}

/// When written data must be on the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Before the file is renamed into place: `convert`, `watch` (which then moves the input).
    Now,
    /// At a later [`sync_folder`]: `batch`, where an fsync per file would cost a disk's
    /// milliseconds thousands of times over. Renaming still means no half-written file.
    Later,
}

/// A temporary name beside `path`, unique to this process and call: `.<name>.<pid>-<n>.tmp`.
/// The pid lets [`remove_stale_temporaries`] leave a running process's files alone.
fn temp_path(path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(name_text).unwrap_or_default();
    // Long names are cut (on a character boundary) so the temporary name stays under 255 bytes.
    let mut short = String::new();
    for c in name.chars() {
        if short.len() + c.len_utf8() > 200 {
            break;
        }
        short.push(c);
    }
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(".{short}.{}-{n}.tmp", std::process::id()))
}

/// Writes `bytes` to a fresh temporary name beside `path`; the caller renames it.
fn write_temp(path: &Path, bytes: &[u8], durability: Durability) -> std::io::Result<PathBuf> {
    let tmp = temp_path(path);
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if durability == Durability::Now || !super::platform::SYNC_FS_COVERS_FILES {
            f.sync_all()?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// [`write_atomic`] with a choice of when the data is flushed.
pub fn write_renamed(path: &Path, bytes: &[u8], durability: Durability) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let tmp = write_temp(path, bytes, durability)?;
    let result = fs::rename(&tmp, path);
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Writes `bytes` to `path` only if nothing is there: through a temporary file, then a hard
/// link, which fails when the name exists, so a file another process wrote in the meantime
/// is never replaced (`AlreadyExists`). Where the file system has no hard links (some
/// shares), the name is checked and the temporary renamed.
pub fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let tmp = write_temp(path, bytes, Durability::Now)?;
    let result = match fs::hard_link(&tmp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
        Err(_) if path.exists() => Err(std::io::ErrorKind::AlreadyExists.into()),
        Err(_) => return fs::rename(&tmp, path).inspect_err(|_| drop(fs::remove_file(&tmp))),
    };
    let _ = fs::remove_file(&tmp);
    result
}

/// Where the output folder's lock is taken on systems that cannot lock a folder itself
/// (Windows); see [`Lock::folder`].
#[cfg(not(unix))]
pub const OUTPUT_LOCK: &str = ".nianbao.lock";

/// An exclusive lock on a file, held until dropped (`std::fs::File::lock`: flock on Unix,
/// LockFileEx on Windows; released by the system if the process dies).
pub struct Lock(#[allow(dead_code)] fs::File);

impl Lock {
    fn open(path: &Path) -> std::io::Result<fs::File> {
        fs::OpenOptions::new().create(true).truncate(false).read(true).write(true).open(path)
    }

    /// Waits for the lock.
    pub fn wait(path: &Path) -> std::io::Result<Lock> {
        let f = Lock::open(path)?;
        f.lock()?;
        Ok(Lock(f))
    }

    /// The lock every nianbao takes on an output folder while it renames a report's pair of
    /// outputs into place, so two processes writing the same names never leave a mixed
    /// pair. On Unix the folder itself is locked (no file is left in it); elsewhere a
    /// lock file in it, `.nianbao.lock`.
    pub fn folder(dir: &Path) -> std::io::Result<Lock> {
        #[cfg(unix)]
        {
            let f = fs::File::open(dir)?;
            f.lock()?;
            Ok(Lock(f))
        }
        #[cfg(not(unix))]
        {
            Lock::wait(&dir.join(OUTPUT_LOCK))
        }
    }

    /// The lock if it is free now, `None` if another process holds it.
    pub fn try_take(path: &Path) -> std::io::Result<Option<Lock>> {
        let f = Lock::open(path)?;
        match f.try_lock() {
            Ok(()) => Ok(Some(Lock(f))),
            Err(fs::TryLockError::WouldBlock) => Ok(None),
            Err(fs::TryLockError::Error(e)) => Err(e),
        }
    }
}

/// Removes the temporary files a killed nianbao left in `dir`: those of a process that no
/// longer runs, or older than an hour. Another running nianbao's are left alone.
pub fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let n = name_text(&e.file_name());
        let Some(tag) = n.strip_prefix('.').and_then(|r| r.strip_suffix(".tmp")).and_then(|r| r.rsplit_once('.'))
        else {
            continue;
        };
        let pid = tag.1.split('-').next().and_then(|p| p.parse::<u32>().ok());
        let old = e
            .metadata()
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > std::time::Duration::from_secs(3600));
        let orphan = match pid {
            Some(pid) if pid == std::process::id() => false,
            Some(pid) => !process_alive(pid),
            None => true,
        };
        if orphan || old {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// Whether a process with this id runs. On Unix `kill(pid, 0)`; elsewhere unknown, so
/// "yes" (a stale temporary is then removed once it is an hour old).
fn process_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
        // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Flushes the whole file system holding `dir` to disk: what [`Durability::Later`] left.
/// Elsewhere than Linux each file was synced when written.
pub fn sync_folder(dir: &Path) -> std::io::Result<()> {
    super::platform::sync_filesystem(dir)
}

/// The file name shown in messages and carried in the report.
pub fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), name_text)
}

/// A name as text. Names that are not UTF-8 (GBK names from Windows zip tools) are decoded
/// as GBK, or else have each undecodable byte written `%XX`: never `�`, so two names never
/// become one.
pub fn name_text(name: &std::ffi::OsStr) -> String {
    if let Some(s) = name.to_str() {
        return s.to_string();
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = name.as_bytes();
        if let Some(s) = encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(bytes) {
            return s.into_owned();
        }
        let mut out = String::new();
        for chunk in bytes.utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        // Windows names are UTF-16; only unpaired surrogates land here.
        name.to_string_lossy().replace('\u{FFFD}', "%3F")
    }
}

/// A relative path as text with `/` separators, each part through [`name_text`].
pub fn path_text(rel: &Path) -> String {
    rel.components().map(|c| name_text(c.as_os_str())).collect::<Vec<_>>().join("/")
}

/// Text for a terminal: control characters (BEL, ESC, …) from a file or its name written
/// as `\u{7}`, so they cannot ring, clear or recolour the terminal.
pub fn printable(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    s.chars().map(|c| if c.is_control() { c.escape_unicode().to_string() } else { c.to_string() }).collect()
}

/// Characters Windows shares refuse in a name.
const FORBIDDEN: &[char] = &['/', '\\', ':', '*', '?', '"', '<', '>', '|'];

/// Longest output stem: 100 characters (Windows counts UTF-16 units up to 255) and 180
/// bytes (Linux counts UTF-8 bytes up to 255; room for `（2）.docx` and the temporary name).
const MAX_STEM_CHARS: usize = 100;
const MAX_STEM_BYTES: usize = 180;

/// A file stem that is safe on any share: no separators or reserved characters, no
/// leading dots, no trailing dots or blanks, not a device name, bounded length.
pub fn sanitize(name: &str) -> String {
    let mapped: String = name.chars().map(|c| if FORBIDDEN.contains(&c) || c.is_control() { '_' } else { c }).collect();
    let mut cut = String::new();
    for c in mapped.trim().trim_start_matches('.').chars().take(MAX_STEM_CHARS) {
        if cut.len() + c.len_utf8() > MAX_STEM_BYTES {
            break;
        }
        cut.push(c);
    }
    let cleaned = cut.trim_end_matches(['.', ' ']).to_string();
    // Windows reserves device names with any extension: `CON`, `con.备份`, `COM1`.
    let base = cleaned.split('.').next().unwrap_or("").trim_end().to_ascii_uppercase();
    let reserved = ["CON", "PRN", "AUX", "NUL"].contains(&base.as_str())
        || ((base.starts_with("COM") || base.starts_with("LPT"))
            && base.len() == 4
            && base.as_bytes()[3].is_ascii_digit());
    if cleaned.is_empty() || reserved {
        format!("_{cleaned}")
    } else {
        cleaned
    }
}

/// The input's stem, made safe for an output name.
pub fn safe_stem(path: &Path) -> String {
    sanitize(&path.file_stem().map(name_text).unwrap_or_default())
}

/// The one naming rule for everything nianbao writes beside other outputs (reports, archives,
/// reply drafts; `convert`, `batch`, `check --annotate` and `watch`): `name` itself, else
/// `name（2）`, `name（3）`… — the first that `taken` says is free. A clerk reads the number as
/// "the second one".
pub fn free_name(name: &str, mut taken: impl FnMut(&str) -> bool) -> String {
    if !taken(name) {
        return name.to_string();
    }
    let mut n = 2u64;
    loop {
        let candidate = format!("{name}（{n}）");
        if !taken(&candidate) {
            return candidate;
        }
        n += 1;
    }
}

/// Output stems for inputs written into one folder: each input's safe stem, and where two
/// would be the same (case-insensitive: `A/统计表.xlsx` and `B/统计表.xlsx`, `x.xls` and
/// `x.xlsx`), `（2）`, `（3）`… after the later ones ([`free_name`]), so no output replaces another.
pub fn distinct_stems(paths: &[PathBuf]) -> Vec<String> {
    let mut used = std::collections::HashSet::new();
    paths.iter().map(|p| free_name(&safe_stem(p), |c| !used.insert(c.to_lowercase()))).collect()
}

/// Reads every `*.j2` file of a folder as a template override.
pub fn load_templates(dir: &Path) -> anyhow::Result<nianbao::write::narrative::Templates> {
    let mut overrides = Vec::new();
    let entries =
        fs::read_dir(dir).map_err(|e| anyhow::anyhow!("无法读取模板文件夹 {}：{}", dir.display(), io_message(&e)))?;
    for entry in entries.flatten() {
        let p = entry.path();
        if p.extension().is_some_and(|e| e == "j2") {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let text = fs::read_to_string(&p)
                .map_err(|e| anyhow::anyhow!("无法读取模板 {}：{}", p.display(), io_message(&e)))?;
            overrides.push((name, text));
        }
    }
    Ok(nianbao::write::narrative::Templates::new(overrides))
}

/// Writes a conversion's two outputs, `<stem>.docx` and `<stem>.xlsx`, as a pair: both are
/// written to temporary names first (a full disk fails here, leaving neither), then renamed
/// under the folder's lock ([`Lock::folder`]), so another nianbao writing the same names never
/// leaves the Word report of one input beside the archive of another. If the second rename
/// fails the first output is removed again: both present or both absent.
pub fn write_outputs(
    dir: &Path,
    stem: &str,
    c: &nianbao::convert::Converted,
    durability: Durability,
) -> std::io::Result<(PathBuf, PathBuf)> {
    let docx = dir.join(format!("{stem}.docx"));
    let xlsx = dir.join(format!("{stem}.xlsx"));
    fs::create_dir_all(dir)?;
    let tmp_docx = write_temp(&docx, &c.docx, durability)?;
    let tmp_xlsx = match write_temp(&xlsx, &c.archive, durability) {
        Ok(t) => t,
        Err(e) => {
            let _ = fs::remove_file(&tmp_docx);
            return Err(e);
        }
    };
    let renamed = (|| {
        let _lock = Lock::folder(dir)?;
        fs::rename(&tmp_docx, &docx)?;
        if let Err(e) = fs::rename(&tmp_xlsx, &xlsx) {
            let _ = fs::remove_file(&docx);
            return Err(e);
        }
        Ok(())
    })();
    if let Err(e) = renamed {
        let _ = fs::remove_file(&tmp_docx);
        let _ = fs::remove_file(&tmp_xlsx);
        return Err(e);
    }
    Ok((docx, xlsx))
}

/// A workbook nianbao wrote, recognised by its custom document property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Own {
    /// An archive workbook (`nianbao版本`): one agency's report, read back when named.
    Archive,
    /// A batch's 汇总.xlsx (`nianbao汇总`): the sums of many agencies, never one report.
    Summary,
    /// A Word report nianbao wrote (`<Application>nianbao` in its properties, gone once
    /// Word saves it): a published report when named, a batch's own output in a folder.
    Report,
    /// The PDF `--pdf` made of such a report through LibreOffice (`made_by_nianbao`):
    /// likewise read when named, skipped in a folder.
    Pdf,
}

/// Why `convert` and `check` refuse a 汇总.xlsx named on the command line.
pub const SUMMARY_NOT_A_REPORT: &str = "这是 nianbao 生成的汇总表（多个机关的合计），不是一个机关的统计表";

impl Own {
    /// Why `batch` and `watch` leave it among the files of a folder they scan: it is their
    /// own output, and would otherwise be converted again on every run.
    pub fn skip_reason(self) -> &'static str {
        match self {
            Own::Archive => {
                "这是 nianbao 生成的归档工作簿，不作为输入（要从它重新生成报告，请用 nianbao convert 单独转换它）"
            }
            Own::Summary => "这是 nianbao 生成的汇总表，不作为输入",
            Own::Report => {
                "这是 nianbao 生成的 Word 报告，不作为输入（要读取它，请用 nianbao check 或 convert 单独指明它）"
            }
            Own::Pdf => {
                "这是 nianbao 生成的 PDF 报告（由其 Word 报告经 LibreOffice 转换），不作为输入（要读取它，请用 nianbao check 或 convert 单独指明它）"
            }
        }
    }
}

/// Whether a PDF is one `--pdf` made: LibreOffice's export (Producer `LibreOffice …`) of a
/// Word report nianbao wrote (Author from its `dc:creator`). A report a clerk edited keeps the
/// author, but once exported by Word or WPS its Producer names them, and it is read.
fn made_by_nianbao(info: &nianbao::read::published::PdfInfo) -> bool {
    info.author.as_deref() == Some(nianbao::write::docx::AUTHOR)
        && info.producer.as_deref().is_some_and(|p| p.starts_with("LibreOffice"))
}

/// Which file nianbao wrote these bytes are, if they are one.
pub fn written_by_nianbao(bytes: &[u8]) -> Option<Own> {
    if let Some(info) = nianbao::read::published::pdf_info_naming(bytes, nianbao::write::docx::AUTHOR) {
        return made_by_nianbao(&info).then_some(Own::Pdf);
    }
    if !bytes.starts_with(b"PK") {
        return None;
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    if zip.index_for_name("word/document.xml").is_some() {
        let part = zip.by_name("docProps/app.xml").ok()?;
        let mut text = String::new();
        part.take(64 * 1024).read_to_string(&mut text).ok()?;
        return text.contains("<Application>nianbao").then_some(Own::Report);
    }
    let part = zip.by_name("docProps/custom.xml").ok()?;
    let mut text = String::new();
    // The part is a few hundred bytes; a larger one is not nianbao's.
    part.take(64 * 1024).read_to_string(&mut text).ok()?;
    let has = |name: &str| text.contains(&format!("name=\"{name}\""));
    if has("nianbao汇总") {
        Some(Own::Summary)
    } else if has(nianbao::write::archive::TOOL_VERSION) {
        Some(Own::Archive)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    /// Only LibreOffice's export of a report under nianbao's name is its own: the same
    /// report exported by Word or WPS (a clerk's edit), or another author's, is read.
    #[test]
    fn own_pdf_is_nianbaos_author_and_libreoffices_producer() {
        use super::made_by_nianbao;
        let info = |author: &str, producer: &str| nianbao::read::published::PdfInfo {
            author: Some(author.into()),
            producer: Some(producer.into()),
        };
        assert!(made_by_nianbao(&info("nianbao", "LibreOffice 7.4")));
        assert!(!made_by_nianbao(&info("nianbao", "Microsoft® Word 2016")));
        assert!(!made_by_nianbao(&info("nianbao", "WPS 文字")));
        assert!(!made_by_nianbao(&info("王守强", "LibreOffice 7.4")));
        assert!(!made_by_nianbao(&nianbao::read::published::PdfInfo { author: None, producer: None }));
    }

    #[test]
    fn sanitized_names_stay_in_the_folder_and_are_valid_on_windows() {
        assert_eq!(sanitize("某局/办公室"), "某局_办公室");
        assert_eq!(sanitize("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(sanitize(".."), "_");
        assert_eq!(sanitize(""), "_");
        assert_eq!(sanitize("C:\\Windows\\某局"), "C__Windows_某局");
        assert_eq!(sanitize("a<b>c|d?e*\"f\""), "a_b_c_d_e__f_");
        assert_eq!(sanitize(" 名称. . "), "名称");
        assert_eq!(sanitize("CON"), "_CON");
        assert_eq!(sanitize("con.备份"), "_con.备份");
        assert_eq!(sanitize("COM1"), "_COM1");
        assert_eq!(sanitize("COMMON"), "COMMON");
        assert_eq!(sanitize("tab\there"), "tab_here");
        assert_eq!(sanitize(&"长".repeat(300)), "长".repeat(60));
        assert_eq!(sanitize(&"a".repeat(300)), "a".repeat(100));
        // A cut that would end in a dot or a blank is trimmed again.
        let s = sanitize(&format!("{}. 后面", "a".repeat(99)));
        assert_eq!(s, "a".repeat(99));
    }
}
