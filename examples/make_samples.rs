//! Writes the bundled samples in samples/ as the standard workbook filled in: the real 2020
//! report of 江源区 (2019 edition) and a county bureau's 2023 report (2021 edition), once
//! with every 勾稽关系 holding and once with broken totals.
//!
//! Run from the repository root: `cargo run --example make_samples`.

use nianbao::form::Edition;
use nianbao::model::{Line, Report, Value};
use nianbao::write::template;
use rust_decimal::Decimal;
use std::str::FromStr;

fn num(n: i64) -> Value {
    Value::number(Decimal::from(n))
}

fn dec(s: &str) -> Value {
    Value::number(Decimal::from_str(s).unwrap_or_default())
}

/// Sets a section 二 value by ids.
fn active(r: &mut Report, row: &str, col: &str, v: Value) {
    let form = r.form();
    let (i, (block, _)) = form.active_rows().enumerate().find(|(_, (_, x))| x.id == row).expect("active row");
    let c = block.columns.iter().position(|x| x.id == col).expect("active column");
    r.active[i][c] = v;
}

/// Sets a table 三 row: the six applicant columns, and the total as typed.
fn request(r: &mut Report, row: &str, six: [i64; 6], total: i64) {
    let i = r.form().requests_row(row).expect("requests row");
    for (c, n) in six.iter().enumerate() {
        r.requests[i][c] = num(*n);
    }
    r.requests[i][6] = num(total);
}

/// Sets a table 四 group: four results and the total as typed.
fn review(r: &mut Report, group: usize, four: [i64; 4], total: i64) {
    for (c, n) in four.iter().enumerate() {
        r.review[group][c] = num(*n);
    }
    r.review[group][4] = num(total);
}

fn base(edition: Edition, agency: &str, year: i32) -> Report {
    let mut r = Report::blank(edition);
    r.agency.value = Some(agency.into());
    r.year.value = Some(year);
    r
}

const JIANGYUAN_OVERVIEW: [&str; 7] = [
    "2020年，我区认真贯彻落实《条例》和国家、省、市关于政务公开工作的决策部署，紧紧围绕区委区政府中心工作，加大公开力度、落实公开任务、回应群众关切，大力推进决策、执行、管理、服务、结果公开，全县政府信息公开工作取得了积极成效。",
    "（一）主动公开情况。不断规范公开内容，年度主动公开信息共计3575条。根据《政府信息公开条例》、省市政务公开工作要点等文件规定，对全县政务信息公开的范围、内容、形式等作了进一步的明确，按照组织健全、制度严密、标准统一的要求，做好政务信息公开内容的补充完善，使公开内容更加详细充实。",
    "（二）依申请公开情况。我区高度重视依申请公开工作，不断完善制度机制，坚持依法规范办理，狠抓依申请办理质量，切实保障公众知情权。2020年，我区未收到公民、法人和其他组织政府信息公开申请。",
    "（三）政府信息管理。建立健全政府信息发布协调制度，认真落实新修订的《中华人民共和国政府信息公开条例》，完善主动公开目录，深入推进“五公开”；加强政府信息公开保密审查力度，做好公文类信息公开审核工作；推进政府信息公开动态调整制度，根据上级政务公开工作要点及时制定发布县级政务公开工作要点，并调整法定主动公开栏目，保证各栏目信息动态更新；完善依申请公开制度，畅通申请渠道，规范答复函格式和答复用语，提升信息公开水平。",
    "（四）公开平台建设。一是政府网站。充分发挥政府门户网站政务公开第一平台作用，优化政府信息公开专栏设置，全力做好网站政府信息公开专栏的升级和内容保障工作，通过专栏升级，各部门政府信息公开指南、目录内容清晰，主题分类合理准确，政务信息管理集中到位。二是政务微博微信。我区充分利用各种新媒体作为信息公开渠道，积极运用政务微博微信发布权威信息。2020年，通过“江源微刊”微信公众号发布信息1328条。三是推进政府信息查阅点建设。进一步规范了江源区政务服务中心、图书馆政府信息查阅点设置。配备了专门的电脑、查询机，将各级政府门户网站政府信息公开专栏设置成桌面快捷方式，方便公众浏览查询。悬挂或摆放“政府信息申请公开指引”、“政府信息公开依申请办理流程图”、“政府信息网络查询方法宣传图”，引导群众在家利用电脑（手机）也可查询。为公众知晓了解政务公开，查阅政府信息提供了方便快捷优质的服务，切实发挥了政府信息对人民群众生产、生活和经济社会活动的服务作用。",
    "（五）监督保障。一是纳入绩效考核。为进一步推动全区政府信息公开工作，我区将政务公开工作纳入县“四大机制”绩效考评减分项，分值权重占4%。把考核监督贯穿日常工作之中，以考核为抓手，不定期对各乡镇和各部门信息公开情况实行定期发文通报。二是加强日常巡查。每天上网浏览巡查一遍，通过QQ和微信群针对公开中的问题一对一地提出更新维护和改进要求，做到勤看、勤研究、勤沟通，强化网站专栏内容保障。",
    "（六）贯彻落实政务公开要点情况。认真落实省市政务公开工作要点，结合本区实际印发了《江源区2020年政务公开工作重点任务分工》，加强权力配置信息和决策信息的公开，聚焦“六稳”“六保”工作加强政策解读，以政务公开助推营商环境持续优化，围绕应对突发公共事件做好政务公开，全力抓好政府信息公开条例的贯彻执行，强化政务公开的各项保障。各乡（镇）、各相关部门按照上级部署和全县政务公开重点工作任务分工要求，统筹安排，明确分工，落实责任。牵头单位抓好任务分解和督促落实，相关责任单位根据各自职能，细化方案，明确专人抓好落实。通过督查考评等措施扎实推进，各项工作取得显著成效。",
];

