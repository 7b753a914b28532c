//! Several languages in one archive (#12): per-language URLs, words, dates and names, and a
//! single-language archive that builds exactly as it did before languages existed.

mod common;

use common::Fixture;

/// Every output file of `dir` with a hash of its bytes, one `path hash` line each.
fn digest(dir: &std::path::Path) -> String {
    common::files(dir)
        .iter()
        .map(|file| {
            let bytes = std::fs::read(dir.join(file)).expect("read output");
            format!("{file} {:016x}\n", xxhash_rust::xxh3::xxh3_64(&bytes))
        })
        .collect()
}

/// The small fixture's output as sitroom built it before `languages:` existed, file by
/// file. `SITROOM_BLESS=1` rewrites it, for a change that means to alter every site.
#[test]
fn single_language_site_is_byte_identical() {
    let site = Fixture::small();
    site.build().expect("build");
    let found = digest(&site.path("public"));
    let snapshot = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/single-language.digest");
    if std::env::var_os("SITROOM_BLESS").is_some() {
        std::fs::write(&snapshot, &found).expect("write snapshot");
    }
    let expected = std::fs::read_to_string(&snapshot).expect("read snapshot");
    let differ: Vec<&str> = found
        .lines()
        .filter(|line| !expected.lines().any(|e| e == *line))
        .collect();
    assert!(
        differ.is_empty() && found.lines().count() == expected.lines().count(),
        "files differ from the single-language snapshot: {differ:?}"
    );
}
