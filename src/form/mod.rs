//! The one description of each edition's form: sections, tables, rows and columns with
//! their ids and verbatim labels (docs/formats.md §1–4). The template writer, the reader, the
//! checks and every writer walk this description; a new edition is new data here.

use std::fmt;

mod editions;
mod ids;

pub(crate) use editions::{FORM_2019, FORM_2021};
pub use ids::{ActiveCol, ActiveRow, ReqCol, ReqRow, ReviewCol, ReviewGroup, SectionId};

/// The national edition of the report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Edition {
    /// 国办公开办函〔2019〕60号, for the 2019 and 2020 reports.
    E2019,
    /// 国办公开办函〔2021〕30号, for 2021 and later.
    E2021,
}

impl Edition {
    pub const ALL: [Edition; 2] = [Edition::E2021, Edition::E2019];

    pub fn id(self) -> &'static str {
        match self {
            Edition::E2019 => "2019",
            Edition::E2021 => "2021",
        }
    }

    pub fn parse(s: &str) -> Option<Edition> {
        let t: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
        match t.as_str() {
            "2019" => Some(Edition::E2019),
            "2021" => Some(Edition::E2021),
            _ => None,
        }
    }

    /// The notice that issued the edition.
    pub fn notice(self) -> &'static str {
        match self {
            Edition::E2019 => "国办公开办函〔2019〕60号",
            Edition::E2021 => "国办公开办函〔2021〕30号",
        }
    }

    /// The edition a report of this year should use.
    pub(crate) fn for_year(year: i32) -> Edition {
        if year >= 2021 {
            Edition::E2021
        } else {
            Edition::E2019
        }
    }

    pub fn form(self) -> &'static Form {
        match self {
            Edition::E2019 => &FORM_2019,
            Edition::E2021 => &FORM_2021,
        }
    }
}

impl fmt::Display for Edition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Which id a row has: a row of section 二 or of table 三.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowKey {
    Active(ActiveRow),
    Requests(ReqRow),
}

/// Which id a column has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColKey {
    Active(ActiveCol),
    Requests(ReqCol),
    Review(ReviewCol),
}

/// What a cell of a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A non-negative whole number.
    Count,
    /// A signed whole number (本年增/减).
    Signed,
    /// A non-negative decimal, every typed decimal place kept.
    Amount,
}

#[derive(Debug)]
pub struct Column {
    pub key: ColKey,
    /// The string id of `key`.
    pub id: &'static str,
    /// The verbatim label as the official form prints it.
    pub label: &'static str,
    /// Other spellings met in real workbooks (matched after normalisation).
    pub aliases: &'static [&'static str],
    pub kind: Kind,
    /// The unit the header names, if any (`万元`).
    pub unit: Option<&'static str>,
}

#[derive(Debug)]
pub struct Row {
    pub key: RowKey,
    /// The string id of `key`.
    pub id: &'static str,
    pub label: &'static str,
    pub aliases: &'static [&'static str],
    /// The labels of the merged group cells to the left of this row's label, outermost
    /// first (`三、本年度办理结果`, `（三）不予公开`).
    pub groups: &'static [&'static str],
}

/// A block of section 二: one article of 第二十条, its own header row and rows.
#[derive(Debug)]
pub struct Block {
    pub id: &'static str,
    pub heading: &'static str,
    pub columns: &'static [Column],
    pub rows: &'static [Row],
}

/// A column group of table 四 (行政复议, or one kind of 行政诉讼).
#[derive(Debug)]
pub struct Group {
    pub key: ReviewGroup,
    /// The string id of `key`.
    pub id: &'static str,
    pub label: &'static str,
    /// The header over this group, if it shares one with others (`行政诉讼`).
    pub parent: Option<&'static str>,
}

/// One edition of the form.
#[derive(Debug)]
pub struct Form {
    pub edition: Edition,
    pub active: &'static [Block],
    pub requests_columns: &'static [Column],
    pub requests_rows: &'static [Row],
    /// Where the rows of table 三's relations are in `requests_rows`.
    pub(crate) requests_at: RequestsAt,
    pub review_groups: &'static [Group],
    pub review_columns: &'static [Column],
}

/// A section of the document (docs/formats.md §1).
#[derive(Debug)]
pub struct Section {
    pub key: SectionId,
    /// The string id of `key`.
    pub id: &'static str,
    pub heading: &'static str,
}

pub const SECTIONS: [Section; 6] = [
    section_of(SectionId::Overview, "一、总体情况"),
    section_of(SectionId::Active, "二、主动公开政府信息情况"),
    section_of(SectionId::Requests, "三、收到和处理政府信息公开申请情况"),
    section_of(SectionId::ReviewLitigation, "四、政府信息公开行政复议、行政诉讼情况"),
    section_of(SectionId::Problems, "五、存在的主要问题及改进情况"),
    section_of(SectionId::OtherMatters, "六、其他需要报告的事项"),
];

const fn section_of(key: SectionId, heading: &'static str) -> Section {
    Section { key, id: key.id(), heading }
}

/// A section by its id: `SECTIONS` is declared in the order of `SectionId` (checked when
/// compiled), so there is no lookup to miss.
pub fn section(id: SectionId) -> &'static Section {
    &SECTIONS[id as usize]
}

/// The sub-heads the official notice lists for 一、总体情况.
pub(crate) const OVERVIEW_SUBHEADS: [&str; 5] =
    ["（一）主动公开情况", "（二）依申请公开情况", "（三）政府信息管理", "（四）平台建设", "（五）监督保障"];

