//! Converting a claimed file and moving it on: outputs, resubmissions, the note in failed/.

use super::*;
use crate::cli::fsio::free_name;
use crate::cli::input::{arrival, take, Arrival, Input, Job, Source, Taken};
use crate::cli::mailin;
use nianbao::convert::Converted;
use nianbao::read::mail::{Mail, MailError};

/// How `watch` takes an input: no previous year, no `--strict`; outputs are written by
/// [`Watch::place`], which settles resubmissions.
fn job(settings: &Settings) -> Job<'_> {
    static NO_INPUTS: std::sync::OnceLock<HashSet<PathBuf>> = std::sync::OnceLock::new();
    Job {
        settings,
        previous: &no_previous,
        strict: false,
        out: None,
        durability: Durability::Now,
        inputs: NO_INPUTS.get_or_init(HashSet::new),
        annotate: false,
    }
}

/// What converting a claimed file came to.
struct Outcome {
    /// The log line's result.
    log: String,
    /// Converted without error findings (to done/), or not (to failed/ with `note`).
    ok: bool,
    note: String,
    /// The outputs could not be written: the file stays claimed and is retried.
    retry: bool,
    /// Each report's agency and year and its output stem, to record after the note (a
    /// message may carry several).
    record: Vec<Record>,
}

impl Outcome {
    fn failed(log: String, note: String) -> Outcome {
        Outcome { log, ok: false, note, retry: false, record: Vec::new() }
    }

    /// Nothing to convert, nothing wrong: to done/ with the log line saying why.
    fn done(log: String) -> Outcome {
        Outcome { log, ok: true, note: String::new(), retry: false, record: Vec::new() }
    }
}

