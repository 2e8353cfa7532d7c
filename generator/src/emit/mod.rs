//! The resolved model to files: Rust through quote and prettyplease, the rest through
//! minijinja templates. Output is a sorted map of relative path to content, so the same model
//! always gives the same bytes.

mod docs;
mod example;
mod literals;
mod operation;
mod service;
mod types;

use std::collections::BTreeMap;

use minijinja::Environment;
use proc_macro2::TokenStream;
use serde_json::json;

use crate::ir::{CrateModel, Operation, Service};

/// A generator bug: the emitted tokens did not parse or a template failed.
#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    #[error("internal error: the code emitted for {file} does not parse: {error}")]
    Unparsable { file: String, error: syn::Error },
    #[error("internal error: template {template}: {error}")]
    Template {
        template: &'static str,
        error: minijinja::Error,
    },
    #[error("internal error: a doc comment of {file} was not written in place")]
    LostDocs { file: String },
    #[error("cannot write {file}: {error}")]
    Write { file: String, error: std::io::Error },
}

/// The generated crates: relative path (with `/`) to file content.
pub type Files = BTreeMap<String, String>;

/// Where the output sits relative to the runtime crate, and whether it is its own workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The runtime crate's directory relative to the output directory, with `/` separators
    /// (`../runtime`). Written into the generated `Cargo.toml` files, so output never holds
    /// a machine path.
    pub runtime: String,
    /// Adds a `[workspace]` to the facade's `Cargo.toml` (members `services/*`), so the
    /// output builds on its own with one target directory and lock file. Without it the
    /// output is meant to be a member of an enclosing workspace.
    pub standalone: bool,
}

/// One file to emit.
enum Job<'a> {
    FacadeLib,
    FacadeManifest,
    Readme,
    ServiceLib(&'a Service),
    ServiceManifest(&'a Service),
    Models(&'a Service),
    Operation(&'a Service, &'a Operation),
}

/// The facade crate (`Cargo.toml`, `README.md`, `src/lib.rs`) and one crate per service
/// under `services/<service id>/`, as a map (see [`emit_each`] to write them as they come).
pub fn emit(model: &CrateModel, layout: &Layout) -> Result<Files, EmitError> {
    let files = std::sync::Mutex::new(Files::new());
    emit_each(model, layout, |path, content| {
        files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(path.to_owned(), content);
        Ok(())
    })?;
    Ok(files
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner))
}

/// Emits every file and hands each to `sink` (relative path with `/`, content) on the thread
/// that emitted it, so that no more than a file per core is held at once. Files are emitted in
/// parallel; each depends only on the model, so each file's content is the same on any number
/// of cores. Returns how many files there were; the first error stops nothing already
/// running but is returned (the caller discards what the sink got).
pub fn emit_each<S>(model: &CrateModel, layout: &Layout, sink: S) -> Result<usize, EmitError>
where
    S: Fn(&str, String) -> std::io::Result<()> + Sync,
{
    let mut jobs = vec![Job::FacadeLib, Job::FacadeManifest, Job::Readme];
    for service in &model.services {
        jobs.push(Job::ServiceLib(service));
        jobs.push(Job::ServiceManifest(service));
        if !service.shared_types.is_empty() {
            jobs.push(Job::Models(service));
        }
        jobs.extend(
            service
                .operations
                .iter()
                .map(|op| Job::Operation(service, op)),
        );
    }
    let results = crate::parallel::map(&jobs, |job| {
        let (path, content) = emit_one(model, layout, job)?;
        sink(&path, content).map_err(|error| EmitError::Write { file: path, error })
    });
    let count = results.len();
    results.into_iter().collect::<Result<(), EmitError>>()?;
    Ok(count)
}

fn emit_one(
    model: &CrateModel,
    layout: &Layout,
    job: &Job<'_>,
) -> Result<(String, String), EmitError> {
    docs::start_file();
    literals::start_file();
    let (path, content) = match job {
        Job::FacadeLib => {
            let path = "src/lib.rs".to_owned();
            let content = rust_file(&path, "spec/", service::lib_rs(model))?;
            (path, content)
        }
        Job::FacadeManifest => (
            "Cargo.toml".to_owned(),
            render("Cargo.toml", &template_context(model, layout))?,
        ),
        Job::Readme => (
            "README.md".to_owned(),
            render("README.md", &template_context(model, layout))?,
        ),
        Job::ServiceLib(service) => {
            let path = format!("services/{}/src/lib.rs", service.id);
            let origin = format!("spec/{}", service.spec_file);
            let content = rust_file(&path, &origin, service::service_lib_rs(service))?;
            (path, content)
        }
        Job::ServiceManifest(service) => (
            format!("services/{}/Cargo.toml", service.id),
            render(
                "service/Cargo.toml",
                &service_context(model, service, layout),
            )?,
        ),
        Job::Models(service) => {
            let path = format!("services/{}/src/models.rs", service.id);
            let origin = format!("spec/{}", service.spec_file);
            let content = rust_file(&path, &origin, service::models_rs(service))?;
            (path, content)
        }
        Job::Operation(service, op) => {
            let path = format!("services/{}/src/{}.rs", service.id, op.module);
            let origin = format!("spec/{}", op.spec_file);
            let krate = service_crate_name(model, service).replace('-', "_");
            let content = rust_file(
                &path,
                &origin,
                operation::operation_module(service, op, &krate),
            )?;
            (path, content)
        }
    };
    Ok((path, content))
}

/// The package name of a service's crate: `hwcloud-kms`.
pub fn service_crate_name(model: &CrateModel, service: &Service) -> String {
    format!("{}-{}", model.name, service.id)
}

/// A string as a TOML basic string (JSON's escapes are TOML's).
fn toml_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

fn service_context(model: &CrateModel, service: &Service, layout: &Layout) -> serde_json::Value {
    json!({
        "name": service_crate_name(model, service),
        "version": model.version,
        "description_toml": toml_string(&format!(
            "{} operations (service {}) of {}",
            service.title, service.id, model.name
        )),
        "runtime_toml": toml_string(&format!("../../{}", layout.runtime)),
        "spec_file": service.spec_file,
    })
}

/// A Rust file to format: its inner docs (Markdown paragraphs), its other inner attributes,
/// and its items.
pub type RustFile = (Vec<String>, &'static [&'static str], TokenStream);

