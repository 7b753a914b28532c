//! One content file, any bytes: front-matter split, YAML parse (as briefing, profile and
//! page), Markdown render, and the printed diagnostics. Must never panic.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::one_file(data));
