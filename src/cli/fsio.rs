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

pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".into(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".into(),
        _ => format!("读取失败（{e}）"),
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder, then renames,
/// so a reader never sees a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp: PathBuf = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// The file name shown in messages and carried in the report.
pub fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Characters Windows shares refuse in a name.
const FORBIDDEN: &[char] = &['/', '\\', ':', '*', '?', '"', '<', '>', '|'];

/// A file stem that is safe on any share: no separators or reserved characters, no
/// leading dots, at most 100 characters.
pub fn sanitize(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if FORBIDDEN.contains(&c) || c.is_control() { '_' } else { c })
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .trim_end_matches(['.', ' '])
        .chars()
        .take(100)
        .collect();
    let upper = cleaned.to_ascii_uppercase();
    let reserved = ["CON", "PRN", "AUX", "NUL"].contains(&upper.as_str())
        || ((upper.starts_with("COM") || upper.starts_with("LPT")) && upper.len() == 4);
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
    let mut t = nianbao::write::narrative::Templates::default();
    let entries =
        fs::read_dir(dir).map_err(|e| anyhow::anyhow!("无法读取模板文件夹 {}：{}", dir.display(), io_message(&e)))?;
    for entry in entries.flatten() {
        let p = entry.path();
        if p.extension().is_some_and(|e| e == "j2") {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let text = fs::read_to_string(&p)
                .map_err(|e| anyhow::anyhow!("无法读取模板 {}：{}", p.display(), io_message(&e)))?;
            t.overrides.push((name, text));
        }
    }
    t.overrides.sort();
    Ok(t)
}

/// Writes a conversion's two outputs, `<stem>.docx` and `<stem>.xlsx`, each atomically.
pub fn write_outputs(dir: &Path, stem: &str, c: &nianbao::convert::Converted) -> std::io::Result<(PathBuf, PathBuf)> {
    let docx = dir.join(format!("{stem}.docx"));
    let xlsx = dir.join(format!("{stem}.xlsx"));
    write_atomic(&docx, &c.docx)?;
    write_atomic(&xlsx, &c.archive)?;
    Ok((docx, xlsx))
}
