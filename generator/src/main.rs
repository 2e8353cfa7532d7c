//! `generator`: regenerate `generated/` from `spec/`, check that they agree, or import
//! reference pages into specs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Generate the hwcloud crate from the YAML endpoint specs")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    paths: Paths,
}

#[derive(Args, Clone)]
struct Paths {
    /// The spec directory [default: spec/ of this workspace]
    #[arg(long, global = true)]
    spec: Option<PathBuf>,
    /// The generated crate's directory [default: generated/ of this workspace]
    #[arg(long, global = true)]
    out: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the crate (the default when no command is given)
    Generate,
    /// Exit non-zero with a unified diff when the crate on disk differs from the specs
    Check,
}

fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let spec = cli
        .paths
        .spec
        .clone()
        .unwrap_or_else(|| workspace_root().join("spec"));
    let out = cli
        .paths
        .out
        .clone()
        .unwrap_or_else(|| workspace_root().join("generated"));
    let files = match generator::generate(&spec) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("{error}");
            eprintln!("generated/ was left unchanged.");
            return ExitCode::FAILURE;
        }
    };
    match cli.command.unwrap_or(Command::Generate) {
        Command::Generate => match generator::output::write_atomically(&out, &files) {
            Ok(()) => {
                println!("wrote {} files to {}", files.len(), out.display());
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: writing {}: {error}", out.display());
                ExitCode::FAILURE
            }
        },
        Command::Check => match generator::output::diff(&out, &files) {
            Ok(diff) if diff.is_empty() => {
                println!("{} is up to date with {}", out.display(), spec.display());
                ExitCode::SUCCESS
            }
            Ok(diff) => {
                print!("{diff}");
                eprintln!(
                    "error: {} differs from what {} produces; run `cargo run -p generator`",
                    out.display(),
                    spec.display()
                );
                ExitCode::FAILURE
            }
            Err(error) => {
                eprintln!("error: reading {}: {error}", out.display());
                ExitCode::FAILURE
            }
        },
    }
}
