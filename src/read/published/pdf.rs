//! A report's PDF.

use super::layout::Block;
use crate::error::ReadError;

pub fn blocks(_bytes: &[u8]) -> Result<Vec<Block>, ReadError> {
    Err(ReadError::NotAReport("PDF".into()))
}