const JIANGYUAN_PROBLEMS: &str = "本年度我局政府信息公开工作虽取得了一些成效，但存在一些不足之处。主要表现在:一是信息公开相关工作制度还有待进一步完善;二是信息公开的时效性还有待进一步加强;三是信息公开内容有待进一步丰富。针对这些问题和不足，下来我们将做好以下三方面工作:一是进一步完善相关的工作制度;二是进一步丰富信息公开内容;三是进一步落实信息公开责任，切实做好相关信息公开工作。";

const JIANGYUAN_OTHER: &str = "2020年度我局无其他需要报告的事项。";

/// The published 2020 report of 江源区 (sample-2020-jiangyuan-report.txt).
fn jiangyuan() -> Report {
    let mut r = base(Edition::E2019, "江源区", 2020);
    for row in ["regulations", "normative_documents"] {
        for col in ["made", "published", "total_public"] {
            active(&mut r, row, col, num(0));
        }
    }
    for (row, prev, change, decisions) in [
        ("licensing", 384, 2, 36756),
        ("other_services", 156, 56, 0),
        ("penalty", 1869, 0, 12642),
        ("enforcement", 65, 0, 2),
    ] {
        active(&mut r, row, "prev_items", num(prev));
        active(&mut r, row, "change", num(change));
        active(&mut r, row, "decisions", num(decisions));
    }
    active(&mut r, "fees", "prev_items", num(43));
    active(&mut r, "fees", "change", num(-5));
    // 政府集中采购 is left blank in the published report.
    r.active_extra.push(Line {
        text: "2020年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、消息类）：4267".into(),
        cell: None,
    });
    // Tables 三 and 四 are printed with 0 in every cell.
    for row in r.requests.iter_mut() {
        for v in row.iter_mut() {
            *v = num(0);
        }
    }
    for row in r.review.iter_mut() {
        for v in row.iter_mut() {
            *v = num(0);
        }
    }
    r.contact.website = Some("江源区人民政府门户网站政府信息公开专栏".into());
    r.contact.office = Some("江源区政务服务和数字化建设管理局".into());
    r.contact.address = Some("白山市江源区江源大街153号".into());
    r.contact.postcode = Some("134700".into());
    r.contact.phone = Some("0439-3820611".into());
    r.text.overview.text = JIANGYUAN_OVERVIEW.join("\n");
    r.text.problems.text = JIANGYUAN_PROBLEMS.into();
    r.text.other_matters.text = JIANGYUAN_OTHER.into();
    r
}

const BUREAU: &str = "某某县市场监督管理局";

const BUREAU_OVERVIEW: [&str; 6] = [
    "2023年，某某县市场监督管理局深入贯彻《中华人民共和国政府信息公开条例》，围绕优化营商环境、保障食品药品安全等中心工作，依法做好政府信息公开工作。",
    "（一）主动公开情况。2023年，本局制发行政规范性文件3件，废止1件，现行有效行政规范性文件12件；作出行政许可决定2856件、行政处罚决定312件、行政强制决定47件，均在县政府门户网站集中公开。",
    "（二）依申请公开情况。2023年，本局新收政府信息公开申请40件，上年结转3件。其中予以公开21件，部分公开5件，不予公开4件，无法提供9件，不予处理2件，结转下年度继续办理2件。",
    "（三）政府信息管理。严格落实公开前保密审查，动态更新政府信息公开目录，及时清理失效文件。",
    "（四）平台建设。优化县政府门户网站本局信息公开专栏，开通企业信用信息公示查询入口。",
    "（五）监督保障。全年因政府信息公开工作被申请行政复议3件，被提起行政诉讼2件；将政务公开纳入年度绩效考核，开展业务培训2次。",
];

