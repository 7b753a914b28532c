//! The record sitroom keeps of a folder it wrote: which folder it is (its identity on
//! disk), the fingerprint of the inputs it was made from, and every file with a hash of its
//! bytes. It lives in the state folder beside the output, never inside it, so that nothing
//! of sitroom's own is published with the site. Encoding and decoding only: this file
//! reads and writes nothing.

use std::collections::HashMap;

/// The file older versions of sitroom kept inside the output, listing its files. An output
/// that still holds one is sitroom's; the next build moves the record beside the output.
pub const LEGACY_MARKER: &str = ".sitroom-output";
/// The first line of a legacy marker.
const LEGACY_TEXT: &str = "This folder is written by sitroom; it is replaced on every build.\n";

/// The first line of a manifest.
const HEADER: &str = "sitroom manifest 2\n";
/// Starts the line that names the folder the manifest describes.
const FOLDER: &str = "folder ";
/// Starts the line that holds the fingerprint of the inputs the folder was made from.
const INPUTS: &str = "inputs ";
/// Ends the text; the file list follows as fixed-size binary records.
const FILES: &str = "files\n";
/// One listed file: xxh3 of its path, xxh3 of its bytes, its length (little-endian u64s).
/// No paths: a 100,000-briefing site has half a million files (#5).
const RECORD: usize = 24;

/// What sitroom knows about one file it wrote: enough to tell, by reading it, that a file
/// holds exactly the bytes a new build would write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    /// xxh3 of the bytes.
    pub hash: u64,
    pub len: u64,
}

impl Fingerprint {
    pub fn of(bytes: &[u8]) -> Fingerprint {
        Fingerprint {
            hash: xxhash_rust::xxh3::xxh3_64(bytes),
            len: bytes.len() as u64,
        }
    }
}

/// The key of a file in a manifest: xxh3 of its site-relative path.
pub fn path_key(relative: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(relative.as_bytes())
}

/// Which folder on disk. It stays with the folder through renames and exchanges, and is
/// new for a folder made anew, even at the same path, so a folder put in place by hand is
/// never taken for the one sitroom wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Identity {
    pub device: u64,
    pub inode: u64,
    /// When the folder was made, in nanoseconds since 1970; 0 where the file system does
    /// not say. A deleted folder's inode number can be given to the next folder made.
    pub born: u128,
}

impl Identity {
    /// The name of the manifest of this folder in the state folder.
    pub fn file_name(&self) -> String {
        format!("folder-{}", self.text())
    }

    fn text(&self) -> String {
        format!("{:x}-{:x}-{:x}", self.device, self.inode, self.born)
    }

    /// Whether `name` is the name of some folder's manifest.
    pub fn is_manifest_name(name: &str) -> bool {
        name.starts_with("folder-")
    }
}

/// A folder as its manifest describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// The fingerprint of the inputs it was made from, if known.
    pub inputs: Option<u64>,
    /// Its files by `path_key`.
    pub files: HashMap<u64, Fingerprint>,
}

impl Manifest {
    /// The manifest of the folder `folder`, its records sorted so that the same files give
    /// the same bytes.
    pub fn encode(&self, folder: Identity) -> Vec<u8> {
        let mut records: Vec<(&u64, &Fingerprint)> = self.files.iter().collect();
        records.sort_unstable_by_key(|(key, _)| **key);
        let mut bytes = Vec::with_capacity(96 + records.len() * RECORD);
        bytes.extend_from_slice(HEADER.as_bytes());
        bytes.extend_from_slice(format!("{FOLDER}{}\n", folder.text()).as_bytes());
        if let Some(inputs) = self.inputs {
            bytes.extend_from_slice(format!("{INPUTS}{inputs:016x}\n").as_bytes());
        }
        bytes.extend_from_slice(FILES.as_bytes());
        for (key, fingerprint) in records {
            bytes.extend_from_slice(&key.to_le_bytes());
            bytes.extend_from_slice(&fingerprint.hash.to_le_bytes());
            bytes.extend_from_slice(&fingerprint.len.to_le_bytes());
        }
        bytes
    }

    /// Reads a manifest, if it is one and describes `folder`. Anything else is `None`: an
    /// unreadable record only costs a full write, never a wrong file.
    pub fn decode(bytes: &[u8], folder: Identity) -> Option<Manifest> {
        let rest = bytes.strip_prefix(HEADER.as_bytes())?;
        let line = format!("{FOLDER}{}\n", folder.text());
        let rest = rest.strip_prefix(line.as_bytes())?;
        Manifest::decode_body(rest)
    }

    /// Reads the marker an older sitroom kept inside its output.
    pub fn decode_legacy(bytes: &[u8]) -> Option<Manifest> {
        Manifest::decode_body(bytes.strip_prefix(LEGACY_TEXT.as_bytes())?)
    }

    /// Whether `bytes` begin like a legacy marker, whatever follows: the folder is sitroom's
    /// even when its list cannot be read.
    pub fn is_legacy(bytes: &[u8]) -> bool {
        bytes.starts_with(LEGACY_TEXT.as_bytes())
    }

