//! The namespaces WordprocessingML parts declare: the document's and a footer's, as Word
//! writes them.

use crate::write::ooxml::{self, NS_OFFICE_RELS, NS_WORDPROCESSING};

/// Namespaces of `w:document` (as Word declares them; most are for elements Word may add).
pub(super) const DOCUMENT_NAMESPACES: &[(&str, ooxml::Value<'static>)] = &[
    ("xmlns:o", ooxml::Value::Text("urn:schemas-microsoft-com:office:office")),
    ("xmlns:r", ooxml::Value::Text(NS_OFFICE_RELS)),
    ("xmlns:v", ooxml::Value::Text("urn:schemas-microsoft-com:vml")),
    ("xmlns:w", ooxml::Value::Text(NS_WORDPROCESSING)),
    ("xmlns:w10", ooxml::Value::Text("urn:schemas-microsoft-com:office:word")),
    ("xmlns:wp", ooxml::Value::Text("http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing")),
    ("xmlns:wps", ooxml::Value::Text("http://schemas.microsoft.com/office/word/2010/wordprocessingShape")),
    ("xmlns:wpg", ooxml::Value::Text("http://schemas.microsoft.com/office/word/2010/wordprocessingGroup")),
    ("xmlns:mc", ooxml::Value::Text("http://schemas.openxmlformats.org/markup-compatibility/2006")),
    ("xmlns:wp14", ooxml::Value::Text("http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing")),
    ("xmlns:w14", ooxml::Value::Text("http://schemas.microsoft.com/office/word/2010/wordml")),
    ("xmlns:w15", ooxml::Value::Text("http://schemas.microsoft.com/office/word/2012/wordml")),
    ("mc:Ignorable", ooxml::Value::Text("w14 wp14")),
];

/// Namespaces of `w:ftr`: the document's, `r` first and without `w15`, as Word declares
/// them on a footer.
pub(super) fn footer_namespaces() -> Vec<(&'static str, ooxml::Value<'static>)> {
    let r = DOCUMENT_NAMESPACES.iter().filter(|(k, _)| *k == "xmlns:r");
    let rest = DOCUMENT_NAMESPACES.iter().filter(|(k, _)| !matches!(*k, "xmlns:r" | "xmlns:w15"));
    r.chain(rest).copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::ooxml::Xml;

    #[test]
    fn a_footer_declares_the_documents_namespaces_r_first_without_w15() {
        let mut x = Xml::new(0);
        x.empty("w:ftr", &footer_namespaces());
        assert_eq!(
            x.as_str(),
            format!(
                "<w:ftr xmlns:r=\"{NS_OFFICE_RELS}\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" \
                 xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:w=\"{NS_WORDPROCESSING}\" xmlns:w10=\"urn:schemas-microsoft-com:office:word\" \
                 xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
                 xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\" \
                 xmlns:wpg=\"http://schemas.microsoft.com/office/word/2010/wordprocessingGroup\" \
                 xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" \
                 xmlns:wp14=\"http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing\" \
                 xmlns:w14=\"http://schemas.microsoft.com/office/word/2010/wordml\" mc:Ignorable=\"w14 wp14\"/>"
            )
        );
    }
}
