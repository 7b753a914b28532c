//! Where the editor wrote something: a line and column of the file, kept with each key and
//! value as it is read, so that no later stage has to search the text again to point at it.
//! Plain data (a later cache may store it), no behaviour beyond lookups.

use serde::{Deserialize, Serialize};

/// A 1-based line and column (in characters) of a file, counted from the top of the file.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    pub fn new(line: usize, column: usize) -> Position {
        Position { line, column }
    }
}

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Spanned<T> {
    pub value: T,
    pub at: Position,
}

impl<T> Spanned<T> {
    pub fn new(value: T, at: Position) -> Spanned<T> {
        Spanned { value, at }
    }
}

/// Reads as the value, so `name.trim()` and `&name` as `&str` work on a `Spanned<String>`.
impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// Where each top-level front-matter key and its value were written, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keys(pub Vec<KeyAt>);

/// One front-matter key: its name, where the key starts and where its value starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyAt {
    pub name: String,
    pub key: Position,
    pub value: Position,
}

impl Keys {
    /// Where `name:` was written, if it was.
    pub fn key(&self, name: &str) -> Option<Position> {
        self.find(name).map(|k| k.key)
    }

    /// Where the value of `name:` starts, if the key was written.
    pub fn value(&self, name: &str) -> Option<Position> {
        self.find(name).map(|k| k.value)
    }

    fn find(&self, name: &str) -> Option<&KeyAt> {
        self.0.iter().find(|k| k.name == name)
    }
}
