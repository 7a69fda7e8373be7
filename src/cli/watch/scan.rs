//! Finding what to take in the inbox: candidates, settled files, the records of what was
//! converted, retries and what a killed run left.

use super::*;

impl Watch<'_> {
    pub(super) fn load_seen(&mut self) {
        if let Ok(text) = fs::read_to_string(self.out.join(SEEN)) {
            self.seen_len = text.len() as u64;
            for line in text.lines() {
                if let Some((h, stem)) = line.split_once('\t') {
                    self.seen.insert(h.to_string(), stem.to_string());
                    self.current.insert(stem.to_string(), h.to_string());
                }
            }
        }
    }

    pub(super) fn record_seen(&mut self, hash: &str, stem: &str) -> std::io::Result<()> {
        let mut f = fs::OpenOptions::new().create(true).append(true).open(self.out.join(SEEN))?;
        f.write_all(format!("{hash}\t{stem}\n").as_bytes())?;
        f.sync_all()?;
        self.seen.insert(hash.to_string(), stem.to_string());
        self.current.insert(stem.to_string(), hash.to_string());
        Ok(())
    }

    /// The output stem that holds this content now, if any: a copy of it is not converted
    /// again. Content whose outputs were since replaced (v1, v2, then v1 again) is not there.
    pub(super) fn converted_as(&mut self, hash: &str) -> Option<String> {
        self.reload_seen();
        let stem = self.seen.get(hash)?;
        (self.current.get(stem).map(String::as_str) == Some(hash)).then(|| stem.clone())
    }

    /// Rereads the seen file if another watcher sharing OUTDIR appended to it.
    pub(super) fn reload_seen(&mut self) {
        let len = fs::metadata(self.out.join(SEEN)).map(|m| m.len()).unwrap_or(0);
        if len != self.seen_len {
            self.load_seen();
        }
    }

    pub(super) fn load_agencies(&mut self) {
        if let Ok(text) = fs::read_to_string(self.out.join(AGENCIES)) {
            for line in text.lines() {
                let f: Vec<&str> = line.split('\t').collect();
                // A fifth field, the message's Date, for a workbook that came by mail.
                if let [agency, year, stem, note, rest @ ..] = &f[..] {
                    if let Ok(y) = year.parse() {
                        let key = (agency.to_string(), y);
                        match rest.first().and_then(|d| d.parse().ok()) {
                            Some(d) => self.mail_dates.insert(key.clone(), d),
                            None => self.mail_dates.remove(&key),
                        };
                        self.agencies.insert(key, (stem.to_string(), note.to_string()));
                    }
                }
            }
        }
    }

    pub(super) fn record_agency(&mut self, r: &Record, note: &str) -> std::io::Result<()> {
        // Tabs and line breaks in an agency name would break the record's line.
        let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
        let (agency, year, stem) = (clean(&r.agency), r.year, clean(&r.stem));
        let date = r.date.map(|d| format!("\t{d}")).unwrap_or_default();
        let mut f = fs::OpenOptions::new().create(true).append(true).open(self.out.join(AGENCIES))?;
        f.write_all(format!("{agency}\t{year}\t{stem}\t{}{date}\n", clean(note)).as_bytes())?;
        f.sync_all()?;
        let key = (agency, year);
        match r.date {
            Some(d) => self.mail_dates.insert(key.clone(), d),
            None => self.mail_dates.remove(&key),
        };
        self.agencies.insert(key, (stem, clean(note)));
        Ok(())
    }

    /// Candidates in the inbox, top level only. FIFOs and devices with a workbook's name
    /// (or links to them) are logged once and left alone: opening one would block. A link
    /// to a file is a candidate (its target is converted, as `batch` does, and the link moved
    /// on); so is a dangling or looping one, to land in failed/ with the reason. A link to a
    /// folder is logged once and left.
    pub(super) fn candidates(&mut self) -> Vec<PathBuf> {
        let Ok(entries) = fs::read_dir(&self.inbox) else { return Vec::new() };
        let mut v = Vec::new();
        for e in entries.flatten() {
            let name = name_text(&e.file_name());
            if !(is_input_name(&name) || crate::cli::mailin::is_mail_name(&name)) || name.starts_with(".~lock") {
                continue;
            }
            let Ok(t) = e.file_type() else { continue };
            if t.is_file() {
                v.push(e.path());
            } else if t.is_symlink() {
                match fs::metadata(e.path()) {
                    Ok(m) if m.is_file() => v.push(e.path()),
                    Ok(m) if m.is_dir() => {
                        if self.reported.insert(e.path()) {
                            signal::say(&format!("{}\t{}\t跳过：{LINK_TO_FOLDER}", utc_now(), printable(&name)));
                        }
                    }
                    Ok(_) => {
                        if self.reported.insert(e.path()) {
                            signal::say(&format!("{}\t{}\t跳过：{NOT_REGULAR}", utc_now(), printable(&name)));
                        }
                    }
                    Err(_) => v.push(e.path()),
                }
            } else if !t.is_dir() && is_special(&e.path()) && self.reported.insert(e.path()) {
                signal::say(&format!("{}\t{}\t跳过：{NOT_REGULAR}", utc_now(), printable(&name)));
            }
        }
        v.sort();
        v
    }

    /// Files whose size and modification time have not changed for `settle`.
    pub(super) fn stable(&mut self) -> Vec<PathBuf> {
        let now = Instant::now();
        let mut ready = Vec::new();
        let current: HashSet<PathBuf> = self.candidates().into_iter().collect();
        self.pending.retain(|p, _| current.contains(p));
        for p in current {
            // A link's target decides when it has settled; a dangling link, the link itself.
            let Ok(meta) = fs::metadata(&p).or_else(|_| fs::symlink_metadata(&p)) else { continue };
            let sig = (meta.len(), meta.modified().ok());
            match self.pending.get(&p) {
                Some(&(len, mtime, since)) if (len, mtime) == sig => {
                    if now.duration_since(since) >= self.settle {
                        ready.push(p);
                    }
                }
                _ => {
                    // A file last modified longer ago than `settle` has already settled.
                    let old = sig.1.and_then(|m| m.elapsed().ok()).is_some_and(|age| age >= self.settle);
                    if old && !self.pending.contains_key(&p) {
                        ready.push(p);
                    } else {
                        self.pending.insert(p, (sig.0, sig.1, now));
                    }
                }
            }
        }
        ready.sort();
        ready
    }

    /// Claims a file by renaming it into `.processing/`, then converts it.
    pub(super) fn claim_and_process(&mut self, path: &Path) {
        let Some(name) = path.file_name() else { return };
        let target = free_path(&self.inbox.join(PROCESSING), name);
        // From .processing/ a relative link would point elsewhere: it is re-pointed at its
        // target's full path, or for a dangling one at the path it named, so the note says
        // which file is missing. A looping link is left to be reported as one.
        let repointed = fs::read_link(path).ok().filter(|l| l.is_relative()).and_then(|l| match path.canonicalize() {
            Ok(real) => Some(real),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(resolve(&self.inbox).join(l)),
            Err(_) => None,
        });
        // Renaming a link moves the link, never its target.
        if fs::rename(path, &target).is_err() {
            // Gone or locked by its writer: it is seen again at the next scan.
            return;
        }
        if let Some(to) = repointed {
            if let Err(e) = repoint(&target, &to) {
                eprintln!("{} 无法处理链接 {}：{}", utc_now(), printable(&name_text(name)), write_message(&e));
            }
        }
        self.pending.remove(path);
        self.process(&target);
    }

    /// Retries the claimed files whose wait is over.
    pub(super) fn retry_due(&mut self) {
        let now = Instant::now();
        let mut due: Vec<PathBuf> =
            self.retry.iter().filter(|(_, (at, _))| *at <= now).map(|(p, _)| p.clone()).collect();
        due.sort();
        for p in due {
            if signal::stopped() {
                return;
            }
            if p.exists() {
                self.process(&p);
            } else {
                self.retry.remove(&p);
            }
        }
    }

    /// Finishes what a killed run left in `.processing/`.
    pub(super) fn recover(&mut self) {
        let dir = self.inbox.join(PROCESSING);
        let Ok(entries) = fs::read_dir(&dir) else { return };
        remove_stale_temporaries(&dir);
        let mut left: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| {
                e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink())
                    && !name_text(&e.file_name()).starts_with('.')
            })
            .map(|e| e.path())
            .collect();
        left.sort();
        for p in left {
            if signal::stopped() {
                return;
            }
            self.process(&p);
        }
        self.flush_pdf();
    }

    /// Processes every stable file; returns how many.
    pub(super) fn sweep(&mut self) -> usize {
        let mut ready = self.stable();
        // Links first: one to another file of the inbox is told apart while that file is
        // still there to point at.
        ready.sort_by_key(|p| !fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()));
        let mut n = 0;
        for p in ready {
            if signal::stopped() {
                break;
            }
            self.claim_and_process(&p);
            n += 1;
        }
        self.flush_pdf();
        n
    }

    /// The PDFs of the reports written since the last flush, one log line each.
    pub(super) fn flush_pdf(&mut self) {
        if let Some(p) = &mut self.pdf {
            for made in p.flush() {
                println!("{}\t{}\t已生成 PDF", utc_now(), made.file_name().unwrap_or_default().to_string_lossy());
            }
        }
    }
}

/// Replaces the link `link` by one to `target`, through a hidden name renamed over it.
fn repoint(link: &Path, target: &Path) -> std::io::Result<()> {
    let name = link.file_name().map(name_text).unwrap_or_default();
    let tmp = link.with_file_name(format!(".{name}.{}.link", std::process::id()));
    let _ = fs::remove_file(&tmp);
    symlink(target, &tmp)?;
    fs::rename(&tmp, link).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(windows)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::windows::fs::symlink_file(target, link)
}
