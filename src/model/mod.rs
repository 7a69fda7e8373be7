//! The typed report, one for both editions: every reader fills it, every writer reads it.
//! Tables are indexed by the positions of the edition's form (`form/`), and every number
//! keeps the cell it came from.

use crate::cell::CellRef;
use crate::form::{ActiveCol, ActiveRow, Edition, Form, Kind, ReqCol, ReqRow, ReviewCol, ReviewGroup, SectionId};
use rust_decimal::Decimal;

mod cells;

pub use cells::{Cells, NumberRef, Place};

/// How a cell's content was understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// A number, typed in any of the accepted ways.
    Number,
    /// Empty, `—`, `-`, `/`, `无`: read as 0.
    Blank,
    /// Not a number (`约30`, `N/A`, `#REF!`, a date, TRUE).
    Text,
    /// A formula whose value was never calculated.
    Formula,
}

/// One number of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// The number; `None` when the cell is not a number.
    pub num: Option<Decimal>,
    pub state: State,
    /// The content as typed, for messages and for printing back an unreadable cell.
    pub raw: String,
    /// A unit typed with an amount (`元`, `万元`).
    pub unit: Option<String>,
    pub cell: Option<CellRef>,
}

impl Value {
    pub fn zero() -> Self {
        Value { num: Some(Decimal::ZERO), state: State::Blank, raw: String::new(), unit: None, cell: None }
    }

    pub fn number(num: Decimal) -> Self {
        Value { num: Some(num), state: State::Number, raw: num.to_string(), unit: None, cell: None }
    }

    /// A formula saved without its result, computed by the reader from the cells it names
    /// (VAL-FORMULA-COMPUTED): a number whose typed content is the formula.
    pub fn is_computed(&self) -> bool {
        self.state == State::Number && self.raw.starts_with('=')
    }

    /// The number, or 0 where the cell is unreadable (its own finding says so).
    pub fn n(&self) -> Decimal {
        self.num.unwrap_or(Decimal::ZERO)
    }

    /// The text a document shows for this value: the number as typed, or the raw cell.
    pub fn display(&self, kind: Kind) -> String {
        match (self.num, kind) {
            (Some(n), Kind::Signed) if n > Decimal::ZERO => format!("+{}", crate::number::text(n)),
            (Some(n), Kind::Amount) => match &self.unit {
                Some(u) => format!("{n}{u}"),
                None => n.to_string(),
            },
            (Some(n), _) => crate::number::text(n),
            (None, _) => self.raw.clone(),
        }
    }
}

/// A narrative part and the cell it was read from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Text {
    pub text: String,
    pub cell: Option<CellRef>,
}

impl Text {
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// A line an agency typed under the section 二 tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    pub cell: Option<CellRef>,
}

/// A label the reader met in a table and could not match.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownLabel {
    pub cell: CellRef,
    pub text: String,
    pub nearest: String,
}

/// The message a workbook came in (`mail`): the sender's particulars.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The sender as `name <address>`, or whichever of the two the message gives.
    pub sender: String,
    /// The sender's address, where the message gives one.
    pub address: Option<String>,
    /// The sender's display name, where the message gives one.
    pub name: Option<String>,
    /// When the message was sent, `YYYY-MM-DD HH:MM:SS +HH:MM` in the sender's offset.
    pub date: Option<String>,
    /// Seconds since 1970 of `date`, for ordering resubmissions.
    pub timestamp: Option<i64>,
    pub subject: String,
    /// The Message-ID without angle brackets.
    pub message_id: Option<String>,
    /// The References of the message, for the reply's References line.
    pub references: Vec<String>,
}

impl Origin {
    /// The name outputs and the summary give an attachment from this message.
    pub fn input_name(&self, attachment: &str) -> String {
        let who =
            self.name.as_deref().filter(|n| !n.trim().is_empty()).or(self.address.as_deref()).unwrap_or("未知发件人");
        format!("{} - {}", who.trim(), attachment)
    }
}

/// Where the agency and year were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaSource {
    InfoSheet,
    Title,
    Labelled,
    CommandLine,
    /// The file's name, the last resort (META-FROM-NAME says so).
    FileName,
    Missing,
}

/// A metadata value with the cell it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta<T> {
    pub value: Option<T>,
    pub cell: Option<CellRef>,
    pub source: MetaSource,
}

impl<T> Default for Meta<T> {
    fn default() -> Self {
        Meta { value: None, cell: None, source: MetaSource::Missing }
    }
}

/// Contact and publication lines of the preamble (基本信息).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contact {
    /// Where the electronic version can be downloaded.
    pub website: Option<String>,
    /// The office to contact.
    pub office: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub phone: Option<String>,
}

