//! Source positions of YAML nodes, so that errors found after deserializing can still point at
//! `file:line:column`.
//!
//! serde_yaml reports positions only for its own errors. This module walks the same text with
//! yaml-rust2's event parser and records where every mapping key and sequence item starts,
//! keyed by its path from the document root. It also catches duplicate mapping keys, which
//! serde would otherwise resolve silently by keeping the last one.

use std::collections::HashSet;
use std::path::PathBuf;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// One step from a node to its child: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    Key(String),
    Index(usize),
}

impl From<&str> for Segment {
    fn from(key: &str) -> Self {
        Segment::Key(key.to_owned())
    }
}

impl From<usize> for Segment {
    fn from(index: usize) -> Self {
        Segment::Index(index)
    }
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    pub const START: Position = Position { line: 1, column: 1 };

    fn from_marker(marker: Marker) -> Self {
        Position {
            line: marker.line().max(1),
            column: marker.col() + 1,
        }
    }
}

/// Where each node of one YAML document is.
///
/// Positions are only needed to report an error or a warning, and indexing every node of a
/// spec costs several times the text's size, so [`SourceMap::build`] only looks for duplicate
/// keys; [`SourceMap::position`] walks the text again for the one path it is asked about,
/// keeping nothing. A map built for a file ([`SourceMap::for_file`]) does not even keep the
/// text: it reads the file again when a position is asked for.
#[derive(Debug, Default)]
pub struct SourceMap {
    source: Source,
    /// Keys that appear twice in one mapping: (path of the second occurrence, position).
    pub duplicate_keys: Vec<(Vec<Segment>, Position)>,
}

impl SourceMap {
    /// Finds the duplicate keys of `text` and keeps it for [`SourceMap::position`]. Text that
    /// does not parse gives an empty map: the caller reports the syntax error from
    /// serde_yaml, which has its own position.
    pub fn build(text: &str) -> Self {
        Self::with_source(text, Source::Text(text.to_owned()))
    }

    /// [`SourceMap::build`] for the text of the file at `path`, which is read again for a
    /// position (spec files do not change while the generator runs).
    pub fn for_file(text: &str, path: PathBuf) -> Self {
        Self::with_source(text, Source::File(path))
    }

    fn with_source(text: &str, source: Source) -> Self {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut builder, false).is_err() {
            return SourceMap::default();
        }
        SourceMap {
            source,
            duplicate_keys: builder.duplicate_keys,
        }
    }

    /// The position of the node at `path`, or of its nearest ancestor in the text.
    pub fn position(&self, path: &[Segment]) -> Position {
        let mut builder = Builder {
            wanted: Some(Wanted {
                path: path.to_vec(),
                found: vec![None; path.len() + 1],
            }),
            ..Builder::default()
        };
        let text = match &self.source {
            Source::None => return Position::START,
            Source::Text(text) => std::borrow::Cow::Borrowed(text.as_str()),
            Source::File(path) => match std::fs::read_to_string(path) {
                Ok(text) => std::borrow::Cow::Owned(text),
                Err(_) => return Position::START,
            },
        };
        let mut parser = Parser::new_from_str(&text);
        if parser.load(&mut builder, false).is_err() {
            return Position::START;
        }
        builder
            .wanted
            .and_then(|wanted| wanted.found.into_iter().rev().flatten().next())
            .unwrap_or(Position::START)
    }
}

/// Where the text of a [`SourceMap`] is.
#[derive(Debug, Default)]
enum Source {
    /// Forgotten: every position is the start.
    #[default]
    None,
    Text(String),
    File(PathBuf),
}

/// The path a position is asked for, and the positions of its prefixes found so far (by
/// length; the first occurrence of a key wins).
#[derive(Debug)]
struct Wanted {
    path: Vec<Segment>,
    found: Vec<Option<Position>>,
}

impl Wanted {
    fn record(&mut self, path: &[Segment], position: Position) {
        if self.path.starts_with(path) {
            let slot = &mut self.found[path.len()];
            if slot.is_none() {
                *slot = Some(position);
            }
        }
    }
}

#[derive(Debug)]
enum Frame {
    Mapping {
        current_key: Option<String>,
        seen: HashSet<String>,
    },
    Sequence {
        index: usize,
    },
}

