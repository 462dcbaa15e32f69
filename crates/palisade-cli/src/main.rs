//! The `palisade` binary: a thin wrapper over [`palisade_cli::run`].

fn main() -> std::process::ExitCode {
    palisade_cli::run(std::env::args_os())
}
