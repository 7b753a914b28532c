//! Replays every file of `fuzz/corpus/<target>/` through the fuzz targets' own code on the
//! stable toolchain, so the inputs that once broke sitroom (and a small varied corpus) are
//! checked by every `cargo test`, not only by whoever runs `cargo fuzz`.

#[path = "../fuzz/harness.rs"]
mod harness;

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("a corpus entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the corpus of `{target}` is empty");
    for file in files {
        let bytes = std::fs::read(&file).expect("a corpus file");
        let outcome = std::panic::catch_unwind(|| run(&bytes));
        assert!(
            outcome.is_ok(),
            "{} panics the `{target}` target",
            file.display()
        );
    }
}

#[test]
fn one_file_corpus_replays() {
    replay("one_file", harness::one_file);
}

#[test]
fn names_corpus_replays() {
    replay("names", harness::names);
}
