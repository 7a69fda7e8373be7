//! The data of each edition's form: every block, row and column with its typed id and
//! verbatim label, as the official notices print them (docs/formats.md §2–4).

use super::ids::{ActiveCol, ActiveRow, ReqCol, ReqRow, ReviewCol, ReviewGroup, SectionId};
use super::{Block, ColKey, Column, Edition, Form, Group, Kind, RequestsAt, Row, RowKey, REVIEW_LITIGATION, SECTIONS};

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

/// The first row of a group with the group's label before its own in one cell, as
/// formats.md writes it and as a table copied from a web page or a Word document gives it
/// (`（三）不予公开 1.属于国家秘密`): the same row, not a label worded otherwise.
const fn first(row: Row, aliases: &'static [&'static str]) -> Row {
    Row { aliases, ..row }
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
        rows: &[arow(AR::Regulations, "规章"), arow(AR::NormativeDocuments, "行政规范性文件").aliases(&["规范性文件"])],
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
        rows: &[arow(AR::Regulations, "规章"), arow(AR::NormativeDocuments, "规范性文件").aliases(&["行政规范性文件"])],
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
            first(grow(RR::DeniedStateSecret, "1.属于国家秘密", &[G3, G_DENIED]), &["（三）不予公开1.属于国家秘密"]),
            grow(RR::DeniedLawForbids, "2.其他法律行政法规禁止公开", &[G3, G_DENIED]),
            grow(RR::DeniedSecurityStability, "3.危及“三安全一稳定”", &[G3, G_DENIED]),
            grow(RR::DeniedThirdParty, "4.保护第三方合法权益", &[G3, G_DENIED]),
            grow(RR::DeniedInternalAffairs, "5.属于三类内部事务信息", &[G3, G_DENIED]),
            grow(RR::DeniedProcessInfo, "6.属于四类过程性信息", &[G3, G_DENIED]),
            grow(RR::DeniedEnforcementFile, "7.属于行政执法案卷", &[G3, G_DENIED]),
            grow(RR::DeniedQueryMatter, "8.属于行政查询事项", &[G3, G_DENIED]),
            first(grow(RR::UnableNotHeld, "1.本机关不掌握相关政府信息", &[G3, G_UNABLE]), &["（四）无法提供1.本机关不掌握相关政府信息"]),
            grow(RR::UnableNeedsCreation, "2.没有现成信息需要另行制作", &[G3, G_UNABLE]),
            grow(RR::UnableUnclear, "3.补正后申请内容仍不明确", &[G3, G_UNABLE]),
            first(grow(RR::RejectedPetition, "1.信访举报投诉类申请", &[G3, G_REJECTED]), &["（五）不予处理1.信访举报投诉类申请"]),
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
    first(
        grow(RR::OtherNoCorrection, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", &[G3, G_OTHER]),
        &["（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"],
    ),
    grow(
        RR::OtherFeeUnpaid,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        &[G3, G_OTHER]
    ),
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

/// Where table 三's relations find their rows in `rows`.
const fn requests_at(rows: &[Row]) -> RequestsAt {
    RequestsAt {
        new_received: position(rows, RR::NewReceived),
        carried_over: position(rows, RR::CarriedOver),
        result_total: position(rows, RR::ResultTotal),
        carried_forward: position(rows, RR::CarriedForward),
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

pub(crate) static FORM_2019: Form = Form {
    edition: Edition::E2019,
    active: &ACTIVE_2019,
    requests_columns: &REQUESTS_COLUMNS,
    requests_rows: &REQUESTS_ROWS_2019,
    requests_at: requests_at(&REQUESTS_ROWS_2019),
    review_groups: &REVIEW_GROUPS,
    review_columns: &REVIEW_COLUMNS,
};

pub(crate) static FORM_2021: Form = Form {
    edition: Edition::E2021,
    active: &ACTIVE_2021,
    requests_columns: &REQUESTS_COLUMNS,
    requests_rows: &REQUESTS_ROWS_2021,
    requests_at: requests_at(&REQUESTS_ROWS_2021),
    review_groups: &REVIEW_GROUPS,
    review_columns: &REVIEW_COLUMNS,
};
