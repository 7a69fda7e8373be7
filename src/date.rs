//! Calendar dates without a date crate: days since 1970 to year, month and day, for the
//! archive's conversion time, log lines and dates typed into count cells; and local time,
//! from a time zone the command line reads from the system (TZif data or a `TZ` string).

/// `(year, month, day)` of a day counted from 1970-01-01 (proleptic Gregorian calendar;
/// Howard Hinnant's civil-from-days).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Seconds since the epoch as `YYYY-MM-DD HH:MM:SS UTC`.
pub fn utc_text(secs: i64) -> String {
    let ((y, m, d), (h, min, s)) = civil(secs);
    format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}:{s:02} UTC")
}

/// Seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ` (W3CDTF, for document properties).
pub fn w3c_text(secs: i64) -> String {
    let ((y, m, d), (h, min, s)) = civil(secs);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}Z")
}

/// Beijing time, the offset used where the system names no time zone.
pub const BEIJING: i32 = 8 * 3600;

/// Seconds since the epoch as local time with its offset: `2026-11-30 11:35:02 +08:00`.
pub fn local_text(secs: i64, offset: i32) -> String {
    let ((y, m, d), (h, min, s)) = civil(secs + i64::from(offset));
    format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}:{s:02} {}", offset_text(offset))
}

/// Seconds since the epoch as W3CDTF local time with its offset: `2026-11-30T11:35:02+08:00`.
pub fn w3c_local(secs: i64, offset: i32) -> String {
    let ((y, m, d), (h, min, s)) = civil(secs + i64::from(offset));
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}{}", offset_text(offset))
}

/// `+08:00`, `-05:00`, `+05:45`; seconds of an offset (old local mean times) are dropped.
fn offset_text(offset: i32) -> String {
    let sign = if offset < 0 { '-' } else { '+' };
    let a = offset.unsigned_abs();
    format!("{sign}{:02}:{:02}", a / 3600, a % 3600 / 60)
}

/// A time zone: the UTC offset in force at any instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    /// (from, offset in seconds east of UTC), ascending by `from`.
    changes: Vec<(i64, i32)>,
    /// The offset before the first change.
    initial: i32,
    /// The offset after the last change, where the zone's rule has no daylight saving
    /// time; otherwise the last change's offset goes on.
    tail: Option<i32>,
}

impl Default for Zone {
    /// Beijing time.
    fn default() -> Self {
        Zone::fixed(BEIJING)
    }
}

impl Zone {
    /// One offset for all time.
    pub fn fixed(offset: i32) -> Zone {
        Zone { changes: Vec::new(), initial: offset, tail: Some(offset) }
    }

    /// The offset in force at `secs` since the epoch.
    pub fn offset_at(&self, secs: i64) -> i32 {
        match self.changes.partition_point(|&(from, _)| from <= secs) {
            0 => self.initial,
            n if n == self.changes.len() => self.tail.unwrap_or(self.changes[n - 1].1),
            n => self.changes[n - 1].1,
        }
    }

    /// A zone from the bytes of a TZif file (RFC 8536, as `/etc/localtime`), versions 1 to 4.
    pub fn from_tzif(b: &[u8]) -> Option<Zone> {
        let head = |at: usize| -> Option<[usize; 6]> {
            if b.get(at..at + 4)? != b"TZif" {
                return None;
            }
            let mut n = [0usize; 6];
            for (i, v) in n.iter_mut().enumerate() {
                let o = at + 20 + 4 * i;
                *v = u32::from_be_bytes(b.get(o..o + 4)?.try_into().ok()?) as usize;
            }
            Some(n)
        };
        let [isut, isstd, leap, time, types, chars] = head(0)?;
        let version = *b.get(4)?;
        let (at, width) = if version >= b'2' {
            let v1 = time * 5 + types * 6 + chars + leap * 8 + isstd + isut;
            (44 + v1, 8)
        } else {
            (0, 4)
        };
        let [isut, isstd, leap, time, types, chars] = head(at)?;
        let body = at + 44;
        let times_end = body + time * width;
        let index_end = times_end + time;
        let types_end = index_end + types * 6;
        if types == 0 || b.len() < types_end {
            return None;
        }
        let offset_of = |t: usize| -> Option<i32> {
            let o = index_end + 6 * t;
            Some(i32::from_be_bytes(b.get(o..o + 4)?.try_into().ok()?))
        };
        let mut changes = Vec::with_capacity(time);
        for i in 0..time {
            let o = body + i * width;
            let from = if width == 8 {
                i64::from_be_bytes(b[o..o + 8].try_into().ok()?)
            } else {
                i64::from(i32::from_be_bytes(b[o..o + 4].try_into().ok()?))
            };
            changes.push((from, offset_of(usize::from(b[times_end + i]))?));
        }
        let footer_at = types_end + chars + leap * (width + 4) + isstd + isut;
        let tail = if version >= b'2' {
            let footer = b.get(footer_at..).unwrap_or_default();
            let text = std::str::from_utf8(footer).ok().map(|t| t.trim_matches('\n')).unwrap_or("");
            posix_standard(text).and_then(|(std, dst)| (!dst).then_some(std))
        } else {
            None
        };
        let tail = tail.or_else(|| changes.is_empty().then(|| offset_of(0)).flatten());
        Some(Zone { changes, initial: offset_of(0)?, tail })
    }

    /// A zone from a POSIX `TZ` string (`CST-8`, `UTC0`, `<+08>-8`). Daylight saving rules
    /// are not followed: the standard offset is taken for all time.
    pub fn from_posix(s: &str) -> Option<Zone> {
        posix_standard(s).map(|(std, _)| Zone::fixed(std))
    }
}

