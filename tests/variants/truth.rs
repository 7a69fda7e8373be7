//! The true numbers of a variant: random counts of 0 to 6 digits that keep every relation
//! of the form (formats.md §6), so that any difference read is the reader's.

use crate::layouts::{Data, Rng};
use nianbao::form::{Edition, Kind, ReqRow};

/// A count of up to `digits` digits, often fewer.
fn count(rng: &mut Rng, digits: u64) -> i64 {
    let d = rng.below(digits + 1) as u32;
    rng.below(10u64.pow(d)) as i64
}

/// Numbers that keep table 三's row totals, column totals and balance and table 四's totals.
// Rows and columns index several rows of one column at once.
#[allow(clippy::needless_range_loop)]
pub fn consistent(edition: Edition, year: i32, agency: &str, rng: &mut Rng) -> Data {
    let f = edition.form();
    let at = |r: ReqRow| f.requests_index(r).expect("every edition has this row");
    let (new, over, total, forward) =
        (at(ReqRow::NewReceived), at(ReqRow::CarriedOver), at(ReqRow::ResultTotal), at(ReqRow::CarriedForward));
    let mut requests = vec![vec![0i64; f.requests_columns.len()]; f.requests_rows.len()];
    for c in 0..f.requests_columns.len() - 1 {
        let digits = [0, 1, 2, 3, 4, 5, 6, 2, 3, 1][rng.below(10) as usize];
        for r in over + 1..total {
            requests[r][c] = count(rng, digits.min(5));
        }
        let results: i64 = (over + 1..total).map(|r| requests[r][c]).sum();
        requests[total][c] = results;
        requests[forward][c] = count(rng, digits);
        let limit = (results + requests[forward][c]) as u64;
        requests[over][c] = rng.below(limit + 1) as i64;
        requests[new][c] = results + requests[forward][c] - requests[over][c];
    }
    for row in &mut requests {
        let n = row.len();
        row[n - 1] = row[..n - 1].iter().sum();
    }
    let mut active = Vec::new();
    for (b, _) in f.active_rows() {
        let row = b
            .columns
            .iter()
            .map(|c| {
                let n = count(rng, 6);
                if c.kind == Kind::Signed && rng.chance(30) {
                    -n
                } else {
                    n
                }
            })
            .collect();
        active.push(row);
    }
    let mut review = Vec::new();
    for _ in f.review_groups {
        let digits = rng.below(5);
        let mut g: Vec<i64> = (0..f.review_columns.len() - 1).map(|_| count(rng, digits)).collect();
        g.push(g.iter().sum());
        review.push(g);
    }
    Data { edition, year, agency: agency.into(), active, requests, review }
}
