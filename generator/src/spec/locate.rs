//! Source positions of YAML nodes, so that errors found after deserializing can still point at
//! `file:line:column`.
//!
//! serde_yaml reports positions only for its own errors. This module walks the same text with
//! yaml-rust2's event parser and records where every mapping key and sequence item starts,
//! keyed by its path from the document root. It also catches duplicate mapping keys, which
//! serde would otherwise resolve silently by keeping the last one.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

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
/// Positions are only needed to report an error, and indexing every node of every spec costs
/// several times the text's size, so [`SourceMap::build`] only looks for duplicate keys and
/// keeps the text; the positions are indexed on the first call of [`SourceMap::position`].
#[derive(Debug, Default)]
pub struct SourceMap {
    text: String,
    positions: OnceLock<HashMap<Vec<Segment>, Position>>,
    /// Keys that appear twice in one mapping: (path of the second occurrence, position).
    pub duplicate_keys: Vec<(Vec<Segment>, Position)>,
}

impl SourceMap {
    /// Finds the duplicate keys of `text` and keeps it for [`SourceMap::position`]. Text that
    /// does not parse gives an empty map: the caller reports the syntax error from
    /// serde_yaml, which has its own position.
    pub fn build(text: &str) -> Self {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut builder, false).is_err() {
            return SourceMap::default();
        }
        SourceMap {
            text: text.to_owned(),
            positions: OnceLock::new(),
            duplicate_keys: builder.duplicate_keys,
        }
    }

    /// The position of the node at `path`, or of its nearest recorded ancestor.
    pub fn position(&self, path: &[Segment]) -> Position {
        let positions = self.positions.get_or_init(|| {
            let mut builder = Builder {
                positions: Some(HashMap::new()),
                ..Builder::default()
            };
            let mut parser = Parser::new_from_str(&self.text);
            match parser.load(&mut builder, false) {
                Ok(()) => builder.positions.unwrap_or_default(),
                Err(_) => HashMap::new(),
            }
        });
        (0..=path.len())
            .rev()
            .find_map(|len| positions.get(&path[..len]).copied())
            .unwrap_or(Position::START)
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
    /// Every node's position, when they are wanted.
    positions: Option<HashMap<Vec<Segment>, Position>>,
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
        let recording = self.positions.is_some();
        match self.stack.last() {
            None => {
                if let Some(positions) = &mut self.positions {
                    positions.insert(Vec::new(), position);
                }
                false
            }
            Some(Frame::Mapping { current_key, .. }) => {
                if current_key.is_some() {
                    return false;
                }
                let key = scalar.unwrap_or("<complex key>").to_owned();
                // The path is built only when it is kept: for a duplicate, or for the index.
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
                    if let Some(positions) = &mut self.positions {
                        positions.entry(path).or_insert(position);
                    }
                }
                true
            }
            Some(Frame::Sequence { .. }) => {
                if recording {
                    // `path()` already ends with this sequence's current index.
                    let path = self.path();
                    if let Some(positions) = &mut self.positions {
                        positions.insert(path, position);
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
