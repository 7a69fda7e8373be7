//! Formulas saved without their result (a file written by a script, or by Excel with
//! calculation off). What templates put in cells is evaluated, in exact decimals:
//! `+ - *` of numbers and cell references, parentheses, `SUM` over ranges and lists,
//! references to other sheets (`'表三'!D5`, `Sheet1!D5:D9`, ods `[$表三.D5]`), absolute
//! references (`$D$5`), and formulas naming other such formulas (a cycle is no value).
//! Anything else — another function, division, text, an error, a comparison — is no value
//! and the cell stays an unreadable formula (VAL-FORMULA).

use super::open::Sheet;
use super::value::{self, Raw};
use crate::cell::parse_a1;
use crate::form::Kind;
use crate::model::State;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Longer formulas are not what a template puts in a cell.
const MAX_FORMULA_CHARS: usize = 2_000;
/// Cells one range may name: a whole column is not a table's sum.
const MAX_RANGE_CELLS: u64 = 10_000;
/// Formulas naming formulas, this deep at most: the stack stays small whatever the file.
const MAX_DEPTH: u8 = 32;
/// Cells one workbook's formulas may look at in all, ten times what a form's sums need.
const MAX_STEPS: u32 = 1_000_000;

/// Where a formula's references are looked up.
pub trait Cells {
    /// The sheet of this name, as a formula names it (case-insensitive, like Excel).
    fn sheet(&self, name: &str) -> Option<usize>;
    fn cell(&self, sheet: usize, row: u32, col: u32) -> &Raw;
}

impl Cells for [Sheet] {
    fn sheet(&self, name: &str) -> Option<usize> {
        self.iter().position(|s| s.name.to_lowercase() == name.to_lowercase())
    }
    fn cell(&self, sheet: usize, row: u32, col: u32) -> &Raw {
        self.get(sheet).map_or(&Raw::Empty, |s| s.get(row, col))
    }
}

/// Replaces every uncalculated formula of the workbook that evaluates with
/// [`Raw::Computed`]; the others stay [`Raw::Formula`].
pub fn resolve(sheets: &mut [Sheet]) {
    let mut results = Vec::new();
    {
        let cells: &[Sheet] = sheets;
        let mut ev = Eval::new(cells);
        for (s, sheet) in cells.iter().enumerate() {
            for (&(row, col), raw) in &sheet.cells {
                if let Raw::Formula(f) = raw {
                    if let Some(v) = ev.cell_value(s, row, col, 0) {
                        results.push((s, row, col, shown(f), v));
                    }
                }
            }
        }
    }
    for (s, row, col, formula, value) in results {
        sheets[s].cells.insert((row, col), Raw::Computed { formula, value });
    }
}

/// The formula as stored, without the `=` some writers keep (`Raw::text` adds one).
fn shown(f: &str) -> String {
    f.strip_prefix('=').unwrap_or(f).to_string()
}

/// The value of one formula on sheet `sheet`, or `None` where it is not one this module
/// evaluates.
pub fn evaluate<C: Cells + ?Sized>(cells: &C, sheet: usize, formula: &str) -> Option<Decimal> {
    Eval::new(cells).formula(sheet, formula, 0)
}

/// Formula results remembered per cell; `None` while a cell is being evaluated, so a
/// cycle is no value.
struct Eval<'c, C: Cells + ?Sized> {
    cells: &'c C,
    done: HashMap<(usize, u32, u32), Option<Decimal>>,
    /// Cells looked at so far: a hostile workbook's formulas cost bounded time.
    steps: u32,
    /// Whether the evaluation under way was cut short by depth or steps: its `None` says
    /// nothing about the cell and is not remembered.
    cut: bool,
}

impl<'c, C: Cells + ?Sized> Eval<'c, C> {
    fn new(cells: &'c C) -> Self {
        Eval { cells, done: HashMap::new(), steps: 0, cut: false }
    }

