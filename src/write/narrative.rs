//! Narrative templates (minijinja): embedded defaults, overridable file by file.
//! Placeholder until the docx writer lands.

/// Template sources by name; empty means the embedded defaults.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    pub overrides: Vec<(String, String)>,
}
