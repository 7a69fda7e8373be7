//! File-system helpers: bounded reads, and writes to a temporary name renamed into place.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Workbooks larger than this are not read at all.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads an input file, refusing one that is too large to be a statistical workbook.
pub fn read_input(path: &Path) -> Result<Vec<u8>, String> {
    let file = fs::File::open(path).map_err(|e| io_message(&e))?;
    let meta = file.metadata().map_err(|e| io_message(&e))?;
    if meta.is_dir() {
        return Err("这是一个文件夹，不是文件".into());
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
    Ok(bytes)
}

/// An I/O error in Chinese (see [`super::oserr`]).
pub fn io_message(e: &std::io::Error) -> String {
    super::oserr::kind_text(e)
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

/// [`write_atomic`] with a choice of when the data is flushed.
pub fn write_renamed(path: &Path, bytes: &[u8], durability: Durability) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp: PathBuf = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if durability == Durability::Now || !cfg!(target_os = "linux") {
            f.sync_all()?;
        }
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Flushes the whole file system holding `dir` to disk: what [`Durability::Later`] left.
/// Elsewhere than Linux each file was synced when written.
pub fn sync_folder(dir: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let f = fs::File::open(dir)?;
        // SAFETY: syncfs only reads the descriptor, which `f` keeps open for the call.
        if unsafe { libc::syncfs(f.as_raw_fd()) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = dir;
    Ok(())
}

/// The file name shown in messages and carried in the report.
pub fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
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
    sanitize(&path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default())
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

/// Writes a conversion's two outputs, `<stem>.docx` and `<stem>.xlsx`, each atomically.
pub fn write_outputs(
    dir: &Path,
    stem: &str,
    c: &nianbao::convert::Converted,
    durability: Durability,
) -> std::io::Result<(PathBuf, PathBuf)> {
    let docx = dir.join(format!("{stem}.docx"));
    let xlsx = dir.join(format!("{stem}.xlsx"));
    write_renamed(&docx, &c.docx, durability)?;
    write_renamed(&xlsx, &c.archive, durability)?;
    Ok((docx, xlsx))
}

#[cfg(test)]
mod tests {
    use super::sanitize;

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
