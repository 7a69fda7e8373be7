//! The system's time zone, for local times with their offset: `TZ` if set (a zone name
//! under the zoneinfo folder, a TZif file, or a POSIX string), else `/etc/localtime`,
//! else Beijing time.

use nianbao::date::{self, Zone};
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

/// The zone, read once per process.
pub fn zone() -> &'static Zone {
    static ZONE: OnceLock<Zone> = OnceLock::new();
    ZONE.get_or_init(|| match std::env::var("TZ") {
        Ok(tz) => from_tz(&tz),
        Err(_) => tzif(Path::new("/etc/localtime")).unwrap_or_default(),
    })
}

/// Now, as local time with its offset: `2026-11-30 11:35:02 +08:00`.
pub fn now_text() -> String {
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    date::local_text(secs, zone().offset_at(secs))
}

fn from_tz(tz: &str) -> Zone {
    let tz = tz.strip_prefix(':').unwrap_or(tz);
    if tz.is_empty() {
        // POSIX: an empty TZ is UTC.
        return Zone::fixed(0);
    }
    let path = if Path::new(tz).is_absolute() {
        Some(PathBuf::from(tz))
    } else if Path::new(tz).components().all(|c| matches!(c, Component::Normal(_))) {
        let dir = std::env::var_os("TZDIR").map_or_else(|| PathBuf::from("/usr/share/zoneinfo"), PathBuf::from);
        Some(dir.join(tz))
    } else {
        None
    };
    path.and_then(|p| tzif(&p)).or_else(|| Zone::from_posix(tz)).unwrap_or_default()
}

fn tzif(path: &Path) -> Option<Zone> {
    // A zone file is a few KB; anything large is not one.
    let bytes = std::fs::read(path).ok().filter(|b| b.len() < 1 << 20)?;
    Zone::from_tzif(&bytes)
}
