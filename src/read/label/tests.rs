use super::*;

fn s(cell: &str, label: &str) -> u8 {
    score(&norm(cell), &Pattern::new(label))
}

#[test]
fn tolerates_how_labels_are_retyped() {
    assert_eq!(s("（一）予以公开", "（一）予以公开"), 100);
    assert_eq!(s("(一) 予以\n公开", "（一）予以公开"), 100);
    assert_eq!(s("1、属于国家秘密", "1.属于国家秘密"), 100);
    assert_eq!(s("1．属于国家秘密", "1.属于国家秘密"), 100);
    assert_eq!(s("3.危及\"三安全一稳定\"", "3.危及“三安全一稳定”"), 100);
    assert_eq!(s("属于国家秘密", "1.属于国家秘密"), 90);
    assert_eq!(s("第二十条 第（一）项", "第二十条第（一）项"), 100);
    assert!(s("现行有效件数 (历史累计)", "现行有效件数") >= 80);
    assert!(s("现行有效件", "现行有效件数") >= 60);
    assert!(s("四、政府信息公开行政法复议、行政诉讼情况", "四、政府信息公开行政复议、行政诉讼情况") >= 50);
    assert!(s("商业 企业", "商业企业") == 100);
}

/// The matching as it was before the length buckets, character-set bound and byte
/// rows: the fast paths must agree with it everywhere.
fn reference_levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(96).collect();
    let b: Vec<char> = b.chars().take(96).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for j in 0..b.len() {
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + usize::from(*ca != b[j]));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn reference_score(cell: &Pattern, p: &Pattern) -> u8 {
    if cell.full.is_empty() {
        return 0;
    }
    if cell.full == p.full {
        return 100;
    }
    if cell.core() == p.core() {
        return 90;
    }
    if cell.bare().is_empty() {
        return 0;
    }
    if cell.bare() == p.bare() {
        return if strip_trailing_notes(cell.core()) == strip_trailing_notes(p.core()) { 90 } else { 80 };
    }
    if synonyms_equal(cell, p) {
        return SYNONYM;
    }
    let (a, b) = (cell.bare().chars().count(), p.bare().chars().count());
    let (short, long, ls) = if a <= b { (cell.bare(), p.bare(), a) } else { (p.bare(), cell.bare(), b) };
    if ls >= 4 && long.starts_with(short) && ls * 4 >= a.max(b) * 3 {
        return 65;
    }
    if a.min(b) >= 4 && reference_levenshtein(cell.bare(), p.bare()) <= (a.max(b) / 6).max(1) {
        return 55;
    }
    0
}

fn form_labels() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = crate::form::SECTIONS.iter().map(|s| s.heading).collect();
    for f in [&crate::form::FORM_2019, &crate::form::FORM_2021] {
        for (b, r) in f.active_rows() {
            v.push(b.heading);
            v.push(r.label);
            v.extend(r.aliases);
            v.extend(b.columns.iter().map(|c| c.label));
        }
        for r in f.requests_rows {
            v.push(r.label);
            v.extend(r.aliases);
            v.extend(r.groups);
        }
        v.extend(f.requests_columns.iter().map(|c| c.label));
        v.extend(f.review_groups.iter().map(|g| g.label));
        v.extend(f.review_columns.iter().map(|c| c.label));
    }
    v.sort();
    v.dedup();
    v
}

/// How departments retype a label: a character lost, added or changed, a note, an
/// enumerator, full-width forms.
fn variants(l: &str) -> Vec<String> {
    let chars: Vec<char> = l.chars().collect();
    let n = chars.len();
    let mut v = vec![l.to_string(), format!("1、{l}"), format!("{l}（历史累计）"), format!("{l}的"), format!(" {l} ")];
    v.push(chars[..n.saturating_sub(1)].iter().collect());
    v.push(chars.iter().skip(1).collect());
    let mut changed = chars.clone();
    if n > 2 {
        changed[n / 2] = '法';
        v.push(changed.iter().collect());
        let mut extra = chars.clone();
        extra.insert(n / 2, '复');
        v.push(extra.iter().collect());
    }
    v.push(
        l.chars()
            .map(|c| if c.is_ascii_graphic() { char::from_u32(c as u32 + 0xfee0).unwrap_or(c) } else { c })
            .collect(),
    );
    v
}

