//! The one registry of rules: every code with its severity and description. Checks make
//! their findings from these constants, `nianbao rules` prints them, and the README's rule
//! table is generated from them (a test keeps the two equal).

use crate::cell::CellRef;
use crate::finding::{Finding, Severity};

/// A rule: a stable code, how serious a failure is, and what it checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub code: &'static str,
    pub severity: Severity,
    /// What the rule checks, in plain Chinese.
    pub description: &'static str,
}

impl Rule {
    /// A finding of this rule.
    pub fn finding(&self, cell: Option<CellRef>, message: String) -> Finding {
        Finding::new(self.code, self.severity, cell, message)
    }
}

const fn rule(code: &'static str, severity: Severity, description: &'static str) -> Rule {
    Rule { code, severity, description }
}

use Severity::{Error, Info, Warning};

pub(crate) const T3_ROW_TOTAL: Rule =
    rule("T3-ROW-TOTAL", Error, "表三每一行：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他");
pub(crate) const T3_RESULT_TOTAL: Rule = rule(
    "T3-RESULT-TOTAL",
    Error,
    "表三每一列：（七）总计 = （一）至（六）各项办理结果之和（含（三）1–8、（四）1–3、（五）1–5、（六）各项）",
);
pub(crate) const T3_BALANCE: Rule =
    rule("T3-BALANCE", Error, "表三每一列：一、本年新收 + 二、上年结转 = 三、（七）总计 + 四、结转下年度继续办理");
pub(crate) const T3_SUBTOTAL: Rule = rule(
    "T3-SUBTOTAL",
    Error,
    "表三中填报单位自行加的“小计”列（官方表格没有）：小计 = 其左侧“法人或其他组织”各列之和；该列不作为官方表格的数字读取",
);
pub(crate) const T3_SUBTOTAL_PART: Rule = rule(
    "T3-SUBTOTAL-PART",
    Error,
    "表三中填报单位自行加的“其中”行（官方表格没有）：每一格不大于其所属行同列的数字（其上方的官方行，或缩进在其下的“其中”行所属的“其中”行）；同一行下同级的几个“其中”行同列之和不大于该行；“其中”行不作为官方表格的数字读取",
);
pub(crate) const T4_TOTAL: Rule =
    rule("T4-TOTAL", Error, "表四行政复议、两类行政诉讼各自：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结");
pub(crate) const VAL_NEGATIVE: Rule = rule("VAL-NEGATIVE", Error, "件数或金额为负数");
pub(crate) const VAL_FRACTION: Rule = rule("VAL-FRACTION", Error, "件数不是整数");
pub(crate) const VAL_TEXT: Rule = rule("VAL-TEXT", Error, "单元格内容不是数字（如“约30”“N/A”“#REF!”、日期）");
pub(crate) const VAL_FORMULA: Rule = rule("VAL-FORMULA", Error, "公式没有计算结果（文件保存前未重新计算）");
pub(crate) const VAL_FORMULA_COMPUTED: Rule = rule(
    "VAL-FORMULA-COMPUTED",
    Info,
    "公式没有计算结果，但只是单元格和数字的加、减、乘、括号与 SUM 求和（可引用其他工作表，如 =D23+D24-D46、=SUM(D8:I8)、='表三'!D5），已按所引用的单元格算出（每张表提示一次）",
);
pub(crate) const VAL_BLANK: Rule = rule("VAL-BLANK", Info, "空白或“—”“/”“无”按 0 读取（每张表提示一次）");
pub(crate) const VAL_UNIT: Rule = rule("VAL-UNIT", Warning, "金额所带单位与表头单位不一致（如表头为万元却填“元”）");
pub(crate) const READ_LABEL: Rule = rule(
    "READ-LABEL",
    Error,
    "表格中的行标签与官方表格的任何一行都不对应，该行数字未被读取；或标签与官方文字不符，已按它在表中的位置读取",
);
pub(crate) const READ_CHOICE: Rule = rule(
    "READ-CHOICE",
    Info,
    "工作簿中有不止一套统计表（如隐藏的上年副本、“2022年”“2023年”两张表、同一工作表上按年度分的两块或两列）：说明读取了哪一处、未读取哪些及原因",
);
pub(crate) const META_MISSING: Rule = rule("META-MISSING", Error, "缺少机关名称或报告年度");
pub(crate) const META_FROM_NAME: Rule = rule(
    "META-FROM-NAME",
    Info,
    "工作簿中没有写明机关名称或报告年度（基本信息、标题、填报单位等均无），已从文件名中读取，请核对",
);
pub(crate) const META_EDITION: Rule =
    rule("META-EDITION", Warning, "表格版本与报告年度不符（2021年以前用2021年版，或2021年及以后用2019年版）");
