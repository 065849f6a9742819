//! Helpers shared by the CLI's integration tests.
#![allow(dead_code)]

pub mod stub;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

/// Runs `liftoff` with `args` in `cwd`, with no builder token or key from the test's own
/// environment, and `env` set.
pub fn liftoff(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_liftoff"));
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("LOVABLE_TOKEN")
        .env_remove("LOVABLE_API_KEY")
        .env_remove("BASE44_TOKEN");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// Every file under `root`, by its `/`-separated relative path.
pub fn read_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let rel = format!("{prefix}{}", e.file_name().to_str().unwrap());
            if e.file_type().unwrap().is_dir() {
                walk(&e.path(), &format!("{rel}/"), out);
            } else {
                out.insert(rel, std::fs::read(e.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, "", &mut out);
    out
}
