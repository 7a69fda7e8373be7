//! The one description of each edition's form: sections, tables, rows and columns with
//! their ids and verbatim labels (formats.md §1–4). The template writer, the reader, the
//! checks and every writer walk this description; a new edition is new data here.

use std::fmt;

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
    pub fn for_year(year: i32) -> Edition {
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
    pub review_groups: &'static [Group],
    pub review_columns: &'static [Column],
}

/// A section of the document (formats.md §1).
#[derive(Debug)]
pub struct Section {
    pub id: &'static str,
    pub heading: &'static str,
}

pub const SECTIONS: [Section; 6] = [
    Section { id: "overview", heading: "一、总体情况" },
    Section { id: "active", heading: "二、主动公开政府信息情况" },
    Section { id: "requests", heading: "三、收到和处理政府信息公开申请情况" },
    Section { id: "review_litigation", heading: "四、政府信息公开行政复议、行政诉讼情况" },
    Section { id: "problems", heading: "五、存在的主要问题及改进情况" },
    Section { id: "other_matters", heading: "六、其他需要报告的事项" },
];

pub fn section(id: &str) -> &'static Section {
    SECTIONS.iter().find(|s| s.id == id).unwrap_or(&SECTIONS[0])
}

/// The sub-heads the official notice lists for 一、总体情况.
pub const OVERVIEW_SUBHEADS: [&str; 5] =
    ["（一）主动公开情况", "（二）依申请公开情况", "（三）政府信息管理", "（四）平台建设", "（五）监督保障"];

/// The note in the first cell of table 三.
pub const REQUESTS_NOTE: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
pub const REQUESTS_APPLICANT: &str = "申请人情况";
pub const REQUESTS_ORG: &str = "法人或其他组织";
pub const ACTIVE_HEADER: &str = "信息内容";
pub const REVIEW_LITIGATION: &str = "行政诉讼";
/// The hint the template prints under the section 二 tables; the reader skips it.
pub const EXTRA_HINT: &str = "（以下可逐行填写本机关需要补充说明的主动公开数据";

/// Labels of the 基本信息 sheet, shared by the template and the reader.
pub mod info {
    pub const SHEET: &str = "基本信息";
    pub const AGENCY: &str = "机关名称";
    /// Labels of a cell naming the agency, with or without `（盖章）` (a trailing note).
    pub const AGENCY_ALIASES: [&str; 5] = ["单位名称", "填报单位", "填报机关", "报送单位", "报告单位"];
    pub const YEAR: &str = "报告年度";
    pub const YEAR_ALIASES: [&str; 2] = ["年度", "填报年度"];
    pub const EDITION: &str = "版本";
    pub const WEBSITE: &str = "电子版发布网站";
    pub const OFFICE: &str = "联系机关";
    pub const ADDRESS: &str = "地址";
    pub const POSTCODE: &str = "邮政编码";
    pub const PHONE: &str = "咨询电话";
    pub const OVERVIEW: &str = "一、总体情况（总述）";
    /// A sixth sub-head of the agency's own choosing, typed with its heading.
    pub const OVERVIEW_MORE: &str = "（六）其他方面（连同小标题填写，可留空）";
    pub const PROBLEMS: &str = "五、存在的主要问题及改进情况";
    pub const OTHER_MATTERS: &str = "六、其他需要报告的事项";
    pub const FEE_COUNT: &str = "信息处理费收费次数";
    pub const FEE_AMOUNT: &str = "信息处理费收费金额（万元）";
}

const fn col(id: &'static str, label: &'static str, kind: Kind) -> Column {
    Column { id, label, aliases: &[], kind, unit: None }
}

const fn row(id: &'static str, label: &'static str) -> Row {
    Row { id, label, aliases: &[], groups: &[] }
}

const fn grow(id: &'static str, label: &'static str, groups: &'static [&'static str]) -> Row {
    Row { id, label, aliases: &[], groups }
}

// ---- Section 二, 2021 edition ----

const COLS_2021_ART1: [Column; 3] = [
    col("issued", "本年制发件数", Kind::Count),
    col("repealed", "本年废止件数", Kind::Count),
    Column {
        id: "in_force",
        label: "现行有效件数",
        aliases: &["现行有效件", "现行有效数"],
        kind: Kind::Count,
        unit: None,
    },
];
const COLS_2021_DECISIONS: [Column; 1] = [Column {
    id: "decisions",
    label: "本年处理决定数量",
    aliases: &["处理决定数量", "本年处理决定数"],
    kind: Kind::Count,
    unit: None,
}];
const COLS_2021_FEES: [Column; 1] = [Column {
    id: "amount_wan",
    label: "本年收费金额（单位：万元）",
    aliases: &["本年收费金额"],
    kind: Kind::Amount,
    unit: Some("万元"),
}];

