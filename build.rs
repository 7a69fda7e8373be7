//! Build script: the commit and target that `nianbao --version` prints.
//!
//! The commit comes from git when this package is the top of a git checkout; a build from a
//! source tarball (no `.git`, or no git installed) says `unknown` instead of failing, unless
//! the packager sets `NIANBAO_COMMIT`.

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (out.status.success() && !text.is_empty()).then(|| text.to_string())
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=NIANBAO_COMMIT");
    let commit = std::env::var("NIANBAO_COMMIT").ok().filter(|c| !c.is_empty()).or_else(from_git);
    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown".into());
    println!("cargo:rustc-env=NIANBAO_COMMIT={}", commit.as_deref().unwrap_or("unknown"));
    println!("cargo:rustc-env=NIANBAO_TARGET={target}");
}

/// The short hash of HEAD, if this package's folder is the top of a git work tree (a tarball
/// unpacked inside some other repository must not take that repository's commit).
fn from_git() -> Option<String> {
    let here = std::env::var("CARGO_MANIFEST_DIR").ok()?;
    let top = git(&["rev-parse", "--show-toplevel"])?;
    if std::fs::canonicalize(&top).ok()? != std::fs::canonicalize(&here).ok()? {
        return None;
    }
    // Rebuild when HEAD moves: HEAD itself (a checkout), the branch it names (a commit) and
    // packed-refs (a ref packed by gc); in a worktree these live in different folders. Only
    // existing files: cargo would rerun the script at every build for a missing one.
    let mut watched = vec!["HEAD".to_string(), "packed-refs".to_string()];
    watched.extend(git(&["symbolic-ref", "-q", "HEAD"]));
    for name in &watched {
        if let Some(p) = git(&["rev-parse", "--git-path", name]).filter(|p| Path::new(p).exists()) {
            println!("cargo:rerun-if-changed={p}");
        }
    }
    git(&["rev-parse", "--short=9", "HEAD"])
}
