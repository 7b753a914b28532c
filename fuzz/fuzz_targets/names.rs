//! Entity names, any text: slugs and name keys, then a whole `graph::resolve` of profiles
//! and briefings naming them. Must never panic; every slug stays path-safe and unique.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::names(data));
