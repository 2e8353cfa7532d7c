//! The Rust usage example of an operation: its call with a placeholder for each required
//! argument, written as a `no_run` doctest so that `cargo test` compiles every one of them.

use crate::ir::{BodyKind, Operation, PartKind, Service, Success, TypeDef, TypeKind, TypeRef};

/// How deep placeholder values nest before the rest is the type's placeholder value.
const MAX_DEPTH: usize = 4;

/// The example as Markdown: a sentence and a `no_run` code block. `krate` is the service
/// crate's Rust name (`hwcloud_kms`); the code names it by the service's module (`kms`), as
/// users of the facade (`hwcloud::kms`) do.
pub fn call_example(service: &Service, op: &Operation, krate: &str) -> Vec<String> {
    let alias = &service.module;
    let values = Values { service, op, alias };
    let mut args = Vec::new();
    for param in op.params.iter().filter(|p| p.required) {
        args.push(values.of(&param.ty, &param.wire_name, 0));
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        args.push(match &body.kind {
            BodyKind::Json(ty) | BodyKind::Form(ty) => values.of(ty, "body", 0),
            BodyKind::Binary => "b\"...\".to_vec()".to_owned(),
            BodyKind::Text => "\"...\"".to_owned(),
            BodyKind::Multipart(multipart) => {
                let parts: Vec<String> = multipart
                    .parts
                    .iter()
                    .filter(|p| p.required)
                    .map(|part| match &part.kind {
                        PartKind::File => file_part(),
                        PartKind::Files => format!("vec![{}]", file_part()),
                        PartKind::Value(ty) => values.of(ty, &part.wire_name, 1),
                    })
                    .collect();
                format!(
                    "{alias}::{}::{}::new({})",
                    op.module,
                    multipart.type_name,
                    parts.join(", ")
                )
            }
        });
    }
    // A method named like a keyword keeps its `r#` in code.
    let method = &op.method_fn;
    let call = if args.iter().map(String::len).sum::<usize>() > 60 {
        format!(
            "({}\n    )",
            args.iter()
                .map(|a| format!("\n        {a},"))
                .collect::<String>()
        )
    } else {
        format!("({})", args.join(", "))
    };
    let show = match op.success {
        Success::Stream => "println!(\"request id: {:?}\", output.request_id);",
        _ => "println!(\"{:?}\", output.body);",
    };
    vec![
        format!(
            "With `client` the service's handle (`hwcloud::Client::{}`):",
            service.module
        ),
        format!(
            "```no_run\n\
             # use {krate} as {alias};\n\
             # async fn example(client: {alias}::{client}) -> Result<(), {alias}::{module}::{error}> {{\n\
             let output = client\n    .{method}{call}\n    .send()\n    .await?;\n\
             {show}\n\
             # Ok(())\n\
             # }}\n\
             ```",
            client = service.client_type,
            module = op.module,
            error = op.error_type,
        ),
    ]
}

fn file_part() -> String {
    "hwcloud_runtime::FilePart::new(\"file.bin\", b\"...\".to_vec())".to_owned()
}

struct Values<'a> {
    service: &'a Service,
    op: &'a Operation,
    alias: &'a str,
}

impl Values<'_> {
    /// A value of `ty` as a required argument takes it: strings as `&str`, a boxed value
    /// unboxed. `name` is the wire name, shown in a string placeholder.
    fn of(&self, ty: &TypeRef, name: &str, depth: usize) -> String {
        match ty {
            TypeRef::String => format!("{:?}", format!("<{name}>")),
            TypeRef::I32 | TypeRef::I64 => "0".to_owned(),
            TypeRef::F32 | TypeRef::F64 => "0.0".to_owned(),
            TypeRef::Bool => "false".to_owned(),
            TypeRef::Json | TypeRef::Map(_) => "Default::default()".to_owned(),
            TypeRef::Vec(_) => "vec![]".to_owned(),
            TypeRef::Boxed(inner) => self.of(inner, name, depth),
            // A type the operation shares with others lives in `models`, re-exported here.
            TypeRef::Local(type_name) => self.named(
                &format!("{}::{}::{type_name}", self.alias, self.op.module),
                self.op.type_def(ty, &self.service.shared_types),
                depth,
            ),
            TypeRef::Shared(type_name) => self.named(
                &format!("{}::models::{type_name}", self.alias),
                self.op.type_def(ty, &self.service.shared_types),
                depth,
            ),
        }
    }

    fn named(&self, path: &str, def: Option<&TypeDef>, depth: usize) -> String {
        let placeholder =
            || format!("<{path} as hwcloud_runtime::codegen::Placeholder>::placeholder()");
        let Some(def) = def.filter(|_| depth < MAX_DEPTH) else {
            return placeholder();
        };
        match &def.kind {
            TypeKind::Struct(fields) => {
                let args: Vec<String> = fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| self.of(&f.ty, &f.wire_name, depth + 1))
                    .collect();
                format!("{path}::new({})", args.join(", "))
            }
            TypeKind::StringEnum(variants)
            | TypeKind::IntEnum { variants, .. }
            | TypeKind::NumberEnum(variants) => match variants.first() {
                Some(variant) => format!("{path}::{}", variant.name),
                None => placeholder(),
            },
            TypeKind::Alias(target) => self.of(target, &def.name, depth + 1),
            TypeKind::OneOf(_) => placeholder(),
        }
    }
}
