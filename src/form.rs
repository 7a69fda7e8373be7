//! The one description of each edition's form: sections, tables, rows and columns with
//! their ids and verbatim labels (docs/formats.md §1–4). The template writer, the reader, the
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

/// Declares an id enum: one variant per string id. The string ids are a public interface
/// (the JSON of `check --format json`, the template context, the archive's data sheet,
/// agencies' own templates); the enums let the code name them so that a misspelt id is a
/// compile error instead of a lookup that silently finds nothing.
macro_rules! ids {
    ($(#[$m:meta])* $name:ident { $($var:ident = $id:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $(#[doc = concat!("`", $id, "`")] $var),*
        }

        impl $name {
            /// Every id, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$var),*];

            /// The string id.
            pub const fn id(self) -> &'static str {
                match self {
                    $($name::$var => $id),*
                }
            }

            /// The id a string names, if it names one.
            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|x| x.id() == s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.id())
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.id()
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.id() == *other
            }
        }
    };
}

ids! {
    /// A section of the document, in document order.
    SectionId {
        Overview = "overview",
        Active = "active",
        Requests = "requests",
        ReviewLitigation = "review_litigation",
        Problems = "problems",
        OtherMatters = "other_matters",
    }
}

ids! {
    /// A row of section 二, of either edition.
    ActiveRow {
        Regulations = "regulations",
        NormativeDocuments = "normative_documents",
        Licensing = "licensing",
        OtherServices = "other_services",
        Penalty = "penalty",
        Enforcement = "enforcement",
        Fees = "fees",
        Procurement = "procurement",
    }
}

ids! {
    /// A column of section 二, of either edition.
    ActiveCol {
        Issued = "issued",
        Repealed = "repealed",
        InForce = "in_force",
        Decisions = "decisions",
        AmountWan = "amount_wan",
        Made = "made",
        Published = "published",
        TotalPublic = "total_public",
        PrevItems = "prev_items",
        Change = "change",
        Items = "items",
        Amount = "amount",
    }
}

ids! {
    /// A row of table 三, of either edition.
    ReqRow {
        NewReceived = "new_received",
        CarriedOver = "carried_over",
        Granted = "granted",
        PartlyGranted = "partly_granted",
        DeniedStateSecret = "denied_state_secret",
        DeniedLawForbids = "denied_law_forbids",
        DeniedSecurityStability = "denied_security_stability",
        DeniedThirdParty = "denied_third_party",
        DeniedInternalAffairs = "denied_internal_affairs",
        DeniedProcessInfo = "denied_process_info",
        DeniedEnforcementFile = "denied_enforcement_file",
        DeniedQueryMatter = "denied_query_matter",
        UnableNotHeld = "unable_not_held",
        UnableNeedsCreation = "unable_needs_creation",
        UnableUnclear = "unable_unclear",
        RejectedPetition = "rejected_petition",
        RejectedRepeated = "rejected_repeated",
        RejectedPublication = "rejected_publication",
        RejectedMassRepeated = "rejected_mass_repeated",
        RejectedConfirmation = "rejected_confirmation",
        Other = "other",
        OtherNoCorrection = "other_no_correction",
        OtherFeeUnpaid = "other_fee_unpaid",
        OtherMisc = "other_misc",
        ResultTotal = "result_total",
        CarriedForward = "carried_forward",
    }
}

ids! {
    /// A column of table 三 (the same in both editions, in this order).
    ReqCol {
        NaturalPerson = "natural_person",
        Commercial = "commercial",
        Research = "research",
        SocialWelfare = "social_welfare",
        LegalService = "legal_service",
        OtherOrg = "other_org",
        Total = "total",
    }
}

ids! {
    /// A column group of table 四 (its rows in the model), in this order.
    ReviewGroup {
        Review = "review",
        LitigationDirect = "litigation_direct",
        LitigationAfterReview = "litigation_after_review",
    }
}

ids! {
    /// A column of table 四 within a group, in this order.
    ReviewCol {
        Upheld = "upheld",
        Corrected = "corrected",
        Other = "other",
        Pending = "pending",
        Total = "total",
    }
}