const ACTIVE_2021: [Block; 4] = [
    Block {
        id: "art20_1",
        heading: "第二十条第（一）项",
        columns: &COLS_2021_ART1,
        rows: &[
            row("regulations", "规章"),
            Row {
                id: "normative_documents", label: "行政规范性文件", aliases: &["规范性文件"], groups: &[]
            },
        ],
    },
    Block {
        id: "art20_5",
        heading: "第二十条第（五）项",
        columns: &COLS_2021_DECISIONS,
        rows: &[row("licensing", "行政许可")],
    },
    Block {
        id: "art20_6",
        heading: "第二十条第（六）项",
        columns: &COLS_2021_DECISIONS,
        rows: &[row("penalty", "行政处罚"), row("enforcement", "行政强制")],
    },
    Block {
        id: "art20_8",
        heading: "第二十条第（八）项",
        columns: &COLS_2021_FEES,
        rows: &[row("fees", "行政事业性收费")],
    },
];

// ---- Section 二, 2019 edition ----

const COLS_2019_ART1: [Column; 3] = [
    col("made", "本年新制作数量", Kind::Count),
    col("published", "本年新公开数量", Kind::Count),
    col("total_public", "对外公开总数量", Kind::Count),
];
const COLS_2019_ITEMS: [Column; 3] = [
    col("prev_items", "上一年项目数量", Kind::Count),
    Column {
        id: "change",
        label: "本年增/减",
        aliases: &["本年增减", "本年增加/减少"],
        kind: Kind::Signed,
        unit: None,
    },
    Column {
        id: "decisions", label: "处理决定数量", aliases: &["本年处理决定数量"], kind: Kind::Count, unit: None
    },
];
const COLS_2019_FEES: [Column; 2] = [
    col("prev_items", "上一年项目数量", Kind::Count),
    Column {
        id: "change",
        label: "本年增/减",
        aliases: &["本年增减", "本年增加/减少"],
        kind: Kind::Signed,
        unit: None,
    },
];
const COLS_2019_PROCUREMENT: [Column; 2] =
    [col("items", "采购项目数量", Kind::Count), col("amount", "采购总金额", Kind::Amount)];

const ACTIVE_2019: [Block; 5] = [
    Block {
        id: "art20_1",
        heading: "第二十条第（一）项",
        columns: &COLS_2019_ART1,
        rows: &[
            row("regulations", "规章"),
            Row {
                id: "normative_documents", label: "规范性文件", aliases: &["行政规范性文件"], groups: &[]
            },
        ],
    },
    Block {
        id: "art20_5",
        heading: "第二十条第（五）项",
        columns: &COLS_2019_ITEMS,
        rows: &[row("licensing", "行政许可"), row("other_services", "其他对外管理服务事项")],
    },
    Block {
        id: "art20_6",
        heading: "第二十条第（六）项",
        columns: &COLS_2019_ITEMS,
        rows: &[row("penalty", "行政处罚"), row("enforcement", "行政强制")],
    },
    Block {
        id: "art20_8",
        heading: "第二十条第（八）项",
        columns: &COLS_2019_FEES,
        rows: &[row("fees", "行政事业性收费")],
    },
    Block {
        id: "art20_9",
        heading: "第二十条第（九）项",
        columns: &COLS_2019_PROCUREMENT,
        rows: &[row("procurement", "政府集中采购")],
    },
];

// ---- Section 三 ----

const REQUESTS_COLUMNS: [Column; 7] = [
    col("natural_person", "自然人", Kind::Count),
    col("commercial", "商业企业", Kind::Count),
    col("research", "科研机构", Kind::Count),
    col("social_welfare", "社会公益组织", Kind::Count),
    col("legal_service", "法律服务机构", Kind::Count),
    col("other_org", "其他", Kind::Count),
    col("total", "总计", Kind::Count),
];

const G3: &str = "三、本年度办理结果";
const G_DENIED: &str = "（三）不予公开";
const G_UNABLE: &str = "（四）无法提供";
const G_REJECTED: &str = "（五）不予处理";
const G_OTHER: &str = "（六）其他处理";

