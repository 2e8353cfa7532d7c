//! `generator`: regenerate `generated/` from `spec/`, check that they agree, or import
//! reference pages into specs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Generate the hwcloud crates from the YAML endpoint specs")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    paths: Paths,
}

#[derive(Args, Clone)]
struct Paths {
    /// The spec directory [default: spec/ of the checkout around the current directory]; give
    /// --out with it unless it is that checkout's own
    #[arg(long, global = true)]
    spec: Option<PathBuf>,
    /// The generated crates' directory [default: generated/ of the checkout around the current
    /// directory]; give --spec with it unless it is that checkout's own
    #[arg(long, global = true)]
    out: Option<PathBuf>,
    /// The runtime crate the generated crates depend on (written as a path relative to --out)
    /// [default: runtime/ of the checkout around the current directory]
    #[arg(long, global = true)]
    runtime: Option<PathBuf>,
    /// Make the output its own workspace (a `[workspace]` of the facade and services/*); implied
    /// when the output sits in a workspace that does not list it as a member (under target/)
    #[arg(long, global = true)]
    standalone: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the crate (the default when no command is given)
    Generate,
    /// Exit non-zero with a unified diff when the crate on disk differs from the specs
    Check,
    /// The API change between two spec trees, per service and operation, each change classified
    /// by what it does to users of the generated crate, with the version bump it calls for
    Diff(DiffArgs),
    /// Read API reference pages (plain text) and write one YAML spec per page, or (with
    /// --explorer) API Explorer definitions and write one spec per operation
    Import(ImportArgs),
}

