//! Operating-system errors in Chinese. Every message that reports an I/O error to the user
//! goes through here, so `Is a directory (os error 21)` never reaches them.

use std::io::{self, ErrorKind};
use std::path::Path;

/// What went wrong, in words: `找不到该文件或文件夹`.
pub fn kind_text(e: &io::Error) -> String {
    let known = match e.kind() {
        ErrorKind::NotFound => "找不到该文件或文件夹",
        ErrorKind::PermissionDenied => "没有权限（请检查文件权限，或文件是否正被其他程序占用）",
        ErrorKind::IsADirectory => "这是一个文件夹，不是文件",
        ErrorKind::NotADirectory => "路径中有一段是文件，不是文件夹",
        ErrorKind::StorageFull => "磁盘空间已满",
        ErrorKind::AlreadyExists => "已存在同名的文件或文件夹",
        ErrorKind::ReadOnlyFilesystem => "所在磁盘是只读的",
        ErrorKind::DirectoryNotEmpty => "文件夹不是空的",
        ErrorKind::TimedOut => "操作超时（网络共享文件夹是否可用？）",
        ErrorKind::UnexpectedEof => "文件不完整",
        ErrorKind::Interrupted => "操作被中断",
        ErrorKind::InvalidFilename => "文件名或路径过长或无效",
        _ => "",
    };
    #[cfg(unix)]
    if known.is_empty() && e.raw_os_error() == Some(libc::ELOOP) {
        return "符号链接循环（链接指向自身，或几个链接互相指向）".to_string();
    }
    if !known.is_empty() {
        return known.to_string();
    }
    // An unlisted kind keeps the system's words and its number, for whoever helps the user.
    match e.raw_os_error() {
        Some(n) => format!("系统错误 {n}：{}", strip_os_suffix(&e.to_string())),
        None => format!("系统错误：{e}"),
    }
}

/// `路径：原因`, the form every I/O message takes.
pub fn describe(path: &Path, e: &io::Error) -> String {
    // Creating a folder where a file of that name is says "exists"; the user needs to
    // hear that part of the path is a file.
    let file_in_the_way = e.kind() == ErrorKind::AlreadyExists
        && path.ancestors().skip(1).any(|a| !a.as_os_str().is_empty() && a.is_file());
    if file_in_the_way {
        return format!("{}：{}", path.display(), kind_text(&io::Error::from(ErrorKind::NotADirectory)));
    }
    format!("{}：{}", path.display(), kind_text(e))
}

/// An error and its causes joined with `：`, I/O errors in Chinese.
pub fn chain_text(e: &anyhow::Error) -> String {
    e.chain()
        .map(|c| match c.downcast_ref::<io::Error>() {
            Some(io) => kind_text(io),
            None => c.to_string(),
        })
        .collect::<Vec<_>>()
        .join("：")
}

/// `Is a directory (os error 21)` → `Is a directory`.
fn strip_os_suffix(s: &str) -> &str {
    s.find(" (os error").map_or(s, |i| &s[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_kinds_in_chinese_with_the_path() {
        let e = io::Error::from(ErrorKind::NotFound);
        assert_eq!(describe(Path::new("输出/a.xlsx"), &e), "输出/a.xlsx：找不到该文件或文件夹");
        assert_eq!(kind_text(&io::Error::from(ErrorKind::IsADirectory)), "这是一个文件夹，不是文件");
        assert_eq!(kind_text(&io::Error::from(ErrorKind::StorageFull)), "磁盘空间已满");
        assert_eq!(kind_text(&io::Error::from(ErrorKind::AlreadyExists)), "已存在同名的文件或文件夹");
        #[cfg(unix)]
        assert_eq!(kind_text(&io::Error::from_raw_os_error(libc::ENOTDIR)), "路径中有一段是文件，不是文件夹");
    }

    #[test]
    fn a_chain_ends_in_the_translated_cause() {
        let e = anyhow::Error::new(io::Error::from(ErrorKind::PermissionDenied)).context("无法创建输出文件夹 /x");
        assert_eq!(chain_text(&e), "无法创建输出文件夹 /x：没有权限（请检查文件权限，或文件是否正被其他程序占用）");
    }
}