#[derive(Debug, Default)]
struct Builder {
    stack: Vec<Frame>,
    /// The path whose position is looked for, if any.
    wanted: Option<Wanted>,
    duplicate_keys: Vec<(Vec<Segment>, Position)>,
}

impl Builder {
    fn path(&self) -> Vec<Segment> {
        self.stack
            .iter()
            .filter_map(|frame| match frame {
                Frame::Mapping { current_key, .. } => current_key.clone().map(Segment::Key),
                Frame::Sequence { index } => Some(Segment::Index(*index)),
            })
            .collect()
    }

    /// A node starts. Returns true when it is a mapping key (keys are not descended into).
    fn node_starts(&mut self, scalar: Option<&str>, mark: Marker) -> bool {
        let position = Position::from_marker(mark);
        let recording = self.wanted.is_some();
        match self.stack.last() {
            None => {
                if let Some(wanted) = &mut self.wanted {
                    wanted.record(&[], position);
                }
                false
            }
            Some(Frame::Mapping { current_key, .. }) => {
                if current_key.is_some() {
                    return false;
                }
                let key = scalar.unwrap_or("<complex key>").to_owned();
                // The path is built only when it is needed: for a duplicate, or a position lookup.
                let parent_path = if recording { self.path() } else { Vec::new() };
                let Some(Frame::Mapping { current_key, seen }) = self.stack.last_mut() else {
                    return false;
                };
                let duplicate = !seen.insert(key.clone());
                *current_key = Some(key.clone());
                if duplicate || recording {
                    let mut path = if recording {
                        parent_path
                    } else {
                        // `path()` now ends with this key; its parent is what is wanted.
                        let mut path = self.path();
                        path.pop();
                        path
                    };
                    path.push(Segment::Key(key));
                    if duplicate {
                        self.duplicate_keys.push((path.clone(), position));
                    }
                    if let Some(wanted) = &mut self.wanted {
                        wanted.record(&path, position);
                    }
                }
                true
            }
            Some(Frame::Sequence { .. }) => {
                if recording {
                    // `path()` already ends with this sequence's current index.
                    let path = self.path();
                    if let Some(wanted) = &mut self.wanted {
                        wanted.record(&path, position);
                    }
                }
                false
            }
        }
    }

    /// A value (scalar, alias or finished container) is complete.
    fn value_ends(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Mapping { current_key, .. }) => *current_key = None,
            Some(Frame::Sequence { index }) => *index += 1,
            None => {}
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) if !self.node_starts(Some(&value), mark) => self.value_ends(),
            Event::Alias(_) if !self.node_starts(None, mark) => self.value_ends(),
            Event::MappingStart(..) => {
                self.node_starts(None, mark);
                self.stack.push(Frame::Mapping {
                    current_key: None,
                    seen: HashSet::new(),
                });
            }
            Event::SequenceStart(..) => {
                self.node_starts(None, mark);
                self.stack.push(Frame::Sequence { index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.value_ends();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(segments: &[Segment]) -> Vec<Segment> {
        segments.to_vec()
    }

    #[test]
    fn records_keys_and_items_with_one_based_positions() {
        let text = "a: 1\nlist:\n  - x: 2\n    y: 3\n  - z\n";
        let map = SourceMap::build(text);
        assert_eq!(
            map.position(&path(&["a".into()])),
            Position { line: 1, column: 1 }
        );
        assert_eq!(
            map.position(&path(&["list".into(), 0.into(), "y".into()])),
            Position { line: 4, column: 5 }
        );
        assert_eq!(
            map.position(&path(&["list".into(), 1.into()])),
            Position { line: 5, column: 5 }
        );
    }

    #[test]
    fn unknown_paths_fall_back_to_the_nearest_ancestor() {
        let map = SourceMap::build("outer:\n  inner: 1\n");
        assert_eq!(
            map.position(&path(&["outer".into(), "missing".into()])),
            Position { line: 1, column: 1 }
        );
    }

    #[test]
    fn finds_duplicate_keys() {
        let map = SourceMap::build("a: 1\nb:\n  c: 1\n  c: 2\n");
        assert_eq!(map.duplicate_keys.len(), 1);
        assert_eq!(map.duplicate_keys[0].1, Position { line: 4, column: 3 });
    }
}
