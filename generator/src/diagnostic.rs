//! Errors about specs, each pointing at `file:line:column`.

use std::fmt;

use crate::spec::locate::Position;

/// One problem in one spec file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file as the user named it (spec directory joined with the file's relative path).
    pub file: String,
    pub position: Position,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: error: {}",
            self.file, self.position.line, self.position.column, self.message
        )
    }
}

/// Every problem found in a run, sorted by file and position.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, file: &str, position: Position, message: impl Into<String>) {
        self.0.push(Diagnostic {
            file: file.to_owned(),
            position,
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was reported, otherwise the sorted diagnostics.
    pub fn into_result<T>(mut self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            self.0.sort();
            self.0.dedup();
            Err(self)
        }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        let count = self.0.len();
        write!(f, "{count} error{}", if count == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}

/// What a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WarningKind {
    /// An example that contradicts its schema, kept because it carries an `example_note`:
    /// shown in the docs with the note, never used as a test.
    NotedExample,
    /// An `example_note` on an example that matches its schema: the note is stale.
    StaleExampleNote,
    /// An operation whose source documents no success status: any 2xx is its success,
    /// without a body.
    NoSuccessDocumented,
}

/// Something the generator reports but generates anyway, pointing at `file:line:column`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    pub file: String,
    pub position: Position,
    pub kind: WarningKind,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: warning: {}",
            self.file, self.position.line, self.position.column, self.message
        )
    }
}

/// The generator's report of its warnings: each stale note on its own line (they ask for an
/// edit), the noted examples as one count (they are known source defects, thousands in the
/// catalogue). Empty when there is nothing to say.
pub fn warning_summary(warnings: &[Warning]) -> String {
    let mut out = String::new();
    for warning in warnings
        .iter()
        .filter(|w| w.kind != WarningKind::NotedExample)
    {
        out.push_str(&format!("{warning}\n"));
    }
    let noted: Vec<&Warning> = warnings
        .iter()
        .filter(|w| w.kind == WarningKind::NotedExample)
        .collect();
    if let Some(first) = noted.first() {
        let count = noted.len();
        out.push_str(&format!(
            "note: {count} example{s} contradict{verb} {their} schema and carr{ies} an `example_note`: \
             kept in the docs with the note, not used as tests (first: {first})\n",
            s = if count == 1 { "" } else { "s" },
            verb = if count == 1 { "s" } else { "" },
            their = if count == 1 { "its" } else { "their" },
            ies = if count == 1 { "ies" } else { "y" },
        ));
    }
    out
}