    fn formula(&mut self, sheet: usize, f: &str, depth: u8) -> Option<Decimal> {
        if depth > MAX_DEPTH {
            self.cut = true;
            return None;
        }
        if f.len() > MAX_FORMULA_CHARS {
            return None;
        }
        let text = f.strip_prefix("of:").unwrap_or(f);
        let text = text.strip_prefix('=').unwrap_or(text);
        let mut p = Parser { chars: text.chars().collect(), pos: 0, sheet, depth, ev: self };
        let v = p.expr()?;
        p.skip_blanks();
        if p.pos != p.chars.len() {
            return None;
        }
        p.number(v)
    }

    /// A referenced cell as a number: blanks and dashes are 0, text is no value.
    fn cell_value(&mut self, sheet: usize, row: u32, col: u32, depth: u8) -> Option<Decimal> {
        let cells = self.cells;
        self.steps += 1;
        if self.steps > MAX_STEPS {
            self.cut = true;
            return None;
        }
        match cells.cell(sheet, row, col) {
            Raw::Empty => Some(Decimal::ZERO),
            Raw::Computed { value, .. } => Some(*value),
            Raw::Formula(f) => {
                if let Some(&v) = self.done.get(&(sheet, row, col)) {
                    return v;
                }
                self.done.insert((sheet, row, col), None);
                let outer = std::mem::replace(&mut self.cut, false);
                let v = self.formula(sheet, f, depth + 1);
                if self.cut {
                    self.done.remove(&(sheet, row, col));
                } else {
                    self.done.insert((sheet, row, col), v);
                }
                self.cut |= outer;
                v
            }
            raw => match value::parse(raw, Kind::Count) {
                v if matches!(v.state, State::Number | State::Blank) => v.num,
                _ => None,
            },
        }
    }
}

/// What an operand is: a number, or a rectangle of cells (only `SUM` takes more than one).
#[derive(Clone, Copy)]
enum Val {
    Num(Decimal),
    Area { sheet: usize, rows: (u32, u32), cols: (u32, u32) },
}

/// A recursive-descent evaluator over one formula's characters:
/// `expr := term (('+'|'-') term)*`, `term := unary ('*' unary)*`,
/// `unary := ('+'|'-') unary | primary`,
/// `primary := number | '(' expr ')' | SUM '(' expr ((','|';') expr)* ')' | reference`.
struct Parser<'e, 'c, C: Cells + ?Sized> {
    chars: Vec<char>,
    pos: usize,
    sheet: usize,
    depth: u8,
    ev: &'e mut Eval<'c, C>,
}

impl<C: Cells + ?Sized> Parser<'_, '_, C> {
    fn skip_blanks(&mut self) {
        while self.chars.get(self.pos).is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.skip_blanks();
        self.chars.get(self.pos).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        let found = self.peek() == Some(c);
        if found {
            self.pos += 1;
        }
        found
    }

    /// An operand as a number: a one-cell area is that cell.
    fn number(&mut self, v: Val) -> Option<Decimal> {
        match v {
            Val::Num(n) => Some(n),
            Val::Area { sheet, rows, cols } if rows.0 == rows.1 && cols.0 == cols.1 => {
                self.ev.cell_value(sheet, rows.0, cols.0, self.depth)
            }
            Val::Area { .. } => None,
        }
    }

    fn expr(&mut self) -> Option<Val> {
        let mut acc = self.term()?;
        loop {
            let op = match self.peek() {
                Some(c @ ('+' | '-')) => c,
                _ => return Some(acc),
            };
            self.pos += 1;
            let (a, rhs) = (self.number(acc)?, self.term()?);
            let b = self.number(rhs)?;
            acc = Val::Num(if op == '+' { a.checked_add(b)? } else { a.checked_sub(b)? });
        }
    }

    fn term(&mut self) -> Option<Val> {
        let mut acc = self.unary()?;
        while self.eat('*') {
            let (a, rhs) = (self.number(acc)?, self.unary()?);
            acc = Val::Num(a.checked_mul(self.number(rhs)?)?);
        }
        Some(acc)
    }

    fn unary(&mut self) -> Option<Val> {
        if self.eat('+') {
            return self.unary();
        }
        if self.eat('-') {
            let v = self.unary()?;
            return Some(Val::Num(-self.number(v)?));
        }
        self.primary()
    }

