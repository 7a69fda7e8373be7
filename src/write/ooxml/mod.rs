//! Office Open XML, the one way every writer produces it: escaping of text ([`escape_text_into`]),
//! [`Xml`], a streaming writer of elements, and [`Package`], the zip around the parts with
//! its content types, relationships and document properties.

mod deflate;
mod escape;
mod package;
pub mod patch;
mod xml;

pub use escape::{escape_attr_into, escape_sheet_text_into, escape_text_into, xml_safe};
pub use package::{content_types, relationships, Package, Relationship};
pub use xml::{Value, Xml};

/// The XML declaration every part opens with.
pub const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// Namespaces of the package and the office document.
pub const NS_PACKAGE_RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
pub const NS_OFFICE_RELS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
pub const NS_SPREADSHEET: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
pub const NS_WORDPROCESSING: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Namespaces of the document properties (`docProps/*.xml`).
pub const NS_CORE_PROPERTIES: &str = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
pub const NS_CUSTOM_PROPERTIES: &str = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties";
pub const NS_VT: &str = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes";
pub const NS_DC: &str = "http://purl.org/dc/elements/1.1/";
pub const NS_DCTERMS: &str = "http://purl.org/dc/terms/";
pub const NS_DCMITYPE: &str = "http://purl.org/dc/dcmitype/";
pub const NS_XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The core properties' relationship type and content type, the same in every package.
pub const REL_CORE_PROPERTIES: &str =
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties";
pub const CT_CORE_PROPERTIES: &str = "application/vnd.openxmlformats-package.core-properties+xml";

/// `docProps/app.xml`, the same in the Word report and the workbooks: a part that never
/// changes, so a constant (as rust_xlsxwriter writes its theme).
pub const APP_PROPERTIES: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">",
    "<Application>nianbao ",
    env!("CARGO_PKG_VERSION"),
    "</Application></Properties>"
);
