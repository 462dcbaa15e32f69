//! Reading manifests from files and directories (cargo feature `fs`).

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use super::error::{IoError, LimitError, LimitKind, LoadError, Location};
use super::{Limits, Manifest, parse_manifests};

/// File name endings read from directories, as `kubectl apply -f DIR` reads them.
const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// Reads the manifests in a file, or in every manifest file under a directory.
///
/// A file is read whatever its name. A directory is walked recursively for files ending in
/// `.yaml`, `.yml` or `.json` (case-sensitive), read in the order of their sorted paths so the
/// result is deterministic. Files and directories whose names start with `.` are skipped.
/// Symbolic links to files are followed; symbolic links to directories are not, so a walk
/// cannot loop. Each file is one input for [`parse_manifests`]: the [`Limits`] apply per file,
/// and origins name the file by its path.
///
/// # Errors
///
/// A [`LoadError::Io`] naming the path that could not be read, or the first error of
/// [`parse_manifests`] for a file (its origin names the file).
pub fn load_path(path: &Path, limits: &Limits) -> Result<Vec<Manifest>, LoadError> {
    let metadata = fs::metadata(path).map_err(|e| IoError::boxed(path, e))?;
    if !metadata.is_dir() {
        return load_file(path, limits);
    }
    let mut manifests = Vec::new();
    for file in manifest_files(path)? {
        manifests.extend(load_file(&file, limits)?);
    }
    Ok(manifests)
}

fn load_file(path: &Path, limits: &Limits) -> Result<Vec<Manifest>, LoadError> {
    let name = path.display().to_string();
    let max = limits.max_input_bytes();
    let too_large = || LimitError::boxed(LimitKind::InputBytes, max, Location::new(Some(&name)));
    let file = File::open(path).map_err(|e| IoError::boxed(path, e))?;
    let length = file.metadata().map_err(|e| IoError::boxed(path, e))?.len();
    let max_u64 = u64::try_from(max).unwrap_or(u64::MAX);
    if length > max_u64 {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(length).unwrap_or(0));
    // Read at most one byte more than allowed, in case the file grew.
    file.take(max_u64.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| IoError::boxed(path, e))?;
    if bytes.len() > max {
        return Err(too_large());
    }
    parse_manifests(&bytes, Some(&name), limits)
}

/// The manifest files under `root`, sorted.
fn manifest_files(root: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let mut files = Vec::new();
    let mut directories = vec![root.to_path_buf()];
    while let Some(directory) = directories.pop() {
        let entries = fs::read_dir(&directory).map_err(|e| IoError::boxed(&directory, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| IoError::boxed(&directory, e))?;
            if entry.file_name().as_encoded_bytes().first() == Some(&b'.') {
                continue;
            }
            let path = entry.path();
            // `file_type` does not follow symbolic links.
            let file_type = entry.file_type().map_err(|e| IoError::boxed(&path, e))?;
            if file_type.is_dir() {
                directories.push(path);
            } else if has_manifest_extension(&path) {
                // Regular files, and links to regular files; never devices, pipes or links to
                // directories.
                let regular = file_type.is_file()
                    || (file_type.is_symlink()
                        && fs::metadata(&path)
                            .map_err(|e| IoError::boxed(&path, e))?
                            .is_file());
                if regular {
                    files.push(path);
                }
            }
        }
    }
    files.sort();
    Ok(files)
}

fn has_manifest_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e))
}