/// A formatted Rust file: the `@generated` line, the inner docs and attributes written
/// directly, then the items formatted by prettyplease.
fn rust_file(
    path: &str,
    origin: &str,
    (doc, attrs, tokens): RustFile,
) -> Result<String, EmitError> {
    let file: syn::File = syn::parse2(tokens).map_err(|error| EmitError::Unparsable {
        file: path.to_owned(),
        error,
    })?;
    let mut text = format!(
        "// @generated by `cargo run -p generator` from {origin}. Do not edit: change the spec and regenerate.\n\n"
    );
    text.push_str(&docs::inner_text(doc));
    for attr in attrs {
        text.push_str(attr);
        text.push('\n');
    }
    // The layout is prettyplease's, the same on every machine; rustfmt would reflow it
    // differently per version, so `cargo fmt` leaves generated files alone.
    text.push_str("#![cfg_attr(rustfmt, rustfmt::skip)]\n");
    // Items are formatted one at a time so that a blank line separates them, as rustfmt would.
    for item in file.items {
        text.push('\n');
        text.push_str(&literals::fill(&docs::fill(&prettyplease::unparse(
            &syn::File {
                shebang: None,
                attrs: Vec::new(),
                items: vec![item],
            },
        ))));
    }
    if !docs::all_filled() || !literals::all_filled() {
        return Err(EmitError::LostDocs {
            file: path.to_owned(),
        });
    }
    Ok(text)
}

fn template_context(model: &CrateModel, layout: &Layout) -> serde_json::Value {
    let services: Vec<serde_json::Value> = model
        .services
        .iter()
        .map(|service| {
            let operations: Vec<serde_json::Value> = service
                .operations
                .iter()
                .map(|op| {
                    json!({
                        "name": op.name,
                        "method": op.http_method.as_str(),
                        "path": op.path,
                        "method_fn": crate::names::bare(&op.method_fn),
                        "args": op
                            .params
                            .iter()
                            .filter(|p| p.required)
                            .map(|p| crate::names::bare(&p.rust_name).to_owned())
                            .chain(op.body.iter().filter(|b| b.required).map(|_| "body".to_owned()))
                            .collect::<Vec<_>>()
                            .join(", "),
                        "spec_file": op.spec_file,
                        "title": op.title,
                    })
                })
                .collect();
            json!({
                "id": service.id,
                "crate": service_crate_name(model, service),
                "module": service.module,
                "title": service.title,
                "operations": operations,
            })
        })
        .collect();
    json!({
        "name": model.name,
        "version": model.version,
        "description": model.description,
        "description_toml": toml_string(&model.description),
        "runtime_toml": toml_string(&layout.runtime),
        "standalone": layout.standalone,
        "services": services,
    })
}

fn render(template: &'static str, context: &serde_json::Value) -> Result<String, EmitError> {
    let source = match template {
        "Cargo.toml" => include_str!("../../templates/Cargo.toml.j2"),
        "service/Cargo.toml" => include_str!("../../templates/service/Cargo.toml.j2"),
        _ => include_str!("../../templates/README.md.j2"),
    };
    let mut env = Environment::new();
    env.set_keep_trailing_newline(true);
    let fail = |error| EmitError::Template { template, error };
    env.add_template(template, source).map_err(fail)?;
    let rendered = env
        .get_template(template)
        .and_then(|t| t.render(context))
        .map_err(fail)?;
    Ok(rendered)
}