/// The note in the first cell of table 三.
pub const REQUESTS_NOTE: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
pub const REQUESTS_APPLICANT: &str = "申请人情况";
pub const REQUESTS_ORG: &str = "法人或其他组织";
pub const ACTIVE_HEADER: &str = "信息内容";
pub const REVIEW_LITIGATION: &str = "行政诉讼";
/// The hint the template prints under the section 二 tables; the reader skips it.
pub(crate) const EXTRA_HINT: &str = "（以下可逐行填写本机关需要补充说明的主动公开数据";

/// Labels of the 基本信息 sheet, shared by the template and the reader.
pub(crate) mod info {
    pub(crate) const SHEET: &str = "基本信息";
    pub(crate) const AGENCY: &str = "机关名称";
    /// Labels of a cell naming the agency, with or without `（盖章）` (a trailing note).
    pub(crate) const AGENCY_ALIASES: [&str; 5] = ["单位名称", "填报单位", "填报机关", "报送单位", "报告单位"];
    pub(crate) const YEAR: &str = "报告年度";
    pub(crate) const YEAR_ALIASES: [&str; 2] = ["年度", "填报年度"];
    pub(crate) const EDITION: &str = "版本";
    pub(crate) const WEBSITE: &str = "电子版发布网站";
    pub(crate) const OFFICE: &str = "联系机关";
    pub(crate) const ADDRESS: &str = "地址";
    pub(crate) const POSTCODE: &str = "邮政编码";
    pub(crate) const PHONE: &str = "咨询电话";
    pub(crate) const OVERVIEW: &str = "一、总体情况（总述）";
    /// A sixth sub-head of the agency's own choosing, typed with its heading.
    pub(crate) const OVERVIEW_MORE: &str = "（六）其他方面（连同小标题填写，可留空）";
    pub(crate) const PROBLEMS: &str = "五、存在的主要问题及改进情况";
    pub(crate) const OTHER_MATTERS: &str = "六、其他需要报告的事项";
    pub(crate) const FEE_COUNT: &str = "信息处理费收费次数";
    pub(crate) const FEE_AMOUNT: &str = "信息处理费收费金额（万元）";
}

/// The positions in `requests_rows` of the rows the checks build table 三's relations on.
/// Found when the forms are compiled: an edition without one of them does not compile.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RequestsAt {
    pub new_received: usize,
    pub carried_over: usize,
    pub result_total: usize,
    pub carried_forward: usize,
}

impl Form {
    /// Every active-disclosure row with the block it belongs to, in form order.
    pub fn active_rows(&self) -> impl Iterator<Item = (&'static Block, &'static Row)> {
        self.active.iter().flat_map(|b| b.rows.iter().map(move |r| (b, r)))
    }

    /// The position of a row of table 三 in this edition; `None` for a row only the other
    /// edition has.
    pub fn requests_index(&self, row: ReqRow) -> Option<usize> {
        self.requests_rows.iter().position(|r| r.key == RowKey::Requests(row))
    }

    /// The position of a value of section 二 in this edition: (row, column of its block);
    /// `None` for a row or column only the other edition has.
    pub fn active_index(&self, row: ActiveRow, col: ActiveCol) -> Option<(usize, usize)> {
        let (i, (block, _)) = self.active_rows().enumerate().find(|(_, (_, r))| r.key == RowKey::Active(row))?;
        let c = block.columns.iter().position(|c| c.key == ColKey::Active(col))?;
        Some((i, c))
    }

    /// The position of a row of table 三 by its string id, for callers holding the public
    /// ids (tests, tools); the crate names rows by [`ReqRow`].
    pub fn requests_row(&self, id: &str) -> Option<usize> {
        self.requests_index(ReqRow::parse(id)?)
    }
}

/// The position of a column of table 三 by its string id (see [`Form::requests_row`]).
pub fn requests_column(id: &str) -> Option<usize> {
    ReqCol::parse(id).map(ReqCol::index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editions_have_the_official_row_counts() {
        assert_eq!(FORM_2019.requests_rows.len(), 23);
        assert_eq!(FORM_2021.requests_rows.len(), 25);
        assert_eq!(FORM_2019.active_rows().count(), 8);
        assert_eq!(FORM_2021.active_rows().count(), 6);
    }

    #[test]
    fn string_ids_name_the_typed_ids() {
        assert_eq!(ReqRow::parse("result_total"), Some(ReqRow::ResultTotal));
        assert_eq!(ReqRow::parse("result_totl"), None);
        assert_eq!(ReviewGroup::LitigationAfterReview.id(), "litigation_after_review");
        assert_eq!(section(SectionId::ReviewLitigation).heading, "四、政府信息公开行政复议、行政诉讼情况");
        assert_eq!(FORM_2021.requests_at.result_total, 23);
        assert_eq!(FORM_2019.requests_at.carried_forward, 22);
        assert_eq!(FORM_2021.requests_index(ReqRow::Other), None);
        assert_eq!(FORM_2019.requests_index(ReqRow::Other), Some(20));
        assert_eq!(FORM_2019.active_index(ActiveRow::Procurement, ActiveCol::Amount), Some((7, 1)));
        assert_eq!(FORM_2021.active_index(ActiveRow::Procurement, ActiveCol::Amount), None);
        assert_eq!(requests_column("total"), Some(6));
    }

    #[test]
    fn ids_are_unique_within_a_table() {
        for form in [&FORM_2019, &FORM_2021] {
            let mut ids: Vec<_> = form.requests_rows.iter().map(|r| r.id).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), form.requests_rows.len());
        }
    }
}