#[derive(Args)]
struct DiffArgs {
    /// The old specs: a directory, or a git revision of the checkout [default: the merge base
    /// of HEAD with main]
    #[arg(long, value_name = "DIR|REV")]
    base: Option<String>,
    /// The new specs: a directory, or a git revision [default: the checkout's spec/ as it is]
    #[arg(long, value_name = "DIR|REV")]
    head: Option<String>,
    /// `text` for a terminal, `markdown` for a pull request comment
    #[arg(long, value_enum, default_value = "text")]
    format: DiffFormat,
    /// Exit non-zero when there is a breaking change and spec/crate.yaml's version does not carry
    /// the bump it needs
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum DiffFormat {
    Text,
    Markdown,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FailOn {
    Breaking,
}

#[derive(Args)]
struct ImportArgs {
    /// The pages to import
    #[arg(required_unless_present = "explorer")]
    pages: Vec<PathBuf>,
    /// API Explorer definitions to import instead of pages: files, or folders holding
    /// schemas/<Service>/src/<Operation>.json or <Service>/src/<Operation>.json
    #[arg(long, num_args = 1.., value_name = "PATH", conflicts_with_all = ["pages", "operation", "retry_safe", "error_schema"])]
    explorer: Vec<PathBuf>,
    /// Where specs go: the spec root, or a service folder (with --explorer: the spec root)
    /// [default: spec/ of the checkout around the current directory]
    #[arg(long)]
    into: Option<PathBuf>,
    /// Update the spec whose `source.document` is the page's file name (searched under --into),
    /// keeping what the page cannot say: operation name, notes, enum names, shared $refs. With
    /// --explorer: merge into the spec with the definition's `source.definition` (or operation
    /// name); a page's spec keeps its values and notes where the definition disagrees
    #[arg(long)]
    update: bool,
    /// The operation's name (PascalCase, as in the official SDKs); required for a new spec
    #[arg(long)]
    operation: Option<String>,
    /// The service folder (under --into) for a new spec; with --explorer, the service id of
    /// every definition (instead of the id rule)
    #[arg(long)]
    service: Option<String>,
    /// Mark the operation safe to retry although its method is not idempotent
    #[arg(long)]
    retry_safe: bool,
    /// A shared schema every error response of a new spec refers to (e.g. KmsErrorResponse)
    #[arg(long)]
    error_schema: Option<String>,
    /// With --explorer: also write the end-of-run summary to this file as JSON (imported,
    /// skipped_total, skipped by reason, warnings_total, warnings by kind, vendor_extensions)
    #[arg(long, value_name = "PATH", requires = "explorer")]
    summary_json: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(error) => {
            eprintln!("error: the current directory: {error}");
            return ExitCode::FAILURE;
        }
    };
    let flags = generator::workspace::Flags {
        spec: cli.paths.spec.clone(),
        out: cli.paths.out.clone(),
        runtime: cli.paths.runtime.clone(),
        standalone: cli.paths.standalone,
    };
    // Generation reads spec/ and writes generated/ of the checkout the user stands in.
    let paths = || match generator::workspace::resolve(&cwd, &flags) {
        Ok(paths) => Some(paths),
        Err(error) => {
            eprintln!("error: {error}");
            None
        }
    };
    let layout = |paths: &generator::workspace::Paths| match generator::output::layout(
        &paths.out,
        &paths.runtime,
        paths.standalone,
    ) {
        Ok(layout) => Some(layout),
        Err(error) => {
            eprintln!(
                "error: the runtime {} from {}: {error}",
                paths.runtime.display(),
                paths.out.display()
            );
            None
        }
    };
    match cli.command.unwrap_or(Command::Generate) {
        command @ (Command::Generate | Command::Check) => {
            let Some(paths) = paths() else {
                return ExitCode::FAILURE;
            };
            let Some(layout) = layout(&paths) else {
                return ExitCode::FAILURE;
            };
            if matches!(command, Command::Check) {
                check(&paths.spec, &paths.out, &layout)
            } else {
                generate(&paths.spec, &paths.out, &layout)
            }
        }
        Command::Diff(args) => diff(&cwd, &flags, &args),
        Command::Import(args) => {
            // Import writes specs only: --spec (or --into) alone is fine.
            let spec = match (&args.into, &cli.paths.spec) {
                (Some(into), _) => into.clone(),
                (None, Some(spec)) => cwd.join(spec),
                (None, None) => match generator::workspace::find_checkout(&cwd) {
                    Some(root) => root.join("spec"),
                    None => {
                        eprintln!(
                            "error: {} is not inside a checkout (no spec/crate.yaml in it or above it): run from the checkout or give --into",
                            cwd.display()
                        );
                        return ExitCode::FAILURE;
                    }
                },
            };
            let into = spec;
            if args.explorer.is_empty() {
                import_pages(&args, &into)
            } else {
                import_definitions(&args, &into)
            }
        }
    }
}

/// The crates' files for `spec`, or the reasons there are none (printed).
fn generated_files(
    spec: &Path,
    out: &Path,
    layout: &generator::Layout,
) -> Option<generator::emit::Files> {
    match generator::generate_with_warnings(spec, layout) {
        Ok(generated) => {
            // Warnings do not stop generation (nor `check`); they go to stderr.
            eprint!(
                "{}",
                generator::diagnostic::warning_summary(&generated.warnings)
            );
            Some(generated.files)
        }
        Err(error) => {
            eprintln!("{error}");
            eprintln!("{} was left unchanged.", out.display());
            None
        }
    }
}

fn generate(spec: &Path, out: &Path, layout: &generator::Layout) -> ExitCode {
    match generator::generate_into(spec, out, layout) {
        Ok(written) => {
            // Warnings do not stop generation (nor `check`); they go to stderr.
            eprint!(
                "{}",
                generator::diagnostic::warning_summary(&written.warnings)
            );
            println!("{}: {}", out.display(), written.changes);
            ExitCode::SUCCESS
        }
        Err(error @ generator::GenerateError::InvalidSpecs(_)) => {
            eprintln!("{error}");
            eprintln!("{} was left unchanged.", out.display());
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("{} was left unchanged.", out.display());
            ExitCode::FAILURE
        }
    }
}

fn diff(cwd: &Path, flags: &generator::workspace::Flags, args: &DiffArgs) -> ExitCode {
    use generator::diff::{report, trees};
    let checkout = generator::workspace::find_checkout(cwd);
    let spec = match (&flags.spec, &checkout) {
        (Some(spec), _) => cwd.join(spec),
        (None, Some(root)) => root.join("spec"),
        (None, None) => {
            eprintln!(
                "error: {} is not inside a checkout: run from the checkout, or give --base and --head directories",
                cwd.display()
            );
            return ExitCode::FAILURE;
        }
    };
    let repo = checkout.clone().unwrap_or_else(|| cwd.to_path_buf());
    let spec_in_repo = std::path::absolute(&spec)
        .ok()
        .and_then(|s| s.strip_prefix(&repo).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("spec"));
    let base = match &args.base {
        Some(base) => base.clone(),
        None => match trees::merge_base(&repo) {
            Ok(rev) => rev,
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::FAILURE;
            }
        },
    };
    let head = args
        .head
        .clone()
        .unwrap_or_else(|| spec.to_string_lossy().into_owned());
    let open = |what: &str| trees::open(what, &repo, &spec_in_repo);
    let (base_tree, head_tree) = match (open(&base), open(&head)) {
        (Ok(b), Ok(h)) => (b, h),
        (Err(error), _) | (_, Err(error)) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let model = |tree: &trees::Tree| {
        generator::model(&tree.spec)
            .map_err(|e| format!("{} ({}):\n{e}", tree.label, tree.spec.display()))
    };
    let (old, new) = match (model(&base_tree), model(&head_tree)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(error), _) | (_, Err(error)) => {
            eprintln!("error: the specs of {error}");
            return ExitCode::FAILURE;
        }
    };
    let changes = generator::diff::compare(&old, &new);
    let versions = report::Versions {
        base: old.version.clone(),
        head: new.version.clone(),
    };
    let format = match args.format {
        DiffFormat::Text => report::Format::Text,
        DiffFormat::Markdown => report::Format::Markdown,
    };
    print!("{}", report::render(&changes, &versions, format));
    let breaking = changes
        .iter()
        .any(|c| c.impact == generator::diff::Impact::Breaking);
    match args.fail_on {
        Some(FailOn::Breaking) if breaking && !report::version_ok(&changes, &versions) => {
            eprintln!(
                "error: breaking changes without the version bump they need (spec/crate.yaml: {} -> {})",
                versions.base, versions.head
            );
            ExitCode::FAILURE
        }
        _ => ExitCode::SUCCESS,
    }
}

