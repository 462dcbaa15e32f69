//! Reading manifests from files, directories and stdin.

use std::io::Read;
use std::path::Path;

use palisade::core::load::{Limits, Manifest, load_path, parse_manifests};

/// Loads every manifest named by `paths` (`-` is stdin), in order.
pub(crate) fn load(paths: &[impl AsRef<Path>]) -> Result<Vec<Manifest>, String> {
    let limits = Limits::default();
    let mut manifests = Vec::new();
    for path in paths {
        let path = path.as_ref();
        if path == Path::new("-") {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read stdin: {e}"))?;
            manifests.extend(
                parse_manifests(&bytes, Some("<stdin>"), &limits).map_err(|e| e.to_string())?,
            );
        } else {
            manifests.extend(load_path(path, &limits).map_err(|e| e.to_string())?);
        }
    }
    Ok(manifests)
}