/// The narrative parts of the report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Narrative {
    pub overview: Text,
    pub problems: Text,
    pub other_matters: Text,
}

/// 信息处理费 of the 2021 edition's section 六.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fee {
    pub count: Option<Value>,
    pub amount: Option<Value>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The source file's name (no folders) and SHA-256 of its bytes.
    pub file: String,
    pub sha256: String,
    pub edition: Edition,
    pub agency: Meta<String>,
    pub year: Meta<i32>,
    pub contact: Contact,
    /// Section 二: one row per `form.active_rows()`, one value per column of its block.
    pub active: Vec<Vec<Value>>,
    pub active_extra: Vec<Line>,
    /// Section 三: `[row][column]` in form order.
    pub requests: Vec<Vec<Value>>,
    /// Section 四: `[group][column]` in form order.
    pub review: Vec<Vec<Value>>,
    pub text: Narrative,
    pub fee: Fee,
    /// Labels in the tables that match no official label.
    pub unknown_labels: Vec<UnknownLabel>,
    /// The message the workbook came in, for workbooks taken from mail.
    pub origin: Option<Origin>,
    /// Which of several sets of tables was read, if the workbook holds more than one.
    pub read_choice: Option<ReadChoice>,
    /// What the reader decided inside a table and says: a label placed by its position,
    /// one of two columns or blocks chosen by the report year.
    pub read_notes: Vec<ReadNote>,
    /// Subtotals the agency added to table 三 (a `小计` column under 法人或其他组织, a `其中`
    /// row), checked against their parts (T3-SUBTOTAL, T3-SUBTOTAL-PART).
    pub subtotals: Vec<Subtotal>,
    /// Every field read, with its cell and the label text it was read under.
    pub read_map: Vec<ReadEntry>,
    /// A published report's tables as printed (empty for a workbook): where a finding's
    /// cell is, said as a reader finds it (`crate::locate`).
    pub printed: Vec<PrintedTable>,
}

/// One table of a published report: the sheet the reader read it as, its number in the
/// document, and the page each of its rows was printed on (PDF only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedTable {
    pub sheet: String,
    /// 1 for the document's first table.
    pub number: usize,
    /// The page of each row of the sheet, 1-based; empty for a web page or Word document.
    pub pages: Vec<u32>,
}

/// Which rule a reader's note is said under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    /// READ-LABEL: a label read by its position, not its text.
    Label,
    /// READ-CHOICE: one of two places holding the same numbers taken.
    Choice,
}

/// A decision of the reader inside a table, said as a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadNote {
    pub kind: NoteKind,
    pub cell: Option<CellRef>,
    /// The finding's message, in plain Chinese.
    pub message: String,
}

/// How a cell the agency added relates to the form's cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubtotalKind {
    /// A `小计` column: the sum of its parts (T3-SUBTOTAL).
    Sum,
    /// A `其中` row: a part of the row above it, never more than it (T3-SUBTOTAL-PART).
    Part,
    /// A `其中` row with siblings of its kind: checked with them ([`SubtotalKind::Parts`]).
    PartOfSeveral,
    /// The `其中` rows of one row at one level, in one column: `value` is the row's cell,
    /// `parts` theirs, whose sum is never more than it (T3-SUBTOTAL-PART); `label` their
    /// labels joined by `、`.
    Parts,
}

/// A subtotal cell the form does not have, and the cells it should be the sum of (or, for
/// a `其中` row, the one cell it is a part of).
#[derive(Debug, Clone, PartialEq)]
pub struct Subtotal {
    pub kind: SubtotalKind,
    /// The subtotal's value, with its cell.
    pub value: Value,
    /// The parts, with their cells; for a `其中` row, the cell of the row it is part of.
    pub parts: Vec<Value>,
    /// The subtotal's header as typed (`小计`) and what it sums, for the message.
    pub label: String,
    pub of: String,
}

/// The reader's choice between sets of tables (READ-CHOICE).
#[derive(Debug, Clone, PartialEq)]
pub struct ReadChoice {
    /// The sheets read, `（隐藏）` after a hidden one.
    pub taken: Vec<String>,
    /// The sheets holding tables that were not read.
    pub left: Vec<String>,
    /// Why, in plain Chinese (`其余工作表是隐藏的`).
    pub reason: String,
}

/// One field read: `requests.granted.total` from `依申请公开!J7` under `（一）予以公开 / 总计`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadEntry {
    pub field: String,
    pub cell: CellRef,
    /// The label text as the workbook has it: row label and column header.
    pub label: String,
}

