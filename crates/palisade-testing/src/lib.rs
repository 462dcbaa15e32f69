//! Test support shared by palisade's crates (not published).
//!
//! The conformance corpora live outside the repository, in `../shared/conformance` beside the
//! workspace, or wherever `PALISADE_CONFORMANCE_DIR` points. Runners call
//! [`conformance_dir`] first: without the data they print that they skipped, unless
//! `PALISADE_REQUIRE_CONFORMANCE=1` (set by CI), in which case missing data is a failure.

use std::path::PathBuf;

/// The conformance data directory, if `marker` (a path inside it, e.g. `pss/index.json`)
/// exists there.
///
/// Prints `skipped: …` and returns `None` when the data is absent.
///
/// # Panics
///
/// When the data is absent and `PALISADE_REQUIRE_CONFORMANCE=1`: a run that must check
/// conformance may not silently skip it.
#[allow(clippy::panic)] // a test helper: failing the test is its job
pub fn conformance_dir(marker: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("PALISADE_CONFORMANCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance")
        });
    if dir.join(marker).is_file() {
        return Some(dir);
    }
    let required = std::env::var("PALISADE_REQUIRE_CONFORMANCE").is_ok_and(|v| v == "1");
    if required {
        panic!(
            "conformance data missing: no {marker} in {} and PALISADE_REQUIRE_CONFORMANCE=1",
            dir.display()
        );
    }
    println!("skipped: no conformance data at {}", dir.display());
    None
}