/// The standard offset (seconds east of UTC) of a POSIX TZ string, and whether it has a
/// daylight saving part.
fn posix_standard(s: &str) -> Option<(i32, bool)> {
    let rest = if let Some(quoted) = s.strip_prefix('<') {
        &quoted[quoted.find('>')? + 1..]
    } else {
        let name = s.chars().take_while(|c| c.is_ascii_alphabetic()).count();
        if name < 3 {
            return None;
        }
        &s[name..]
    };
    let (sign, digits) = match rest.as_bytes().first()? {
        b'-' => (1, &rest[1..]),
        b'+' => (-1, &rest[1..]),
        _ => (-1, rest),
    };
    let end = digits.find(|c: char| !(c.is_ascii_digit() || c == ':')).unwrap_or(digits.len());
    let mut parts = digits[..end].split(':').map(|p| p.parse::<i32>());
    let h = parts.next()?.ok()?;
    let m = parts.next().transpose().ok()?.unwrap_or(0);
    let sec = parts.next().transpose().ok()?.unwrap_or(0);
    if !(0..=24).contains(&h) || !(0..60).contains(&m) || !(0..60).contains(&sec) {
        return None;
    }
    // POSIX counts west of Greenwich: `CST-8` is eight hours east.
    Some((sign * (h * 3600 + m * 60 + sec), end < digits.len()))
}

/// (year, month, day) and (hour, minute, second) of a time in seconds since the epoch.
fn civil(secs: i64) -> ((i64, i64, i64), (i64, i64, i64)) {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    (civil_from_days(days), (rem / 3600, rem % 3600 / 60, rem % 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times() {
        assert_eq!(utc_text(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc_text(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc_text(-1), "1969-12-31 23:59:59 UTC");
        assert_eq!(w3c_text(1_709_281_800), "2024-03-01T08:30:00Z");
        assert_eq!(civil_from_days(19_722), (2023, 12, 31));
    }

    #[test]
    fn local_times_carry_their_offset() {
        assert_eq!(local_text(1_796_009_702, BEIJING), "2026-11-30 11:35:02 +08:00");
        assert_eq!(w3c_local(1_796_009_702, BEIJING), "2026-11-30T11:35:02+08:00");
        assert_eq!(local_text(0, -5 * 3600), "1969-12-31 19:00:00 -05:00");
        assert_eq!(local_text(0, 5 * 3600 + 45 * 60), "1970-01-01 05:45:00 +05:45");
        assert_eq!(w3c_local(0, 0), "1970-01-01T00:00:00+00:00");
    }

    #[test]
    fn posix_strings() {
        assert_eq!(Zone::from_posix("CST-8"), Some(Zone::fixed(BEIJING)));
        assert_eq!(Zone::from_posix("<+08>-8"), Some(Zone::fixed(BEIJING)));
        assert_eq!(Zone::from_posix("UTC0"), Some(Zone::fixed(0)));
        assert_eq!(Zone::from_posix("EST5EDT,M3.2.0,M11.1.0"), Some(Zone::fixed(-5 * 3600)));
        assert_eq!(Zone::from_posix("IST-5:30"), Some(Zone::fixed(5 * 3600 + 1800)));
        assert_eq!(Zone::from_posix("Asia/Shanghai"), None);
        assert_eq!(Zone::from_posix(""), None);
        assert_eq!(Zone::default().offset_at(0), BEIJING);
    }

    /// A version-2 TZif file as zic writes it: an empty version-1 block, then 64-bit data.
    fn tzif(changes: &[(i64, u8)], offsets: &[i32], footer: &str) -> Vec<u8> {
        let header = |time: usize, types: usize, chars: usize| {
            let mut h = b"TZif2".to_vec();
            h.extend([0u8; 15]);
            for n in [0, 0, 0, time, types, chars] {
                h.extend((n as u32).to_be_bytes());
            }
            h
        };
        let mut b = header(0, 1, 1);
        b.extend([0, 0, 0, 0, 0, 0, 0]);
        b.extend(header(changes.len(), offsets.len(), 1));
        for (t, _) in changes {
            b.extend(t.to_be_bytes());
        }
        b.extend(changes.iter().map(|&(_, i)| i));
        for o in offsets {
            b.extend(o.to_be_bytes());
            b.extend([0, 0]);
        }
        b.push(0);
        b.extend(format!("\n{footer}\n").bytes());
        b
    }

    #[test]
    fn tzif_data() {
        // Shanghai's last daylight saving time ended in 1991; CST-8 ever since.
        let z =
            Zone::from_tzif(&tzif(&[(671_558_400, 0), (684_860_400, 1)], &[32_400, BEIJING], "CST-8")).expect("zone");
        assert_eq!(z.offset_at(0), 32_400);
        assert_eq!(z.offset_at(680_000_000), 32_400);
        assert_eq!(z.offset_at(1_796_009_702), BEIJING);
        // A zone with daylight saving time keeps the last change's offset after it.
        let z = Zone::from_tzif(&tzif(&[(100, 1)], &[-18_000, -14_400], "EST5EDT,M3.2.0,M11.1.0")).expect("zone");
        assert_eq!(z.offset_at(200), -14_400);
        let utc = Zone::from_tzif(&tzif(&[], &[0], "UTC0")).expect("utc");
        assert_eq!(utc.offset_at(1_796_009_702), 0);
        assert_eq!(Zone::from_tzif(b"TZif2 truncated"), None);
        assert_eq!(Zone::from_tzif(b""), None);
    }
}
