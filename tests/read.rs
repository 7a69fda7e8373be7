//! Tests of the reader: the standard template and the ways departments change it.

use crate::common::*;
use nianbao::write::template;
use nianbao::Edition;

#[test]
fn filled_template_reads_back_every_number_and_cell() {
    let mut r = blank(Edition::E2021, "某某县教育局", 2023);
    let form = Edition::E2021.form();
    let nr = form.requests_row("new_received").expect("row");
    set(&mut r.requests[nr][0], 3);
    set(&mut r.requests[nr][1], 1);
    set(&mut r.requests[nr][6], 4);
    let bytes = template::filled(&r).expect("write");
    let back = read_bytes(&bytes, "填好的.xlsx");
    assert_eq!(back.edition, Edition::E2021);
    assert_eq!(back.agency.value.as_deref(), Some("某某县教育局"));
    assert_eq!(back.year.value, Some(2023));
    assert_eq!(req(&back, "new_received", "natural_person"), 3);
    assert_eq!(req(&back, "new_received", "total"), 4);
    assert_eq!(req_cell(&back, "new_received", "natural_person"), "依申请公开!D5");
    assert_eq!(req_cell(&back, "carried_forward", "total"), "依申请公开!J29");
}