    fn primary(&mut self) -> Option<Val> {
        let c = self.peek()?;
        if c == '(' {
            self.pos += 1;
            let v = self.expr()?;
            return self.eat(')').then_some(v);
        }
        if c.is_ascii_digit() || c == '.' {
            let start = self.pos;
            while self.chars.get(self.pos).is_some_and(|c| c.is_ascii_digit() || *c == '.') {
                self.pos += 1;
            }
            let s: String = self.chars[start..self.pos].iter().collect();
            return s.parse::<Decimal>().ok().map(Val::Num);
        }
        if c == '[' {
            return self.ods_reference();
        }
        let sheet = if c == '\'' {
            let name = self.quoted()?;
            if !self.eat('!') {
                return None;
            }
            Some(name)
        } else {
            let word = self.word();
            if word.is_empty() {
                return None;
            }
            if self.eat('!') {
                Some(word)
            } else if self.eat('(') {
                return self.function(&word);
            } else {
                return self.area(self.sheet, &word);
            }
        };
        let sheet = self.ev.cells.sheet(sheet.as_deref()?)?;
        let word = self.word();
        self.area(sheet, &word)
    }

    /// A name, a cell or a function: up to the next operator, bracket or separator.
    fn word(&mut self) -> String {
        self.skip_blanks();
        let start = self.pos;
        while self.chars.get(self.pos).is_some_and(|c| !c.is_whitespace() && !"+-*/^&=<>%(),;:!'\"[]{}".contains(*c)) {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    /// `'表 三'`, with `''` for a quote inside.
    fn quoted(&mut self) -> Option<String> {
        self.pos += 1;
        let mut name = String::new();
        loop {
            let c = *self.chars.get(self.pos)?;
            self.pos += 1;
            if c == '\'' {
                if self.chars.get(self.pos) == Some(&'\'') {
                    self.pos += 1;
                } else {
                    return Some(name);
                }
            }
            name.push(c);
        }
    }

    /// `D5` or `D5:D9` on `sheet`, the first cell already read as `first`.
    fn area(&mut self, sheet: usize, first: &str) -> Option<Val> {
        let a = parse_a1(first)?;
        let b = if self.eat(':') { parse_a1(&self.word())? } else { a };
        rectangle(sheet, a, b)
    }

    /// ods: `[.D5]`, `[.D5:.D9]`, `[$表三.D5]`, `['表 三'.$D$5]`.
    fn ods_reference(&mut self) -> Option<Val> {
        self.pos += 1;
        let end = self.chars[self.pos..].iter().position(|&c| c == ']')? + self.pos;
        let inner: String = self.chars[self.pos..end].iter().collect();
        self.pos = end + 1;
        let (a, b) = match inner.split_once(':') {
            Some((a, b)) => (a, Some(b)),
            None => (inner.as_str(), None),
        };
        let (sheet, first) = self.ods_cell(a, self.sheet)?;
        let second = match b {
            Some(b) => self.ods_cell(b, sheet)?,
            None => (sheet, first),
        };
        (second.0 == sheet).then_some(())?;
        rectangle(sheet, first, second.1)
    }

    /// One `$Sheet.D5` of an ods reference; an empty sheet part is `default`.
    fn ods_cell(&self, s: &str, default: usize) -> Option<(usize, (u32, u32))> {
        let (sheet, a1) = s.rsplit_once('.')?;
        let sheet = sheet.trim_start_matches('$');
        let sheet = match sheet.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')) {
            Some(q) => q.replace("''", "'"),
            None => sheet.to_string(),
        };
        let index = if sheet.is_empty() { default } else { self.ev.cells.sheet(&sheet)? };
        Some((index, parse_a1(a1)?))
    }

    /// `SUM(…)` over numbers, cells and ranges; any other function is no value.
    fn function(&mut self, name: &str) -> Option<Val> {
        if !name.eq_ignore_ascii_case("SUM") {
            return None;
        }
        let mut total = Decimal::ZERO;
        if self.eat(')') {
            return Some(Val::Num(total));
        }
        loop {
            match self.expr()? {
                Val::Num(n) => total = total.checked_add(n)?,
                Val::Area { sheet, rows, cols } => {
                    for row in rows.0..=rows.1 {
                        for col in cols.0..=cols.1 {
                            total = total.checked_add(self.ev.cell_value(sheet, row, col, self.depth)?)?;
                        }
                    }
                }
            }
            if self.eat(')') {
                return Some(Val::Num(total));
            }
            if !(self.eat(',') || self.eat(';')) {
                return None;
            }
        }
    }
}

/// The area between two corners, if it is not too large.
fn rectangle(sheet: usize, a: (u32, u32), b: (u32, u32)) -> Option<Val> {
    let (rows, cols) = ((a.0.min(b.0), a.0.max(b.0)), (a.1.min(b.1), a.1.max(b.1)));
    let n = u64::from(rows.1 - rows.0 + 1) * u64::from(cols.1 - cols.0 + 1);
    (n <= MAX_RANGE_CELLS).then_some(Val::Area { sheet, rows, cols })
}

/// The value of a formula saved without its result, naming cells of its own sheet only
/// (the reader evaluates the whole workbook's formulas before, through [`resolve`]).
pub fn compute_sum<'a>(formula: &str, get: &dyn Fn(u32, u32) -> &'a Raw) -> Option<Decimal> {
    evaluate(&OneSheet(get), 0, formula)
}

