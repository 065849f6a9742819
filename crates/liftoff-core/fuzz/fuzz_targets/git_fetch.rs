#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| liftoff_fuzz::git_fetch(data));
