//! Calendar dates without a date crate: days since 1970 to year, month and day, for the
//! archive's conversion time, log lines and dates typed into count cells.

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
}