fn check(spec: &Path, out: &Path, layout: &generator::Layout) -> ExitCode {
    let Some(files) = generated_files(spec, out, layout) else {
        return ExitCode::FAILURE;
    };
    // Paths as `git diff` shows them: from the repository (checkout) root; an output outside
    // the checkout is shown from its own root.
    let prefix = std::env::current_dir()
        .ok()
        .and_then(|cwd| generator::workspace::find_checkout(&cwd))
        .and_then(|root| {
            let out = std::path::absolute(out).ok()?;
            let relative = out.strip_prefix(root).ok()?.to_path_buf();
            Some(relative.to_string_lossy().replace('\\', "/"))
        })
        .unwrap_or_default();
    match generator::output::diff(out, &files, &prefix) {
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
    }
}

fn import_pages(args: &ImportArgs, into: &Path) -> ExitCode {
    if args.pages.len() > 1 && args.operation.is_some() {
        eprintln!("error: --operation names one operation; import one page at a time with it");
        return ExitCode::FAILURE;
    }
    let options = generator::import::ImportOptions {
        operation: args.operation.clone(),
        retry_safe: args.retry_safe.then_some(true),
        error_schema: args.error_schema.clone(),
        service_schemas: None,
    };
    let mut failed = false;
    // With --update, what each page changed in the API (the engine of `generator diff`).
    let spec_root = into
        .ancestors()
        .find(|dir| dir.join("crate.yaml").is_file())
        .map(Path::to_path_buf);
    let mut before = match (&spec_root, args.update) {
        (Some(root), true) => generator::model(root).ok(),
        _ => None,
    };
    for page in &args.pages {
        match import_one(page, into, args, &options) {
            Ok(written) => {
                println!("{}: wrote {}", page.display(), written.display());
                if let (Some(root), Some(old)) = (&spec_root, &before) {
                    match generator::model(root) {
                        Ok(new) => {
                            let changes = generator::diff::compare(old, &new);
                            if changes.is_empty() {
                                println!("  no API change");
                            }
                            for change in &changes {
                                println!(
                                    "  {:<10} {} {}: {}",
                                    change.impact.label(),
                                    change.service,
                                    change.scope,
                                    change.what
                                );
                            }
                            before = Some(new);
                        }
                        Err(error) => println!(
                            "  the specs do not generate after this page, so no change summary:\n{error}"
                        ),
                    }
                }
            }
            Err(message) => {
                eprintln!("{}: error: {message}", page.display());
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        println!("next: `cargo run -p generator`, then review the spec and code diffs");
        ExitCode::SUCCESS
    }
}

fn import_one(
    page: &Path,
    into: &Path,
    args: &ImportArgs,
    options: &generator::import::ImportOptions,
) -> Result<PathBuf, String> {
    let text = std::fs::read_to_string(page).map_err(|e| format!("cannot read the page: {e}"))?;
    let document = page
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .ok_or("the page path has no file name")?;
    let existing_path = if args.update {
        let found = generator::import::find_spec_for_document(into, &document)
            .map_err(|e| format!("searching {}: {e}", into.display()))?;
        Some(found.ok_or_else(|| {
            format!(
                "no spec under {} has `source.document: {document}`; import it without --update, with --operation and --service",
                into.display()
            )
        })?)
    } else {
        None
    };
    let existing = match &existing_path {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
        ),
        None => None,
    };
    // The service folder the spec is (or goes) in; its service.yaml has the shared schemas the
    // spec may refer to instead of the page's tables.
    let folder = match (&existing_path, &args.service) {
        (Some(path), _) => path.parent().unwrap_or(into).to_path_buf(),
        (None, Some(service)) => into.join(service),
        (None, None) => into.to_path_buf(),
    };
    let service_yaml = folder.join("service.yaml");
    let service_schemas = match std::fs::read_to_string(&service_yaml) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read {}: {e}", service_yaml.display())),
    };
    let options = generator::import::ImportOptions {
        service_schemas,
        ..options.clone()
    };
    let imported = generator::import::import_page(&text, &document, existing.as_deref(), &options)
        .map_err(|e| e.to_string())?;
    let target = match existing_path {
        Some(path) => path,
        None => {
            if args.service.is_none() && into.join("crate.yaml").exists() {
                return Err(format!(
                    "{} is the spec root (it has crate.yaml), where the generator reads no operation specs; name the service folder with --service",
                    into.display()
                ));
            }
            let target = folder.join(generator::import::spec_file_name(&imported.operation));
            if target.exists() {
                return Err(format!(
                    "{} exists; use --update to merge the page into it",
                    target.display()
                ));
            }
            std::fs::create_dir_all(&folder)
                .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
            target
        }
    };
    for warning in &imported.warnings {
        if warning.line == 0 {
            eprintln!("{}: warning: {}", page.display(), warning.message);
        } else {
            eprintln!(
                "{}:{}: warning: {}",
                page.display(),
                warning.line,
                warning.message
            );
        }
    }
    std::fs::write(&target, &imported.yaml)
        .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    Ok(target)
}