#[test]
fn fast_matching_agrees_with_the_plain_rules() {
    let labels = form_labels();
    assert!(labels.len() > 60, "{}", labels.len());
    let patterns: Vec<Pattern> = labels.iter().map(|l| Pattern::new(l)).collect();
    let mut cells: Vec<Pattern> = Vec::new();
    for l in labels.iter().step_by(2) {
        cells.extend(variants(l).iter().map(|v| Pattern::new(v)));
    }
    cells.push(Pattern::new(&"很长的说明文字".repeat(20)));
    let mut scored = [0usize; 101];
    for c in &cells {
        for p in &patterns {
            let want = reference_score(c, p);
            assert_eq!(score_cell(c, p), want, "{:?} vs {:?}", c.full, p.full);
            if !lengths_may_match(c.bare_chars, p.bare_chars) {
                assert_eq!(want, 0, "{:?} vs {:?}", c.full, p.full);
            }
            scored[usize::from(want)] += 1;
        }
    }
    // The corpus exercises every rule, the fuzzy ones included.
    for s in [100, 90, 80, 65, 55] {
        assert!(scored[s] > 0, "no pair scored {s}");
    }
}

#[test]
fn byte_rows_compute_the_same_distance() {
    let long = "一二三四五六七八九十".repeat(11);
    let words = ["", "a", "行政复议", "行政法复议", "其他", "规范性文件", "现行有效件数", long.as_str(), &long[3..]];
    for a in words {
        for b in words {
            assert_eq!(levenshtein(a, b), reference_levenshtein(a, b), "{a:?} {b:?}");
        }
    }
    assert_eq!(levenshtein("行政复议", "行政法复议"), 1);
    assert_eq!(levenshtein(&long, ""), 96);
}

#[test]
fn the_norm_fast_path_equals_nfkc() {
    for s in [
        "（一）予以公开",
        "１２３　件",
        "一、总体情况\u{3000}（续）",
        "㈠予以公开",
        "⑴属于国家秘密",
        "\u{2f00}、\u{2f06}",
        "ｅ\u{301}",
        "e\u{301}",
        "Ａ\u{30a}",
        "\u{fa10}",
        "…",
        "1、2、三、",
        "1 、属于",
        "【规章】〔2023〕“三安全一稳定”『』「」",
        "第二十条 第（一）项",
        "",
        "\u{200b}\u{feff}ｘ",
        "ｶﾞ",
        "①",
        "㎡",
    ] {
        assert_eq!(norm(s), norm_nfkc(s), "{s:?}");
    }
    assert_eq!(norm("⼀"), "一");
    assert_eq!(norm("㈠"), "(一)");
    assert_eq!(norm("１、"), "1.");
}

#[test]
fn every_fast_character_is_its_own_nfkc() {
    use unicode_normalization::char::{canonical_combining_class, decompose_canonical};
    // Characters that can end a canonical composition: a fast character must be none
    // of them, or NFKC might join it with the one before.
    let mut seconds = std::collections::HashSet::new();
    for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
        let mut parts = Vec::new();
        decompose_canonical(c, |d| parts.push(d));
        if parts.len() > 1 {
            seconds.extend(parts[1..].iter().copied());
        }
    }
    let mut fast = 0;
    for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
        let Some(m) = nfkc_simple(c) else { continue };
        fast += 1;
        assert_eq!(c.to_string().nfkc().collect::<String>(), m.to_string(), "{c:?}");
        assert_eq!(canonical_combining_class(m), 0, "{c:?}");
        assert!(!seconds.contains(&m), "{c:?}");
        assert_eq!(norm(&c.to_string()), norm_nfkc(&c.to_string()), "{c:?}");
    }
    assert!(fast > 20_000, "{fast}");
}