/// One sheet's cells as a closure gives them; it names no other sheet.
struct OneSheet<'a, 'g>(&'g dyn Fn(u32, u32) -> &'a Raw);

impl Cells for OneSheet<'_, '_> {
    fn sheet(&self, _: &str) -> Option<usize> {
        None
    }
    fn cell(&self, _: usize, row: u32, col: u32) -> &Raw {
        (self.0)(row, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn same_sheet_formulas_are_computed_and_nothing_else() {
        let cells = [((7u32, 3u32), Raw::Int(2)), ((7, 4), Raw::Float(3.0)), ((7, 5), Raw::Str("4".into()))];
        let blank = Raw::Empty;
        let text = Raw::Str("约3".into());
        let get = |r: u32, c: u32| -> &Raw {
            if (r, c) == (8, 3) {
                return &text;
            }
            cells.iter().find(|(p, _)| *p == (r, c)).map_or(&blank, |(_, v)| v)
        };
        let n = |f: &str| compute_sum(f, &get).map(|d| d.to_string());
        assert_eq!(n("SUM(D8:I8)").as_deref(), Some("9"));
        assert_eq!(n("=D8+E8+F8").as_deref(), Some("9"));
        assert_eq!(n("=sum($D$8, E8)").as_deref(), Some("5"));
        assert_eq!(n("=SUM(D8:D9)"), None, "a text cell");
        assert_eq!(n("=其他!D8+E8"), None, "another sheet");
        assert_eq!(n("=AVERAGE(D8:E8)"), None);
        assert_eq!(n("=D8*2").as_deref(), Some("4"));
        assert_eq!(n("=D8+1").as_deref(), Some("3"));
        assert_eq!(n("=D8/2"), None);
        assert_eq!(n("=SUM(A1:Z1000)"), None, "too many cells");
    }

    fn sheet(name: &str, cells: &[(&str, Raw)]) -> Sheet {
        let cells: BTreeMap<(u32, u32), Raw> =
            cells.iter().map(|(a1, raw)| (parse_a1(a1).expect("a1"), raw.clone())).collect();
        Sheet { name: name.into(), cells, hidden: false, lines: Default::default() }
    }

    fn f(s: &str) -> Raw {
        Raw::Formula(s.into())
    }

    fn book() -> Vec<Sheet> {
        vec![
            sheet(
                "表二",
                &[
                    ("D5", Raw::Int(7)),
                    ("D6", Raw::Float(2.5)),
                    ("D7", Raw::Str("3".into())),
                    ("D8", Raw::Str("—".into())),
                    ("D9", Raw::Str("约3".into())),
                    ("E5", f("D5+D6")),
                    ("E6", f("E7+1")),
                    ("E7", f("E6+1")),
                    ("E8", Raw::Error("#REF!".into())),
                ],
            ),
            sheet("表 三", &[("D5", Raw::Int(10)), ("D6", Raw::Int(20)), ("D7", f("SUM(D5:D6)"))]),
            sheet("Sheet1", &[("A1", Raw::Int(4))]),
        ]
    }

    fn n(s: &str) -> Option<String> {
        evaluate(book().as_slice(), 0, s).map(|d| d.normalize().to_string())
    }

    #[test]
    fn templates_formulas_are_evaluated() {
        assert_eq!(n("=D5+D6-D7").as_deref(), Some("6.5"));
        assert_eq!(n("=(D5+D6)*2").as_deref(), Some("19"));
        assert_eq!(n("=-D5+3*2").as_deref(), Some("-1"));
        assert_eq!(n("= D5 + $D$7 ").as_deref(), Some("10"));
        assert_eq!(n("=SUM(D5:D8)").as_deref(), Some("12.5"));
        assert_eq!(n("=sum(D5,D7,10)").as_deref(), Some("20"));
        assert_eq!(n("=SUM(D5:D6)+SUM(D7)").as_deref(), Some("12.5"));
        assert_eq!(n("='表 三'!D5+Sheet1!A1").as_deref(), Some("14"));
        assert_eq!(n("=SUM('表 三'!D5:D6)").as_deref(), Some("30"));
        assert_eq!(n("=sheet1!A1").as_deref(), Some("4"));
        assert_eq!(n("=E5*2").as_deref(), Some("19"), "a formula naming a formula");
        assert_eq!(n("='表 三'!D7-1").as_deref(), Some("29"), "on another sheet");
        assert_eq!(n("of:=SUM([.D5:.D6])+[$'表 三'.D5]").as_deref(), Some("19.5"));
        assert_eq!(n("of:=[$Sheet1.$A$1]*[.D7]").as_deref(), Some("12"));
    }

    #[test]
    fn anything_else_is_no_value() {
        for s in [
            "=D5/2",
            "=AVERAGE(D5:D6)",
            "=D9+1",
            "=SUM(D5:D9)",
            "=E6",
            "=E8+1",
            "=D5:D6+1",
            "=其他!D5",
            "=[1]Sheet1!A1",
            "=D5&D6",
            "=D5>1",
            "=\"3\"+1",
            "=SUM(A1:Z1000)",
            "=D5+",
            "=(D5",
            "=SUM(D5 D6)",
            "=D:D",
        ] {
            assert_eq!(n(s), None, "{s}");
        }
    }

    #[test]
    fn resolve_replaces_what_evaluates_and_keeps_the_rest() {
        let mut b = book();
        resolve(&mut b);
        let at = |s: usize, a1: &str| b[s].get(parse_a1(a1).expect("a1").0, parse_a1(a1).expect("a1").1).clone();
        assert_eq!(at(0, "E5"), Raw::Computed { formula: "D5+D6".into(), value: Decimal::new(95, 1) });
        assert_eq!(at(1, "D7"), Raw::Computed { formula: "SUM(D5:D6)".into(), value: Decimal::from(30) });
        assert_eq!(at(0, "E6"), f("E7+1"), "a cycle");
    }

    #[test]
    fn a_long_chain_is_bounded() {
        let cells: Vec<(String, Raw)> = (1..=500)
            .map(|r| (format!("A{r}"), if r == 1 { Raw::Int(1) } else { f(&format!("A{}+1", r - 1)) }))
            .collect();
        let refs: Vec<(&str, Raw)> = cells.iter().map(|(a, r)| (a.as_str(), r.clone())).collect();
        let b = vec![sheet("S", &refs)];
        assert_eq!(evaluate(b.as_slice(), 0, "A20").map(|d| d.to_string()).as_deref(), Some("20"));
        assert_eq!(evaluate(b.as_slice(), 0, "A500"), None);
    }
}
