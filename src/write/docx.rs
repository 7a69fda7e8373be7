//! The finished Word report (formats.md §8). Placeholder until the docx writer lands.

use super::narrative::Templates;
use crate::model::Report;

pub fn docx(_report: &Report, _templates: &Templates) -> Result<Vec<u8>, String> {
    Err("Word 报告生成尚未实现".into())
}