macro_rules! requests_rows {
    ($($other:expr),* $(,)?) => {
        [
            row("new_received", "一、本年新收政府信息公开申请数量"),
            row("carried_over", "二、上年结转政府信息公开申请数量"),
            grow("granted", "（一）予以公开", &[G3]),
            grow("partly_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", &[G3]),
            grow("denied_state_secret", "1.属于国家秘密", &[G3, G_DENIED]),
            grow("denied_law_forbids", "2.其他法律行政法规禁止公开", &[G3, G_DENIED]),
            grow("denied_security_stability", "3.危及“三安全一稳定”", &[G3, G_DENIED]),
            grow("denied_third_party", "4.保护第三方合法权益", &[G3, G_DENIED]),
            grow("denied_internal_affairs", "5.属于三类内部事务信息", &[G3, G_DENIED]),
            grow("denied_process_info", "6.属于四类过程性信息", &[G3, G_DENIED]),
            grow("denied_enforcement_file", "7.属于行政执法案卷", &[G3, G_DENIED]),
            grow("denied_query_matter", "8.属于行政查询事项", &[G3, G_DENIED]),
            grow("unable_not_held", "1.本机关不掌握相关政府信息", &[G3, G_UNABLE]),
            grow("unable_needs_creation", "2.没有现成信息需要另行制作", &[G3, G_UNABLE]),
            grow("unable_unclear", "3.补正后申请内容仍不明确", &[G3, G_UNABLE]),
            grow("rejected_petition", "1.信访举报投诉类申请", &[G3, G_REJECTED]),
            grow("rejected_repeated", "2.重复申请", &[G3, G_REJECTED]),
            grow("rejected_publication", "3.要求提供公开出版物", &[G3, G_REJECTED]),
            grow("rejected_mass_repeated", "4.无正当理由大量反复申请", &[G3, G_REJECTED]),
            grow("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息", &[G3, G_REJECTED]),
            $($other,)*
            grow("result_total", "（七）总计", &[G3]),
            row("carried_forward", "四、结转下年度继续办理"),
        ]
    };
}

const REQUESTS_ROWS_2019: [Row; 23] = requests_rows![grow("other", G_OTHER, &[G3])];
const REQUESTS_ROWS_2021: [Row; 25] = requests_rows![
    grow("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", &[G3, G_OTHER]),
    grow(
        "other_fee_unpaid",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        &[G3, G_OTHER]
    ),
    grow("other_misc", "3.其他", &[G3, G_OTHER]),
];

// ---- Section 四 ----

const REVIEW_GROUPS: [Group; 3] = [
    Group { id: "review", label: "行政复议", parent: None },
    Group { id: "litigation_direct", label: "未经复议直接起诉", parent: Some(REVIEW_LITIGATION) },
    Group { id: "litigation_after_review", label: "复议后起诉", parent: Some(REVIEW_LITIGATION) },
];
const REVIEW_COLUMNS: [Column; 5] = [
    col("upheld", "结果维持", Kind::Count),
    col("corrected", "结果纠正", Kind::Count),
    col("other", "其他结果", Kind::Count),
    col("pending", "尚未审结", Kind::Count),
    col("total", "总计", Kind::Count),
];

pub static FORM_2019: Form = Form {
    edition: Edition::E2019,
    active: &ACTIVE_2019,
    requests_columns: &REQUESTS_COLUMNS,
    requests_rows: &REQUESTS_ROWS_2019,
    review_groups: &REVIEW_GROUPS,
    review_columns: &REVIEW_COLUMNS,
};

pub static FORM_2021: Form = Form {
    edition: Edition::E2021,
    active: &ACTIVE_2021,
    requests_columns: &REQUESTS_COLUMNS,
    requests_rows: &REQUESTS_ROWS_2021,
    review_groups: &REVIEW_GROUPS,
    review_columns: &REVIEW_COLUMNS,
};

impl Form {
    /// Every active-disclosure row with the block it belongs to, in form order.
    pub fn active_rows(&self) -> impl Iterator<Item = (&'static Block, &'static Row)> {
        self.active.iter().flat_map(|b| b.rows.iter().map(move |r| (b, r)))
    }

    pub fn requests_row(&self, id: &str) -> Option<usize> {
        self.requests_rows.iter().position(|r| r.id == id)
    }

    pub fn active_block_of(&self, row_id: &str) -> Option<&'static Block> {
        self.active.iter().find(|b| b.rows.iter().any(|r| r.id == row_id))
    }
}

pub fn requests_column(id: &str) -> Option<usize> {
    REQUESTS_COLUMNS.iter().position(|c| c.id == id)
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
    fn ids_are_unique_within_a_table() {
        for form in [&FORM_2019, &FORM_2021] {
            let mut ids: Vec<_> = form.requests_rows.iter().map(|r| r.id).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), form.requests_rows.len());
        }
    }
}