    /// The optional inputs line, `files`, then the records.
    fn decode_body(rest: &[u8]) -> Option<Manifest> {
        let (inputs, rest) = match rest.strip_prefix(INPUTS.as_bytes()) {
            Some(line) => {
                let hex = line.get(..16)?;
                let rest = line.get(16..)?.strip_prefix(b"\n")?;
                let hex = std::str::from_utf8(hex).ok()?;
                (Some(u64::from_str_radix(hex, 16).ok()?), rest)
            }
            None => (None, rest),
        };
        let records = rest.strip_prefix(FILES.as_bytes())?;
        if records.len() % RECORD != 0 {
            return None;
        }
        let word = |record: &[u8], i: usize| {
            let mut eight = [0u8; 8];
            eight.copy_from_slice(&record[i * 8..i * 8 + 8]);
            u64::from_le_bytes(eight)
        };
        let files = records
            .chunks_exact(RECORD)
            .map(|r| {
                let fingerprint = Fingerprint {
                    hash: word(r, 1),
                    len: word(r, 2),
                };
                (word(r, 0), fingerprint)
            })
            .collect();
        Some(Manifest { inputs, files })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOLDER_A: Identity = Identity {
        device: 0x801,
        inode: 123_456,
        born: 1_700_000_000_123_456_789,
    };

    fn manifest() -> Manifest {
        let mut files = HashMap::new();
        for path in ["index.html", "people/kyiv/index.html", "feed.xml"] {
            files.insert(path_key(path), Fingerprint::of(path.as_bytes()));
        }
        Manifest {
            inputs: Some(0x0123_4567_89ab_cdef),
            files,
        }
    }

    #[test]
    fn a_manifest_reads_back_as_written() {
        let m = manifest();
        let bytes = m.encode(FOLDER_A);
        assert_eq!(Manifest::decode(&bytes, FOLDER_A), Some(m.clone()));
        // A fixed header, then 24 bytes a file.
        assert!(bytes.len() <= 96 + 24 * m.files.len(), "{}", bytes.len());
        let no_inputs = Manifest { inputs: None, ..m };
        assert_eq!(
            Manifest::decode(&no_inputs.encode(FOLDER_A), FOLDER_A),
            Some(no_inputs)
        );
    }

    #[test]
    fn the_same_files_give_the_same_bytes() {
        let a = manifest();
        let mut b = Manifest {
            inputs: a.inputs,
            ..Manifest::default()
        };
        let mut keys: Vec<_> = a.files.iter().collect();
        keys.reverse();
        b.files.extend(keys.into_iter().map(|(k, f)| (*k, *f)));
        assert_eq!(a.encode(FOLDER_A), b.encode(FOLDER_A));
    }

    #[test]
    fn a_manifest_of_another_folder_is_not_read() {
        let bytes = manifest().encode(FOLDER_A);
        for other in [
            Identity {
                inode: 123_457,
                ..FOLDER_A
            },
            Identity {
                device: 0x802,
                ..FOLDER_A
            },
            // The same inode number given to a folder made later.
            Identity {
                born: FOLDER_A.born + 1,
                ..FOLDER_A
            },
        ] {
            assert_eq!(Manifest::decode(&bytes, other), None);
        }
    }

    #[test]
    fn a_damaged_manifest_is_not_read() {
        let bytes = manifest().encode(FOLDER_A);
        // Cut short inside a record, cut before the list, or with a broken inputs line.
        assert_eq!(Manifest::decode(&bytes[..bytes.len() - 5], FOLDER_A), None);
        let files_at = bytes
            .windows(FILES.len())
            .position(|w| w == FILES.as_bytes())
            .expect("a files line");
        assert_eq!(Manifest::decode(&bytes[..files_at], FOLDER_A), None);
        let text = String::from_utf8_lossy(&bytes[..files_at]).replace("0123", "zz23");
        assert_eq!(
            Manifest::decode(format!("{text}{FILES}").as_bytes(), FOLDER_A),
            None
        );
        assert_eq!(Manifest::decode(b"", FOLDER_A), None);
        assert_eq!(Manifest::decode(b"sitroom manifest 1\n", FOLDER_A), None);
    }

    #[test]
    fn an_older_sitroom_marker_is_read() {
        // What sitroom 0.1 wrote inside `public/`: its first line, inputs, files, records.
        let mut bytes = LEGACY_TEXT.as_bytes().to_vec();
        bytes.extend_from_slice(b"inputs 00000000000000ff\nfiles\n");
        let fingerprint = Fingerprint::of(b"<html>");
        bytes.extend_from_slice(&path_key("index.html").to_le_bytes());
        bytes.extend_from_slice(&fingerprint.hash.to_le_bytes());
        bytes.extend_from_slice(&fingerprint.len.to_le_bytes());
        let legacy = Manifest::decode_legacy(&bytes).expect("a legacy marker");
        assert_eq!(legacy.inputs, Some(0xff));
        assert_eq!(legacy.files[&path_key("index.html")], fingerprint);
        assert!(Manifest::is_legacy(LEGACY_TEXT.as_bytes()));
        assert!(!Manifest::is_legacy(b"my own notes\n"));
        // A new manifest is not a legacy marker, nor the other way round.
        assert_eq!(Manifest::decode_legacy(&manifest().encode(FOLDER_A)), None);
        assert_eq!(Manifest::decode(&bytes, FOLDER_A), None);
    }
}
