//! A PDF's document information (Author, Producer), read without its pages: what tells a
//! PDF nianbao made (its Word report exported by LibreOffice) from a published report.

use super::{detect, streams, Kind};

/// Who wrote a PDF, as its Info dictionary says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfInfo {
    pub author: Option<String>,
    pub producer: Option<String>,
}

/// The Info dictionary of a PDF whose bytes spell `author` as LibreOffice writes it (as
/// text in the XMP packet, as UTF-16 hex in the Info dictionary); None for any other file.
/// Most PDFs never spell it, so most cost one scan: the stream guard (lopdf inflates
/// cross-reference and object streams without a limit) and lopdf run only for the rest.
pub fn pdf_info_naming(bytes: &[u8], author: &str) -> Option<PdfInfo> {
    if detect(bytes) != Some(Kind::Pdf) || !spells(bytes, author) {
        return None;
    }
    streams::guard(bytes).ok()?;
    // lopdf is fed hostile bytes and panics on some: such a file has no Info to tell.
    let m = std::panic::catch_unwind(|| pdf_extract::Document::load_metadata_mem(bytes)).ok()?.ok()?;
    Some(PdfInfo { author: m.author, producer: m.producer })
}

/// Whether the bytes hold `text` as it is, or as UTF-16BE hex in either case.
fn spells(bytes: &[u8], text: &str) -> bool {
    let hex: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
    [text.to_string(), hex.clone(), hex.to_lowercase()]
        .iter()
        .any(|needle| memchr::memmem::find(bytes, needle.as_bytes()).is_some())
}

#[cfg(test)]
mod tests {
    use super::spells;

    #[test]
    fn the_author_is_found_as_text_or_utf16_hex() {
        assert!(spells(b"/Author<FEFF006E00690061006E00620061006F>", "nianbao"));
        assert!(spells(b"/Author<feff006e00690061006e00620061006f>", "nianbao"));
        assert!(spells(b"<rdf:li>nianbao</rdf:li>", "nianbao"));
        assert!(!spells(b"/Author<FEFF738B5B8862FA>", "nianbao"));
    }
}
