//! The walk over a report's numbers: every cell of the form's tables in form order, with its
//! place, row and column, and value.

use super::{Report, Value};
use crate::form::{
    ActiveCol, ActiveRow, ColKey, Column, Form, Kind, ReqCol, ReqRow, ReviewCol, ReviewGroup, RowKey, SectionId,
};

/// The iterator of [`Report::cells`]: a cursor over the form's tables, rows and columns.
/// Written out by hand rather than as chained `flat_map`s, which cost the checks (that walk
/// it for every report) measurably more instructions.
#[derive(Debug, Clone)]
pub struct Cells<'a> {
    report: &'a Report,
    form: &'static Form,
    /// The table being walked: `Active`, `Requests`, `ReviewLitigation`, then `Overview`
    /// when done; `last` is the last table to walk.
    table: SectionId,
    last: SectionId,
    /// Section 二: the block, and the row within it.
    block: usize,
    row_in_block: usize,
    /// The row (table 四: the group) in the report's table, and the column.
    row: usize,
    col: usize,
}

impl<'a> Cells<'a> {
    /// The walk from table `first` to table `last`.
    pub(super) fn new(report: &'a Report, first: SectionId, last: SectionId) -> Self {
        Cells { report, form: report.form(), table: first, last, block: 0, row_in_block: 0, row: 0, col: 0 }
    }

    /// Moves on to the next table, or ends after the last.
    fn next_table(&mut self, table: SectionId) {
        self.table = if self.table == self.last { SectionId::Overview } else { table };
        self.row = 0;
        self.col = 0;
    }
}

impl<'a> Iterator for Cells<'a> {
    type Item = NumberRef<'a>;

    #[inline]
    fn next(&mut self) -> Option<NumberRef<'a>> {
        let (form, report) = (self.form, self.report);
        loop {
            let (i, c) = (self.row, self.col);
            match self.table {
                SectionId::Active => {
                    let Some(block) = form.active.get(self.block) else {
                        self.next_table(SectionId::Requests);
                        continue;
                    };
                    let Some(row) = block.rows.get(self.row_in_block) else {
                        self.block += 1;
                        self.row_in_block = 0;
                        continue;
                    };
                    let Some(col) = block.columns.get(c) else {
                        self.row_in_block += 1;
                        self.row += 1;
                        self.col = 0;
                        continue;
                    };
                    self.col += 1;
                    let (RowKey::Active(r), ColKey::Active(k)) = (row.key, col.key) else { continue };
                    let Some(value) = report.active.get(i).and_then(|x| x.get(c)) else { continue };
                    return Some(NumberRef::new(Place::Active(r, k), (i, c), row.id, row.label, col, value));
                }
                SectionId::Requests => {
                    let Some(row) = form.requests_rows.get(i) else {
                        self.next_table(SectionId::ReviewLitigation);
                        continue;
                    };
                    let Some(col) = form.requests_columns.get(c) else {
                        self.row += 1;
                        self.col = 0;
                        continue;
                    };
                    self.col += 1;
                    let (RowKey::Requests(r), ColKey::Requests(k)) = (row.key, col.key) else { continue };
                    let Some(value) = report.requests.get(i).and_then(|x| x.get(c)) else { continue };
                    return Some(NumberRef::new(Place::Requests(r, k), (i, c), row.id, row.label, col, value));
                }
                SectionId::ReviewLitigation => {
                    let Some(group) = form.review_groups.get(i) else {
                        self.next_table(SectionId::Overview);
                        continue;
                    };
                    let Some(col) = form.review_columns.get(c) else {
                        self.row += 1;
                        self.col = 0;
                        continue;
                    };
                    self.col += 1;
                    let ColKey::Review(k) = col.key else { continue };
                    let Some(value) = report.review.get(i).and_then(|x| x.get(c)) else { continue };
                    let place = Place::Review(group.key, k);
                    return Some(NumberRef::new(place, (i, c), group.id, group.label, col, value));
                }
                _ => return None,
            }
        }
    }
}

/// The place of a number in the form, by typed ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    Active(ActiveRow, ActiveCol),
    Requests(ReqRow, ReqCol),
    Review(ReviewGroup, ReviewCol),
}

impl Place {
    /// The section the place is in.
    pub fn section(self) -> SectionId {
        match self {
            Place::Active(..) => SectionId::Active,
            Place::Requests(..) => SectionId::Requests,
            Place::Review(..) => SectionId::ReviewLitigation,
        }
    }
}

