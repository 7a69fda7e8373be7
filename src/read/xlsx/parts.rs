//! The parts the streaming reader opens, looked up as calamine looks them up (case and
//! `\` ignored) and charged to the package meter at each opening, as calamine's are: the
//! guard's expanded copies where it kept them, else inflated again from the original.

use crate::error::ReadError;
use crate::read::zipped::{charge, Guarded, Part, MAX_PART_BYTES};
use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::io::{Cursor, Read};

type Zip<'a> = zip9::ZipArchive<Cursor<&'a [u8]>>;

pub(super) enum Source<'a> {
    Kept { parts: &'a [Part], names: HashMap<String, usize> },
    Zip { zip: Box<Zip<'a>>, names: HashMap<String, String>, sizes: &'a HashMap<u64, u64> },
}

fn key(name: &str) -> String {
    name.replace('\\', "/").to_ascii_lowercase()
}

fn broken(e: impl std::fmt::Display) -> ReadError {
    ReadError::Corrupt(format!("压缩包损坏（{e}）"))
}

impl<'a> Source<'a> {
    pub(super) fn new(bytes: &'a [u8], guarded: &'a Guarded) -> Result<Self, ReadError> {
        if let Some(parts) = guarded.parts.as_deref() {
            // Kept names are ASCII (the guard keeps no other package).
            let names = parts.iter().enumerate().map(|(i, p)| (key(&String::from_utf8_lossy(&p.name)), i)).collect();
            return Ok(Source::Kept { parts, names });
        }
        let zip = zip9::ZipArchive::new(Cursor::new(bytes)).map_err(broken)?;
        let mut names = HashMap::with_capacity(zip.len());
        for name in zip.file_names() {
            let name = name.map_err(broken)?;
            names.insert(key(&name), name.into_owned());
        }
        Ok(Source::Zip { zip: Box::new(zip), names, sizes: &guarded.sizes })
    }

    /// The part at `path`, charged; `None` where the package has no such part. A part the
    /// guard did not keep is inflated whole (at most the guard's 48 MB part limit).
    pub(super) fn open(&mut self, path: &str, charged: &Cell<u64>) -> Result<Option<Cow<'a, [u8]>>, ReadError> {
        match self {
            Source::Kept { parts, names } => {
                let found = names
                    .get(&path.to_ascii_lowercase())
                    .copied()
                    .or_else(|| parts.iter().position(|p| p.name == path.as_bytes()));
                let Some(i) = found else {
                    return Ok(None);
                };
                let data: &'a Vec<u8> = &parts[i].data;
                charge(charged, data.len() as u64)?;
                Ok(Some(Cow::Borrowed(data.as_slice())))
            }
            Source::Zip { zip, names, sizes } => {
                let name = names.get(&path.to_ascii_lowercase()).map_or(path, String::as_str);
                let part = match zip.by_name(name) {
                    Ok(p) => p,
                    Err(zip9::result::ZipError::FileNotFound) => return Ok(None),
                    Err(e) => return Err(broken(e)),
                };
                let size = part.data_start().and_then(|s| sizes.get(&s).copied()).unwrap_or(part.size());
                charge(charged, size)?;
                let mut data = Vec::with_capacity(usize::try_from(size.min(MAX_PART_BYTES)).unwrap_or(0));
                part.take(size.saturating_add(1))
                    .read_to_end(&mut data)
                    .map_err(|e| ReadError::Corrupt(format!("压缩包中的 {name} 无法解压（{e}）")))?;
                Ok(Some(Cow::Owned(data)))
            }
        }
    }
}