pub(crate) const TEXT_FEE: Rule =
    rule("TEXT-FEE", Warning, "2021年版：“六、其他需要报告的事项”写了文字却未说明信息处理费，统计表也未填写收费次数和金额（未写文字时报告按默认文字说明）");
pub(crate) const TEXT_YEAR: Rule =
    rule("TEXT-YEAR", Warning, "“一、总体情况”从未写到报告年度，或写上一年度的次数多于报告年度（疑似沿用上年文字）");
pub(crate) const TEXT_SCOPE: Rule = rule(
    "TEXT-SCOPE",
    Warning,
    "正文对本机关的称呼与机关名称不符：区政府写“全县/我县/本县”，县政府写“我区/全区/本区”，人民政府写“我局/本局”",
);
pub(crate) const TEXT_NUMBERS: Rule = rule(
    "TEXT-NUMBERS",
    Warning,
    "正文写明的数字与表格不符：收到申请件数、现行有效件数、行政复议件数、行政诉讼件数、予以公开件数",
);
pub(crate) const TEXT_LENGTH: Rule = rule("TEXT-LENGTH", Warning, "2021年版：“一、总体情况”超过 1000 字");
pub(crate) const PLAUS_REGULATIONS: Rule =
    rule("PLAUS-REGULATIONS", Warning, "乡、镇人民政府或街道办事处填报了规章（乡镇街道无权制定规章）");
pub(crate) const X_CARRY: Rule =
    rule("X-CARRY", Warning, "与上年报告对照：本年“二、上年结转”应等于上年“四、结转下年度继续办理”（逐列）");
pub(crate) const X_IN_FORCE: Rule = rule(
    "X-IN-FORCE",
    Warning,
    "与上年报告对照（两年均为2021年版）：现行有效件数 = 上年现行有效件数 + 本年制发件数 − 本年废止件数",
);
pub(crate) const X_ITEMS: Rule = rule(
    "X-ITEMS",
    Warning,
    "与上年报告对照（两年均为2019年版）：上一年项目数量 = 上年报告的上一年项目数量 + 上年报告的本年增/减",
);
pub(crate) const X_SAME: Rule =
    rule("X-SAME", Warning, "与上年报告对照：表二、表三、表四的全部数字与上年完全相同（疑似沿用上年数据）");

/// Every rule, in the order the README and `nianbao rules` list them.
pub static RULES: &[Rule] = &[
    T3_ROW_TOTAL,
    T3_RESULT_TOTAL,
    T3_BALANCE,
    T3_SUBTOTAL,
    T3_SUBTOTAL_PART,
    T4_TOTAL,
    VAL_NEGATIVE,
    VAL_FRACTION,
    VAL_TEXT,
    VAL_FORMULA,
    VAL_FORMULA_COMPUTED,
    VAL_BLANK,
    VAL_UNIT,
    READ_LABEL,
    READ_CHOICE,
    META_MISSING,
    META_FROM_NAME,
    META_EDITION,
    TEXT_FEE,
    TEXT_YEAR,
    TEXT_SCOPE,
    TEXT_NUMBERS,
    TEXT_LENGTH,
    PLAUS_REGULATIONS,
    X_CARRY,
    X_IN_FORCE,
    X_ITEMS,
    X_SAME,
];

/// The rule of a code.
pub fn by_code(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// The README's rule table, generated from the registry.
pub fn markdown_table() -> String {
    let mut s = String::from("| code | severity | rule |\n|---|---|---|\n");
    for r in RULES {
        s.push_str(&format!("| `{}` | {} | {} |\n", r.code, r.severity.id(), r.description.replace('|', "\\|")));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique() {
        let mut codes: Vec<_> = RULES.iter().map(|r| r.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), RULES.len());
    }
}