fn import_definitions(args: &ImportArgs, into: &Path) -> ExitCode {
    use generator::import::explorer::{self, FileOutcome};
    let options = explorer::Options {
        service: args.service.clone(),
        update: args.update,
    };
    let plan = explorer::discover(&args.explorer)
        .and_then(|inputs| explorer::plan(&inputs, into, &options));
    let plan = match plan {
        Ok(plan) => plan,
        Err(error) => {
            eprintln!("{error}");
            eprintln!("nothing was written");
            return ExitCode::FAILURE;
        }
    };
    for file in &plan.files {
        for warning in &file.warnings {
            eprintln!(
                "{}: {}: warning[{}]: {}",
                file.definition, warning.path, warning.kind, warning.message
            );
        }
        let said = match &file.outcome {
            FileOutcome::Created(path) => format!("wrote {}", path.display()),
            FileOutcome::Updated(path) => format!("updated {}", path.display()),
            FileOutcome::Unchanged(path) => format!("unchanged {}", path.display()),
            FileOutcome::Skipped { reason, detail } if detail.is_empty() => {
                format!("skipped: {reason}")
            }
            FileOutcome::Skipped { reason, detail } => format!("skipped: {reason} ({detail})"),
        };
        let count = file.warnings.len();
        if count == 0 {
            println!("{}: {said}", file.definition);
        } else {
            println!(
                "{}: {said} ({count} warning{})",
                file.definition,
                if count == 1 { "" } else { "s" }
            );
        }
    }
    if let Err(error) = explorer::write(&plan) {
        eprintln!("{error}");
        return ExitCode::FAILURE;
    }
    for path in &plan.new_services {
        println!("wrote {}", path.display());
    }
    if let Some(path) = &args.summary_json {
        if let Err(error) = std::fs::write(path, plan.summary_json()) {
            eprintln!("cannot write {}: {error}", path.display());
            return ExitCode::FAILURE;
        }
    }
    let skipped = plan.skipped();
    let kinds = plan.warning_kinds();
    println!();
    println!(
        "summary: {} definitions, {} operations imported ({} files written), {} skipped",
        plan.files.len(),
        plan.imported(),
        plan.writes.len(),
        skipped.values().sum::<usize>()
    );
    for (reason, n) in &skipped {
        println!("  skipped {n:>6}  {reason}");
    }
    println!("warnings: {}", kinds.values().sum::<usize>());
    let mut by_count: Vec<(&String, &usize)> = kinds.iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (kind, n) in by_count {
        println!("  {n:>8}  {kind}");
    }
    let ignored: usize = plan.ignored.values().sum();
    if ignored > 0 {
        let mut top: Vec<(&String, &usize)> = plan.ignored.iter().collect();
        top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let shown: Vec<String> = top
            .iter()
            .take(8)
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        println!(
            "vendor extensions left out (x-*, API Explorer metadata): {ignored} in {} keys ({}{})",
            plan.ignored.len(),
            shown.join(", "),
            if top.len() > 8 { ", ..." } else { "" }
        );
    }
    if plan.imported() > 0 {
        println!("next: `cargo run -p generator`, then review the spec and code diffs");
    }
    ExitCode::SUCCESS
}

/// Generation allocates many small values (tokens, syntax trees) on several threads; mimalloc
/// does that markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
