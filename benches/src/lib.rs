//! Shared fixtures for the palisade benchmarks.