impl ReqCol {
    /// The column's position: table 三's columns are declared in form order.
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl ReviewGroup {
    /// The group's position in table 四 and in the model.
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl ReviewCol {
    /// The column's position within a group.
    pub const fn index(self) -> usize {
        self as usize
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
    pub requests_at: RequestsAt,
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

const fn col(key: ColKey, label: &'static str, kind: Kind) -> Column {
    let id = match key {
        ColKey::Active(k) => k.id(),
        ColKey::Requests(k) => k.id(),
        ColKey::Review(k) => k.id(),
    };
    Column { key, id, label, aliases: &[], kind, unit: None }
}

/// A column of section 二.
const fn acol(key: ActiveCol, label: &'static str, kind: Kind) -> Column {
    col(ColKey::Active(key), label, kind)
}

impl Column {
    /// The column with other spellings met in real workbooks.
    const fn aliases(mut self, aliases: &'static [&'static str]) -> Column {
        self.aliases = aliases;
        self
    }

    /// The column with the unit its header names.
    const fn unit(mut self, unit: &'static str) -> Column {
        self.unit = Some(unit);
        self
    }
}

/// A row of section 二.
const fn arow(key: ActiveRow, label: &'static str) -> Row {
    Row { key: RowKey::Active(key), id: key.id(), label, aliases: &[], groups: &[] }
}

/// A row of table 三 under its groups.
const fn grow(key: ReqRow, label: &'static str, groups: &'static [&'static str]) -> Row {
    Row { key: RowKey::Requests(key), id: key.id(), label, aliases: &[], groups }
}

/// A row of table 三 outside any group.
const fn row(key: ReqRow, label: &'static str) -> Row {
    grow(key, label, &[])
}

impl Row {
    /// The row with other spellings met in real workbooks.
    const fn aliases(mut self, aliases: &'static [&'static str]) -> Row {
        self.aliases = aliases;
        self
    }
}

// ---- Section 二, 2021 edition ----

use ActiveCol as AC;
use ActiveRow as AR;
use ReqRow as RR;

const COLS_2021_ART1: [Column; 3] = [
    acol(AC::Issued, "本年制发件数", Kind::Count),
    acol(AC::Repealed, "本年废止件数", Kind::Count),
    acol(AC::InForce, "现行有效件数", Kind::Count).aliases(&["现行有效件", "现行有效数"]),
];
const COLS_2021_DECISIONS: [Column; 1] =
    [acol(AC::Decisions, "本年处理决定数量", Kind::Count).aliases(&["处理决定数量", "本年处理决定数"])];
const COLS_2021_FEES: [Column; 1] =
    [acol(AC::AmountWan, "本年收费金额（单位：万元）", Kind::Amount).aliases(&["本年收费金额"]).unit("万元")];

const ACTIVE_2021: [Block; 4] = [
    Block {
        id: "art20_1",
        heading: "第二十条第（一）项",
        columns: &COLS_2021_ART1,
        rows: &[
            arow(AR::Regulations, "规章"),
            arow(AR::NormativeDocuments, "行政规范性文件").aliases(&["规范性文件"]),
        ],
    },
    Block {
        id: "art20_5",
        heading: "第二十条第（五）项",
        columns: &COLS_2021_DECISIONS,
        rows: &[arow(AR::Licensing, "行政许可")],
    },
    Block {
        id: "art20_6",
        heading: "第二十条第（六）项",
        columns: &COLS_2021_DECISIONS,
        rows: &[arow(AR::Penalty, "行政处罚"), arow(AR::Enforcement, "行政强制")],
    },
    Block {
        id: "art20_8",
        heading: "第二十条第（八）项",
        columns: &COLS_2021_FEES,
        rows: &[arow(AR::Fees, "行政事业性收费")],
    },
];

// ---- Section 二, 2019 edition ----

const COLS_2019_ART1: [Column; 3] = [
    acol(AC::Made, "本年新制作数量", Kind::Count),
    acol(AC::Published, "本年新公开数量", Kind::Count),
    acol(AC::TotalPublic, "对外公开总数量", Kind::Count),
];
const COLS_2019_ITEMS: [Column; 3] = [
    acol(AC::PrevItems, "上一年项目数量", Kind::Count),
    acol(AC::Change, "本年增/减", Kind::Signed).aliases(&["本年增减", "本年增加/减少"]),
    acol(AC::Decisions, "处理决定数量", Kind::Count).aliases(&["本年处理决定数量"]),
];
const COLS_2019_FEES: [Column; 2] = [
    acol(AC::PrevItems, "上一年项目数量", Kind::Count),
    acol(AC::Change, "本年增/减", Kind::Signed).aliases(&["本年增减", "本年增加/减少"]),
];
const COLS_2019_PROCUREMENT: [Column; 2] =
    [acol(AC::Items, "采购项目数量", Kind::Count), acol(AC::Amount, "采购总金额", Kind::Amount)];

const ACTIVE_2019: [Block; 5] = [
    Block {
        id: "art20_1",
        heading: "第二十条第（一）项",
        columns: &COLS_2019_ART1,
        rows: &[
            arow(AR::Regulations, "规章"),
            arow(AR::NormativeDocuments, "规范性文件").aliases(&["行政规范性文件"]),
        ],
    },
    Block {
        id: "art20_5",
        heading: "第二十条第（五）项",
        columns: &COLS_2019_ITEMS,
        rows: &[arow(AR::Licensing, "行政许可"), arow(AR::OtherServices, "其他对外管理服务事项")],
    },
    Block {
        id: "art20_6",
        heading: "第二十条第（六）项",
        columns: &COLS_2019_ITEMS,
        rows: &[arow(AR::Penalty, "行政处罚"), arow(AR::Enforcement, "行政强制")],
    },
    Block {
        id: "art20_8",
        heading: "第二十条第（八）项",
        columns: &COLS_2019_FEES,
        rows: &[arow(AR::Fees, "行政事业性收费")],
    },
    Block {
        id: "art20_9",
        heading: "第二十条第（九）项",
        columns: &COLS_2019_PROCUREMENT,
        rows: &[arow(AR::Procurement, "政府集中采购")],
    },
];

// ---- Section 三 ----

const fn rcol(key: ReqCol, label: &'static str) -> Column {
    col(ColKey::Requests(key), label, Kind::Count)
}

const REQUESTS_COLUMNS: [Column; 7] = [
    rcol(ReqCol::NaturalPerson, "自然人"),
    rcol(ReqCol::Commercial, "商业企业"),
    rcol(ReqCol::Research, "科研机构"),
    rcol(ReqCol::SocialWelfare, "社会公益组织"),
    rcol(ReqCol::LegalService, "法律服务机构"),
    rcol(ReqCol::OtherOrg, "其他"),
    rcol(ReqCol::Total, "总计"),
];

const G3: &str = "三、本年度办理结果";
const G_DENIED: &str = "（三）不予公开";
const G_UNABLE: &str = "（四）无法提供";
const G_REJECTED: &str = "（五）不予处理";
const G_OTHER: &str = "（六）其他处理";

macro_rules! requests_rows {
    ($($other:expr),* $(,)?) => {
        [
            row(RR::NewReceived, "一、本年新收政府信息公开申请数量"),
            row(RR::CarriedOver, "二、上年结转政府信息公开申请数量"),
            grow(RR::Granted, "（一）予以公开", &[G3]),
            grow(RR::PartlyGranted, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", &[G3]),
            grow(RR::DeniedStateSecret, "1.属于国家秘密", &[G3, G_DENIED]),
            grow(RR::DeniedLawForbids, "2.其他法律行政法规禁止公开", &[G3, G_DENIED]),
            grow(RR::DeniedSecurityStability, "3.危及“三安全一稳定”", &[G3, G_DENIED]),
            grow(RR::DeniedThirdParty, "4.保护第三方合法权益", &[G3, G_DENIED]),
            grow(RR::DeniedInternalAffairs, "5.属于三类内部事务信息", &[G3, G_DENIED]),
            grow(RR::DeniedProcessInfo, "6.属于四类过程性信息", &[G3, G_DENIED]),
            grow(RR::DeniedEnforcementFile, "7.属于行政执法案卷", &[G3, G_DENIED]),
            grow(RR::DeniedQueryMatter, "8.属于行政查询事项", &[G3, G_DENIED]),
            grow(RR::UnableNotHeld, "1.本机关不掌握相关政府信息", &[G3, G_UNABLE]),
            grow(RR::UnableNeedsCreation, "2.没有现成信息需要另行制作", &[G3, G_UNABLE]),
            grow(RR::UnableUnclear, "3.补正后申请内容仍不明确", &[G3, G_UNABLE]),
            grow(RR::RejectedPetition, "1.信访举报投诉类申请", &[G3, G_REJECTED]),
            grow(RR::RejectedRepeated, "2.重复申请", &[G3, G_REJECTED]),
            grow(RR::RejectedPublication, "3.要求提供公开出版物", &[G3, G_REJECTED]),
            grow(RR::RejectedMassRepeated, "4.无正当理由大量反复申请", &[G3, G_REJECTED]),
            grow(RR::RejectedConfirmation, "5.要求行政机关确认或重新出具已获取信息", &[G3, G_REJECTED]),
            $($other,)*
            grow(RR::ResultTotal, "（七）总计", &[G3]),
            row(RR::CarriedForward, "四、结转下年度继续办理"),
        ]
    };
}

const REQUESTS_ROWS_2019: [Row; 23] = requests_rows![grow(RR::Other, G_OTHER, &[G3])];
const REQUESTS_ROWS_2021: [Row; 25] = requests_rows![
    grow(
        RR::OtherNoCorrection,
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        &[G3, G_OTHER]
    ),
    grow(RR::OtherFeeUnpaid, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", &[G3, G_OTHER]),
    grow(RR::OtherMisc, "3.其他", &[G3, G_OTHER]),
];

// ---- Section 四 ----

const fn group(key: ReviewGroup, label: &'static str, parent: Option<&'static str>) -> Group {
    Group { key, id: key.id(), label, parent }
}

const fn vcol(key: ReviewCol, label: &'static str) -> Column {
    col(ColKey::Review(key), label, Kind::Count)
}

const REVIEW_GROUPS: [Group; 3] = [
    group(ReviewGroup::Review, "行政复议", None),
    group(ReviewGroup::LitigationDirect, "未经复议直接起诉", Some(REVIEW_LITIGATION)),
    group(ReviewGroup::LitigationAfterReview, "复议后起诉", Some(REVIEW_LITIGATION)),
];
const REVIEW_COLUMNS: [Column; 5] = [
    vcol(ReviewCol::Upheld, "结果维持"),
    vcol(ReviewCol::Corrected, "结果纠正"),
    vcol(ReviewCol::Other, "其他结果"),
    vcol(ReviewCol::Pending, "尚未审结"),
    vcol(ReviewCol::Total, "总计"),
];

/// The positions in `requests_rows` of the rows the checks build table 三's relations on.
/// Found when the forms are compiled: an edition without one of them does not compile.
#[derive(Debug, Clone, Copy)]
pub struct RequestsAt {
    pub new_received: usize,
    pub carried_over: usize,
    pub result_total: usize,
    pub carried_forward: usize,
}

impl RequestsAt {
    const fn of(rows: &[Row]) -> RequestsAt {
        RequestsAt {
            new_received: position(rows, RR::NewReceived),
            carried_over: position(rows, RR::CarriedOver),
            result_total: position(rows, RR::ResultTotal),
            carried_forward: position(rows, RR::CarriedForward),
        }
    }
}

/// The position of a row of table 三; evaluated at compile time, where a missing row stops
/// the build.
const fn position(rows: &[Row], key: ReqRow) -> usize {
    let mut i = 0;
    while i < rows.len() {
        if let RowKey::Requests(k) = rows[i].key {
            if k as usize == key as usize {
                return i;
            }
        }
        i += 1;
    }
    panic!("table 三 lacks a row every edition has")
}

/// Whether columns (or groups) are declared in the order of their ids' enum, so that the
/// enum gives their position. Checked when compiled.
const fn in_order(cols: &[Column]) -> bool {
    let mut i = 0;
    while i < cols.len() {
        let k = match cols[i].key {
            ColKey::Active(k) => k as usize,
            ColKey::Requests(k) => k as usize,
            ColKey::Review(k) => k as usize,
        };
        if k != i {
            return false;
        }
        i += 1;
    }
    true
}

const fn sections_in_order() -> bool {
    let mut i = 0;
    while i < SECTIONS.len() {
        if SECTIONS[i].key as usize != i {
            return false;
        }
        i += 1;
    }
    true
}

const fn groups_in_order() -> bool {
    let mut i = 0;
    while i < REVIEW_GROUPS.len() {
        if REVIEW_GROUPS[i].key as usize != i {
            return false;
        }
        i += 1;
    }
    true
}

const _: () = assert!(in_order(&REQUESTS_COLUMNS) && in_order(&REVIEW_COLUMNS));
const _: () = assert!(sections_in_order() && groups_in_order());
const _: () = assert!(REQUESTS_COLUMNS.len() == ReqCol::ALL.len() && REVIEW_COLUMNS.len() == ReviewCol::ALL.len());
const _: () = assert!(REVIEW_GROUPS.len() == ReviewGroup::ALL.len() && SECTIONS.len() == SectionId::ALL.len());

pub static FORM_2019: Form = Form {
    edition: Edition::E2019,
    active: &ACTIVE_2019,
    requests_columns: &REQUESTS_COLUMNS,
    requests_rows: &REQUESTS_ROWS_2019,
    requests_at: RequestsAt::of(&REQUESTS_ROWS_2019),
    review_groups: &REVIEW_GROUPS,
    review_columns: &REVIEW_COLUMNS,
};

pub static FORM_2021: Form = Form {
    edition: Edition::E2021,
    active: &ACTIVE_2021,
    requests_columns: &REQUESTS_COLUMNS,
    requests_rows: &REQUESTS_ROWS_2021,
    requests_at: RequestsAt::of(&REQUESTS_ROWS_2021),
    review_groups: &REVIEW_GROUPS,
    review_columns: &REVIEW_COLUMNS,
};

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