const BUREAU_PROBLEMS: &str = "一是政策解读形式较为单一；二是依申请公开答复的规范性有待提高。下一步，本局将丰富图解、视频等解读形式，完善答复文书模板，加强办理人员培训。";

const BUREAU_OTHER: &str = "（一）信息处理费收取情况。2023年，本局依据《政府信息公开信息处理费管理办法》收取信息处理费1次，金额0.01万元。（二）人大代表建议和政协提案办理情况。2023年共承办县人大代表建议6件、政协提案9件，均按期办结并公开答复全文。";

/// A county bureau's 2023 report, every rule holding.
fn bureau() -> Report {
    let mut r = base(Edition::E2021, BUREAU, 2023);
    for (row, issued, repealed, in_force) in [("regulations", 0, 0, 0), ("normative_documents", 3, 1, 12)] {
        active(&mut r, row, "issued", num(issued));
        active(&mut r, row, "repealed", num(repealed));
        active(&mut r, row, "in_force", num(in_force));
    }
    active(&mut r, "licensing", "decisions", num(2856));
    active(&mut r, "penalty", "decisions", num(312));
    active(&mut r, "enforcement", "decisions", num(47));
    active(&mut r, "fees", "amount_wan", dec("12.35"));
    for row in r.requests.iter_mut() {
        for v in row.iter_mut() {
            *v = num(0);
        }
    }
    request(&mut r, "new_received", [28, 6, 0, 1, 3, 2], 40);
    request(&mut r, "carried_over", [2, 1, 0, 0, 0, 0], 3);
    request(&mut r, "granted", [15, 3, 0, 1, 1, 1], 21);
    request(&mut r, "partly_granted", [4, 1, 0, 0, 0, 0], 5);
    request(&mut r, "denied_third_party", [1, 0, 0, 0, 0, 0], 1);
    request(&mut r, "denied_process_info", [1, 0, 0, 0, 1, 0], 2);
    request(&mut r, "denied_enforcement_file", [0, 1, 0, 0, 0, 0], 1);
    request(&mut r, "unable_not_held", [5, 1, 0, 0, 1, 1], 8);
    request(&mut r, "unable_unclear", [1, 0, 0, 0, 0, 0], 1);
    request(&mut r, "rejected_petition", [1, 0, 0, 0, 0, 0], 1);
    request(&mut r, "rejected_repeated", [1, 0, 0, 0, 0, 0], 1);
    request(&mut r, "result_total", [29, 6, 0, 1, 3, 2], 41);
    request(&mut r, "carried_forward", [1, 1, 0, 0, 0, 0], 2);
    review(&mut r, 0, [1, 1, 0, 1], 3);
    review(&mut r, 1, [1, 0, 0, 0], 1);
    review(&mut r, 2, [0, 0, 0, 1], 1);
    r.fee.count = Some(num(1));
    r.fee.amount = Some(dec("0.01"));
    r.contact.website = Some("某某县人民政府门户网站".into());
    r.contact.office = Some("某某县市场监督管理局办公室".into());
    r.contact.address = Some("某某县人民路88号".into());
    r.contact.postcode = Some("100000".into());
    r.contact.phone = Some("0000-1234567".into());
    r.text.overview.text = BUREAU_OVERVIEW.join("\n");
    r.text.problems.text = BUREAU_PROBLEMS.into();
    r.text.other_matters.text = BUREAU_OTHER.into();
    r
}

/// The same report with totals typed wrong, as a department that adds by hand sends it.
fn bureau_broken() -> Report {
    let mut r = bureau();
    // 三（一）予以公开: 总计 22, the six columns add up to 21.
    request(&mut r, "granted", [15, 3, 0, 1, 1, 1], 22);
    // 三（七）总计 of 商业企业: 5, its result rows add up to 6.
    request(&mut r, "result_total", [29, 5, 0, 1, 3, 2], 41);
    // 四 行政复议 总计: 4, its four results add up to 3.
    review(&mut r, 0, [1, 1, 0, 1], 4);
    r
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    std::fs::create_dir_all(&dir)?;
    for (name, report) in [
        ("2020-江源区.xlsx", jiangyuan()),
        ("2023-某某县市场监督管理局.xlsx", bureau()),
        ("2023-某某县市场监督管理局-总计有误.xlsx", bureau_broken()),
    ] {
        std::fs::write(dir.join(name), template::filled(&report)?)?;
        println!("samples/{name}");
    }
    Ok(())
}