impl Watch<'_> {
    /// Converts a claimed file and moves it on. Safe to repeat after a crash. When its
    /// outputs cannot be written (a full disk, a read-only folder) the file is not the
    /// department's fault: it stays claimed and is retried later.
    pub(super) fn process(&mut self, claimed: &Path) {
        let started = Instant::now();
        let os_name = claimed.file_name().unwrap_or_default().to_os_string();
        let name = name_text(&os_name);
        let o = match self.link_into_inbox(claimed) {
            // Converted as the file it is (or was): once, not again through the link.
            Some(inside) => {
                Outcome::done(format!("跳过：这是指向收件文件夹中 {inside} 的链接，不经链接重复转换，链接已放入 done/"))
            }
            None => self.read_and_convert(claimed, &name),
        };
        let elapsed = started.elapsed().as_millis();
        if o.retry {
            let wait = self.retry.get(claimed).map_or(RETRY_FIRST, |&(_, w)| (w * 2).min(RETRY_MAX));
            self.retry.insert(claimed.to_path_buf(), (Instant::now() + wait, wait));
            self.unwritten += 1;
            signal::say(&format!(
                "{}\t{}\t{}；文件留在 {PROCESSING}/，{} 秒后重试\t{elapsed} ms",
                utc_now(),
                printable(&name),
                printable(&o.log),
                wait.as_secs()
            ));
            return;
        }
        self.retry.remove(claimed);
        let dest_dir = self.inbox.join(if o.ok { DONE } else { FAILED });
        let dest = free_path(&dest_dir, &os_name);
        let mut note_name = String::new();
        if !o.ok {
            let txt = note_path(&dest);
            note_name = txt.file_name().map(name_text).unwrap_or_default();
            if let Err(e) = write_atomic(&txt, o.note.as_bytes()) {
                eprintln!("{} 无法写入 {}：{}", utc_now(), txt.display(), write_message(&e));
                note_name.clear();
            } else if !note_name.starts_with(&name_text(dest.file_name().unwrap_or_default())) {
                // A shortened note: the log line links the file and its note.
                signal::say(&format!(
                    "{}\t{}\t说明见 {}",
                    utc_now(),
                    printable(&name),
                    printable(&txt.display().to_string())
                ));
            }
        }
        for r in &o.record {
            if let Err(e) = self.record_agency(r, &note_name) {
                eprintln!("{} 无法记录已转换的机关和年度：{}", utc_now(), write_message(&e));
            }
        }
        if let Err(e) = fs::rename(claimed, &dest) {
            eprintln!("{} 无法移动 {} 到 {}：{e}", utc_now(), printable(&name), dest_dir.display());
        }
        signal::say(&format!("{}\t{}\t{}\t{elapsed} ms", utc_now(), printable(&name), printable(&o.log)));
    }

    /// Reads a claimed file and converts it: a workbook, a saved mail, or nianbao's own output.
    fn read_and_convert(&mut self, claimed: &Path, name: &str) -> Outcome {
        match mailin::read_input(claimed) {
            Err(msg) => {
                let e = super::super::fsio::unreadable(name, msg);
                Outcome::failed(e.brief(), format!("{e}\n"))
            }
            Ok(bytes) => match arrival(&bytes) {
                // Its own output dropped in the inbox: not converted again, said in the log.
                Arrival::Own(own) => Outcome::done(format!("跳过：{}，已放入 done/", own.skip_reason())),
                Arrival::Mail(msgs) => self.convert_mail(msgs, name),
                Arrival::Report => self.convert_bytes(&bytes, name, claimed),
            },
        }
    }

    /// Where in the inbox a claimed link points, if it does: the file there is taken on its own.
    fn link_into_inbox(&self, claimed: &Path) -> Option<String> {
        if !fs::symlink_metadata(claimed).is_ok_and(|m| m.file_type().is_symlink()) {
            return None;
        }
        let target = claimed.canonicalize().ok()?;
        let inside = target.strip_prefix(resolve(&self.inbox)).ok()?;
        Some(crate::cli::fsio::path_text(inside))
    }

    fn convert_bytes(&mut self, bytes: &[u8], name: &str, claimed: &Path) -> Outcome {
        let hash = sha256_hex(bytes);
        if let Some(stem) = self.converted_as(&hash) {
            return Outcome::done(format!("内容与已转换的“{stem}”相同，未重复转换"));
        }
        let input = Input { name: name.to_string(), bytes, source: Source::File };
        let settings = self.settings.clone();
        let taken = match take(&input, &job(&settings), &safe_stem(claimed), str::to_string) {
            Ok(t) => t,
            Err(e) => return Outcome::failed(e.brief(), format!("{e}\n")),
        };
        self.place_all(&taken, &hash, name, None)
    }

    /// Places each report of an input ([`Watch::place`]): one outcome for the file, which
    /// fails when any report does and stops at the first output to retry.
    fn place_all(&mut self, taken: &Taken, hash: &str, name: &str, date: Option<i64>) -> Outcome {
        let mut all = Outcome { log: String::new(), ok: true, note: String::new(), retry: false, record: Vec::new() };
        let mut logs = Vec::new();
        for m in &taken.made {
            let o = self.place(&m.c, hash, name, &m.stem, date);
            if o.retry {
                return o;
            }
            all.ok &= o.ok;
            all.note.push_str(&o.note);
            all.record.extend(o.record);
            logs.push(o.log);
        }
        all.log = logs.join("；");
        all
    }

    /// Writes a converted report's outputs under `base` (or the name of the report it
    /// replaces) and records them. `date`: the Date of the message it came in; a message
    /// earlier than the one whose report of the same agency and year is current goes
    /// straight to 旧版/ (a backlog is taken in name order, not in the order it was sent).
    fn place(&mut self, c: &Converted, hash: &str, name: &str, base: &str, date: Option<i64>) -> Outcome {
        // One watcher at a time picks names and writes in OUTDIR; what another wrote since
        // is read first.
        let lock = match Lock::wait(&self.out.join(OUT_LOCK)) {
            Ok(l) => l,
            Err(e) => return self.unwritable(&e),
        };
        self.reload_seen();
        self.load_agencies();
        let key = c.report.agency.value.clone().zip(c.report.year.value);
        // A resubmission (same agency and year) takes the previous outputs' name; they move
        // to 旧版/ with a time stamp, and its stale note in failed/ goes.
        let previous = key.as_ref().and_then(|k| self.agencies.get(k).cloned());
        let current_date = key.as_ref().and_then(|k| self.mail_dates.get(k).copied());
        if let (Some(d), Some(cd), Some((current, _))) = (date, current_date, &previous) {
            if d < cd {
                let old = format!("{base}.{}", stamp());
                if let Err(e) = write_outputs(&self.out.join(OLD), &old, c, Durability::Now) {
                    return self.unwritable(&e);
                }
                if let Err(e) = self.record_seen(hash, &format!("{OLD}/{old}")) {
                    eprintln!("{} 无法记录已转换文件：{}", utc_now(), write_message(&e));
                }
                drop(lock);
                return Outcome {
                    log: format!(
                        "同一机关同一年度已有较晚来信的报告“{current}”，本报告来信较早，已放入 {OLD}/{old}.docx"
                    ),
                    ok: true,
                    note: String::new(),
                    retry: false,
                    record: Vec::new(),
                };
            }
        }
        let stem = match &previous {
            Some((stem, _)) => stem.clone(),
            None => {
                // A name taken by other content gets a suffix; the same content keeps its name.
                let taken: HashSet<&str> = self.seen.values().map(String::as_str).collect();
                free_name(base, |s| taken.contains(s))
            }
        };
        let mut replaced = false;
        if previous.is_some() {
            match self.move_to_old(&stem) {
                Ok(moved) => replaced = moved,
                Err(e) => return self.unwritable(&e),
            }
        }
        if let Err(e) = write_outputs(&self.out, &stem, c, Durability::Now) {
            return self.unwritable(&e);
        }
        if let Some(p) = &mut self.pdf {
            p.add(self.out.join(format!("{stem}.docx")));
        }
        if let Err(e) = self.record_seen(hash, &stem) {
            eprintln!("{} 无法记录已转换文件：{}", utc_now(), write_message(&e));
        }
        drop(lock);
        if let Some((_, note)) = previous.as_ref().filter(|(_, n)| !n.is_empty()) {
            let _ = fs::remove_file(self.inbox.join(FAILED).join(note));
        }
        let record = key.map(|(agency, year)| Record { agency, year, stem: stem.clone(), date }).into_iter().collect();
        let again = if replaced {
            format!("（同一机关同一年度的新版本，旧的输出已移到 {OLD}/）")
        } else {
            String::new()
        };
        let errors: Vec<&Finding> = c.findings.iter().filter(|f| f.severity == Severity::Error).collect();
        if errors.is_empty() {
            Outcome {
                log: format!("已转换为 {stem}.docx、{stem}.xlsx{again}"),
                ok: true,
                note: String::new(),
                retry: false,
                record,
            }
        } else {
            let mut note =
                format!("{name} 有 {} 个错误（报告已生成为 {stem}.docx，请改正后重新提交）：\n", errors.len());
            for f in &errors {
                note.push_str(&format!("{f}\n"));
            }
            Outcome {
                log: format!("有 {} 个错误，已生成报告{again}", errors.len()),
                ok: false,
                note,
                retry: false,
                record,
            }
        }
    }

    /// A saved message or mailbox: every attached workbook converted as a file would be
    /// (named `<来信人> - <附件>`), a reply draft per message in OUTDIR/回复/. The mail file
    /// goes to done/ when every workbook is without error, else to failed/ with a note.
    fn convert_mail(&mut self, msgs: Result<Vec<Mail>, MailError>, name: &str) -> Outcome {
        let msgs = match msgs {
            Ok(m) => m,
            Err(e) => return Outcome::failed(format!("无法读取：{e}"), format!("无法读取 {name}：{e}\n")),
        };
        let mut all = Outcome { log: String::new(), ok: true, note: String::new(), retry: false, record: Vec::new() };
        let mut logs = Vec::new();
        let mut replies = HashSet::new();
        // The settings are lent to the conversion while `place` needs `self`.
        let settings = self.settings.clone();
        let job = job(&settings);
        for m in &msgs {
            let problems: Vec<String> = match m.why_empty() {
                Some(why) => vec![why],
                None => m.problems.iter().map(|p| p.message.clone()).collect(),
            };
            for p in problems {
                all.ok = false;
                all.note.push_str(&format!("{name}（{}）：{p}\n", mailin::described(m)));
                logs.push(p);
            }
            let mut results = Vec::with_capacity(m.attachments.len());
            for a in &m.attachments {
                let label = m.origin.input_name(&a.name);
                let input = Input { name: label.clone(), bytes: &a.bytes, source: Source::Mail(m) };
                let taken = match take(&input, &job, &mailin::stem(m, &a.name), str::to_string) {
                    Ok(t) => t,
                    Err(e) => {
                        all.ok = false;
                        let (brief, reason) = (e.brief(), e.reason());
                        all.note.push_str(&format!("{}\n", mailin::failure(e, &label, m)));
                        logs.push(format!("{label} {brief}"));
                        results.push((a.name.clone(), mailin::Done::Unreadable(reason)));
                        continue;
                    }
                };
                if let Err(msg) = &taken.annotated {
                    logs.push(msg.clone());
                }
                let hash = sha256_hex(&a.bytes);
                if let Some(stem) = self.converted_as(&hash) {
                    logs.push(format!("{label}：内容与已转换的“{stem}”相同，未重复转换"));
                } else {
                    let o = self.place_all(&taken, &hash, &label, m.origin.timestamp);
                    // Only an output to retry stops the loop.
                    if o.retry {
                        return o;
                    }
                    all.ok &= o.ok;
                    all.note.push_str(&o.note);
                    all.record.extend(o.record);
                    logs.push(format!("{label}：{}", o.log));
                }
                results.extend(mailin::outcomes(&a.name, Ok(taken)));
            }
            match mailin::write_reply(&self.out, m, &results, self.from.as_deref(), &self.settings, &mut replies) {
                Ok(Some(p)) => {
                    logs.push(format!("回复草稿 → 回复/{}", p.file_name().map(name_text).unwrap_or_default()))
                }
                Ok(None) => {}
                Err(msg) => {
                    all.log = msg;
                    all.retry = true;
                    return all;
                }
            }
        }
        all.log = logs.join("；");
        all
    }

    /// An output failure: nianbao's problem, the file is retried.
    fn unwritable(&self, e: &std::io::Error) -> Outcome {
        Outcome {
            log: format!("无法写入输出（{}）：{}", self.out.display(), write_message(e)),
            ok: false,
            note: String::new(),
            retry: true,
            record: Vec::new(),
        }
    }

    /// Moves `stem.docx` and `stem.xlsx` to `旧版/stem.<time>.docx` …; whether any was there.
    fn move_to_old(&self, stem: &str) -> std::io::Result<bool> {
        let old = self.out.join(OLD);
        let t = stamp();
        let mut moved = false;
        for ext in ["docx", "xlsx"] {
            let from = self.out.join(format!("{stem}.{ext}"));
            if from.exists() {
                fs::create_dir_all(&old)?;
                let to = free_path(&old, OsStr::new(&format!("{stem}.{t}.{ext}")));
                fs::rename(&from, &to)?;
                moved = true;
            }
        }
        Ok(moved)
    }
}

/// The note beside a file in failed/: `<name>.错误.txt`, or for a name too long for that,
/// the name cut short (the note's first line names the file in full; the log links both).
fn note_path(dest: &Path) -> PathBuf {
    let name = dest.file_name().map(name_text).unwrap_or_default();
    let full = format!("{name}.错误.txt");
    if full.len() <= MAX_NAME_BYTES {
        return dest.with_file_name(full);
    }
    let mut short = String::new();
    for c in name.chars() {
        if short.len() + c.len_utf8() > MAX_NAME_BYTES - "….错误.txt".len() - 8 {
            break;
        }
        short.push(c);
    }
    let mut p = dest.with_file_name(format!("{short}….错误.txt"));
    let mut n = 2;
    while p.exists() {
        p = dest.with_file_name(format!("{short}…{n}.错误.txt"));
        n += 1;
    }
    p
}