impl Report {
    /// Whether it was read from a published report (web page, Word document, PDF), which
    /// has no workbook: its annotated copy is an HTML page of its tables.
    pub fn is_published(&self) -> bool {
        !self.printed.is_empty()
    }

    /// A report of the given edition with every number 0 and nothing else filled.
    pub fn blank(edition: Edition) -> Self {
        let form = edition.form();
        Report {
            file: String::new(),
            sha256: String::new(),
            edition,
            agency: Meta::default(),
            year: Meta::default(),
            contact: Contact::default(),
            active: form.active_rows().map(|(b, _)| vec![Value::zero(); b.columns.len()]).collect(),
            active_extra: Vec::new(),
            requests: vec![vec![Value::zero(); form.requests_columns.len()]; form.requests_rows.len()],
            review: vec![vec![Value::zero(); form.review_columns.len()]; form.review_groups.len()],
            text: Narrative::default(),
            fee: Fee::default(),
            unknown_labels: Vec::new(),
            origin: None,
            read_choice: None,
            read_notes: Vec::new(),
            subtotals: Vec::new(),
            read_map: Vec::new(),
            printed: Vec::new(),
        }
    }

    pub fn form(&self) -> &'static Form {
        self.edition.form()
    }

    pub fn agency_name(&self) -> &str {
        self.agency.value.as_deref().unwrap_or("")
    }

    /// A value of table 三; `None` for a row only the other edition has.
    pub fn requests_at(&self, row: ReqRow, col: ReqCol) -> Option<&Value> {
        let r = self.form().requests_index(row)?;
        self.requests.get(r)?.get(col.index())
    }

    /// A value of section 二; `None` for a row or column only the other edition has.
    pub fn active_at(&self, row: ActiveRow, col: ActiveCol) -> Option<&Value> {
        let (r, c) = self.form().active_index(row, col)?;
        self.active.get(r)?.get(c)
    }

    /// A value of table 四.
    pub fn review_at(&self, group: ReviewGroup, col: ReviewCol) -> Option<&Value> {
        self.review.get(group.index())?.get(col.index())
    }

    /// A value of table 三 by its string ids, for callers holding the public ids (tests,
    /// tools); the crate itself uses the typed [`Report::requests_at`].
    pub fn request(&self, row: &str, col: &str) -> Option<&Value> {
        self.requests_at(ReqRow::parse(row)?, ReqCol::parse(col)?)
    }

    /// A value of section 二 by its string ids (see [`Report::request`]).
    pub fn active_value(&self, row: &str, col: &str) -> Option<&Value> {
        self.active_at(ActiveRow::parse(row)?, ActiveCol::parse(col)?)
    }

    /// A value of table 四 by its string ids (see [`Report::request`]).
    pub fn review_value(&self, group: &str, col: &str) -> Option<&Value> {
        self.review_at(ReviewGroup::parse(group)?, ReviewCol::parse(col)?)
    }

    /// Every number of the tables with its place in the form, in form order: section 二
    /// row by row, table 三 row by row, table 四 group by group. The one walk over form and
    /// report that the JSON, the template context, the checks, the summary and the
    /// writers share; the layouts draw their numbers in this order.
    pub fn cells(&self) -> Cells<'_> {
        self.cells_from(SectionId::Active, SectionId::ReviewLitigation)
    }

    /// [`Report::cells`] of one table only (`Active`, `Requests` or `ReviewLitigation`;
    /// nothing for a section without a table).
    pub fn cells_in(&self, table: SectionId) -> Cells<'_> {
        self.cells_from(table, table)
    }

    fn cells_from(&self, first: SectionId, last: SectionId) -> Cells<'_> {
        Cells::new(self, first, last)
    }

    /// [`Report::cells`] collected.
    pub fn numbers(&self) -> Vec<NumberRef<'_>> {
        self.cells().collect()
    }

    /// The value at a place of the form; `None` for a place only the other edition has.
    pub fn at(&self, place: Place) -> Option<&Value> {
        match place {
            Place::Active(r, c) => self.active_at(r, c),
            Place::Requests(r, c) => self.requests_at(r, c),
            Place::Review(g, c) => self.review_at(g, c),
        }
    }

    /// The values of one table, `[row][column]` in form order (table 四: `[group][column]`);
    /// `None` for a section without a table.
    pub(crate) fn table_mut(&mut self, section: SectionId) -> Option<&mut Vec<Vec<Value>>> {
        match section {
            SectionId::Active => Some(&mut self.active),
            SectionId::Requests => Some(&mut self.requests),
            SectionId::ReviewLitigation => Some(&mut self.review),
            _ => None,
        }
    }
}