#[test]
fn a_trailing_note_or_unit_is_the_label_itself() {
    assert_eq!(s("自然人（件）", "自然人"), 90);
    assert_eq!(s("总计(件)", "总计"), 90);
    assert_eq!(s("（七）总计（件）", "（七）总计"), 90);
    assert_eq!(s("结果纠正（含确认违法）", "结果纠正"), 90);
    assert_eq!(s("规章(设区的市、自治州人民政府应提供相关数据)", "规章"), 90);
    assert_eq!(s("规章（件）（不含废止）", "规章"), 90);
    assert_eq!(s("行政复议（件）", "行政复议"), 90);
    assert_eq!(s("本年收费金额（万元）", "本年收费金额（单位：万元）"), 90);
    assert_eq!(s("（二）部分公开（件）", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"), 90);
    // A note before the official text ends is no trailing note.
    assert_eq!(s("规（件）章", "规章"), 80);
    assert_eq!(strip_trailing_notes("(本列数据的勾稽关系)"), "(本列数据的勾稽关系)");
    assert_eq!(strip_trailing_notes("第二十条第(一)项"), "第二十条第(一)项");
    assert_eq!(strip_trailing_notes("总计(件(个))"), "总计");
}

/// Stripping notes never makes two official labels one: within every table, a label with
/// a unit after it is no nearer another label than the label alone.
#[test]
fn stripping_notes_never_joins_two_official_labels() {
    for f in [&crate::form::FORM_2019, &crate::form::FORM_2021] {
        let mut tables: Vec<Vec<&str>> = Vec::new();
        let mut t2: Vec<&str> = Vec::new();
        for b in f.active {
            t2.push(b.heading);
            t2.extend(b.columns.iter().map(|c| c.label));
            t2.extend(b.rows.iter().map(|r| r.label));
        }
        tables.push(t2);
        let mut t3: Vec<&str> = f.requests_rows.iter().map(|r| r.label).collect();
        t3.extend(f.requests_rows.iter().flat_map(|r| r.groups.iter().copied()));
        t3.extend(f.requests_columns.iter().map(|c| c.label));
        t3.push(crate::form::REQUESTS_NOTE);
        tables.push(t3);
        let mut t4: Vec<&str> = f.review_groups.iter().map(|g| g.label).collect();
        t4.extend(f.review_columns.iter().map(|c| c.label));
        tables.push(t4);
        for t in &mut tables {
            t.sort_unstable();
            t.dedup();
            for a in t.iter() {
                for b in t.iter().filter(|b| *b != a) {
                    let with_note = format!("{a}（件）");
                    // No closer to another label than the label itself is (`总计` and
                    // `（七）总计` are told apart by where they stand, not by their text).
                    assert!(s(&with_note, b) <= s(a, b).max(80), "{with_note} would read as {b}");
                }
            }
        }
    }
}

#[test]
fn synonyms_match_below_the_exact_label() {
    assert_eq!(s("合计", "总计"), SYNONYM);
    assert_eq!(s("（七）合计", "（七）总计"), SYNONYM);
    assert_eq!(s("科研单位", "科研机构"), SYNONYM);
    assert_eq!(s("社会公益机构", "社会公益组织"), SYNONYM);
    assert_eq!(s("法律服务单位（件）", "法律服务机构"), SYNONYM);
    assert_eq!(s("3.其它", "3.其他"), SYNONYM);
    // The form's own word with a unit still wins over a synonym.
    assert!(s("总计（件）", "总计") > s("合计", "总计"));
    assert_eq!(s("小计", "商业企业"), 0);
}

/// Synonyms never make two official labels of one table one label.
#[test]
fn synonyms_never_join_two_official_labels() {
    let labels = form_labels();
    for a in &labels {
        for b in labels.iter().filter(|b| *b != a) {
            let (pa, pb) = (Pattern::new(a), Pattern::new(b));
            if pa.bare() != pb.bare() {
                assert!(!synonyms_equal(&pa, &pb), "{a} and {b} are one label under the synonyms");
            }
        }
    }
}

#[test]
fn does_not_confuse_neighbours() {
    assert_eq!(s("其他结果", "其他"), 0);
    assert_eq!(s("规章", "规范性文件"), 0);
    assert_eq!(s("3.其他", "其他"), 90); // scoped by region in the locator
    assert_eq!(s("行政许可", "行政处罚"), 0);
    assert_eq!(s("1.属于国家秘密", "1.本机关不掌握相关政府信息"), 0);
}