/// One number with its place in the form.
#[derive(Debug, Clone, Copy)]
pub struct NumberRef<'a> {
    /// `active`, `requests` or `review_litigation` (compares equal to those strings).
    pub section: SectionId,
    pub place: Place,
    /// The position in the report's table: `[row][column]` (table 四: `[group][column]`).
    pub at: (usize, usize),
    /// The row's (table 四: the group's) string id and the label the edition prints.
    pub row: &'static str,
    pub row_label: &'static str,
    /// The column's string id and label.
    pub col: &'static str,
    pub col_label: &'static str,
    /// The column: its typed id, kind and header unit.
    pub column: &'static Column,
    pub kind: Kind,
    pub value: &'a Value,
}

impl<'a> NumberRef<'a> {
    #[inline]
    fn new(
        place: Place,
        at: (usize, usize),
        row: &'static str,
        row_label: &'static str,
        column: &'static Column,
        value: &'a Value,
    ) -> Self {
        NumberRef {
            section: place.section(),
            place,
            at,
            row,
            row_label,
            col: column.id,
            col_label: column.label,
            column,
            kind: column.kind,
            value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::Edition;
    use rust_decimal::Decimal;

    #[test]
    fn cells_walk_every_number_once_in_form_order() {
        let r = Report::blank(Edition::E2021);
        let cells: Vec<NumberRef<'_>> = r.cells().collect();
        // Section 二: 2×3 + 1 + 2 + 1; table 三: 25×7; table 四: 3×5.
        assert_eq!(cells.len(), 10 + 175 + 15);
        assert_eq!(cells[0].place, Place::Active(ActiveRow::Regulations, ActiveCol::Issued));
        assert_eq!(cells[9].place, Place::Active(ActiveRow::Fees, ActiveCol::AmountWan));
        assert_eq!(cells[9].column.unit, Some("万元"));
        assert_eq!(cells[10].place, Place::Requests(ReqRow::NewReceived, ReqCol::NaturalPerson));
        assert_eq!((cells[10].section, cells[10].at), (SectionId::Requests, (0, 0)));
        assert_eq!(cells[199].place, Place::Review(ReviewGroup::LitigationAfterReview, ReviewCol::Total));
        assert_eq!(
            (cells[199].row, cells[199].col, cells[199].section.id()),
            ("litigation_after_review", "total", "review_litigation")
        );
        let r = Report::blank(Edition::E2019);
        // Section 二: 2×3 + 2×3 + 2×3 + 2 + 2; table 三: 23×7.
        assert_eq!(r.cells().count(), 22 + 161 + 15);
        assert_eq!(r.cells_in(SectionId::Active).count(), 22);
        let review: Vec<_> = r.cells_in(SectionId::ReviewLitigation).map(|n| n.at).collect();
        assert_eq!((review.len(), review[0], review[14]), (15, (0, 0), (2, 4)));
        assert_eq!(
            r.cells_in(SectionId::Requests).last().map(|n| n.place),
            Some(Place::Requests(ReqRow::CarriedForward, ReqCol::Total))
        );
        assert_eq!(r.cells_in(SectionId::Problems).count(), 0);
    }

    #[test]
    fn typed_and_string_lookups_find_the_same_value() {
        let mut r = Report::blank(Edition::E2019);
        r.requests[20][6] = Value::number(Decimal::from(7));
        r.active[7][1] = Value::number(Decimal::from(12));
        r.review[2][3] = Value::number(Decimal::from(4));
        let n = |v: Option<&Value>| v.and_then(|v| v.num).map(|d| d.to_string());
        assert_eq!(n(r.requests_at(ReqRow::Other, ReqCol::Total)), Some("7".into()));
        assert_eq!(n(r.request("other", "total")), Some("7".into()));
        assert_eq!(n(r.at(Place::Active(ActiveRow::Procurement, ActiveCol::Amount))), Some("12".into()));
        assert_eq!(n(r.active_value("procurement", "amount")), Some("12".into()));
        assert_eq!(n(r.review_value("litigation_after_review", "pending")), Some("4".into()));
        // A row of the other edition, and a misspelt string id, find nothing.
        assert_eq!(r.requests_at(ReqRow::OtherMisc, ReqCol::Total), None);
        assert_eq!(r.request("othr", "total"), None);
    }
}
