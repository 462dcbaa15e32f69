//! Loading Kubernetes manifests from YAML and JSON bytes.
