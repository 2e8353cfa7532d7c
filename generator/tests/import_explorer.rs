//! `generator import --explorer`: the vendored API Explorer definitions
//! (`tests/fixtures/explorer`, see its README) imported into specs, compared with the snapshots in
//! `tests/fixtures/explorer_expected`; determinism; warnings with JSON paths; each quirk of the
//! catalogue; `--update` over a spec transcribed from a reference page; hard errors.
//!
//! After a deliberate change: `UPDATE_EXPLORER_SNAPSHOTS=1 cargo test -p generator --test
//! import_explorer`, then review the snapshot diff.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use generator::import::explorer::{self, FileOutcome, Options, Plan};
use serde_yaml::Value;

mod support;
use support::{copy_tree, docs, workspace};

fn fixtures() -> PathBuf {
    workspace().join("generator/tests/fixtures/explorer")
}

fn expected() -> PathBuf {
    workspace().join("generator/tests/fixtures/explorer_expected")
}

fn plan_into(into: &Path, update: bool) -> Plan {
    let inputs = explorer::discover(&[fixtures()]).expect("the fixtures are found");
    explorer::plan(
        &inputs,
        into,
        &Options {
            service: None,
            update,
        },
    )
    .expect("the fixtures import")
}

/// The planned files by path relative to `into`.
fn written(plan: &Plan, into: &Path) -> BTreeMap<String, String> {
    plan.writes
        .iter()
        .map(|(path, text)| {
            let rel = path
                .strip_prefix(into)
                .expect("written under --into")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, text.clone())
        })
        .collect()
}

/// Every warning on one line: `definition: path: [kind] message`.
fn warning_lines(plan: &Plan) -> String {
    let mut out = String::new();
    for file in &plan.files {
        for w in &file.warnings {
            out.push_str(&format!(
                "{}: {}: [{}] {}\n",
                file.definition, w.path, w.kind, w.message
            ));
        }
    }
    out
}

fn files_under(dir: &Path, base: &Path, out: &mut BTreeMap<String, String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            files_under(&path, base, out);
        } else {
            let rel = path
                .strip_prefix(base)
                .expect("under base")
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, fs::read_to_string(&path).expect("reads"));
        }
    }
}

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).expect("the spec is YAML")
}

fn generator(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .output()
        .expect("runs the generator")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn the_fixtures_import_to_the_snapshots() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let plan = plan_into(temp.path(), false);
    let mut got = written(&plan, temp.path());
    got.insert("warnings.txt".into(), warning_lines(&plan));
    let dir = expected();
    if std::env::var_os("UPDATE_EXPLORER_SNAPSHOTS").is_some() {
        let _ = fs::remove_dir_all(&dir);
        for (rel, content) in &got {
            let path = dir.join(rel);
            fs::create_dir_all(path.parent().expect("a parent")).expect("creates");
            fs::write(path, content).expect("writes");
        }
    }
    let mut want = BTreeMap::new();
    files_under(&dir, &dir, &mut want);
    let got_names: Vec<&String> = got.keys().collect();
    let want_names: Vec<&String> = want.keys().collect();
    assert_eq!(
        got_names, want_names,
        "the imported files differ from the snapshots (UPDATE_EXPLORER_SNAPSHOTS=1 rewrites them)"
    );
    for (rel, content) in &got {
        assert_eq!(
            Some(content),
            want.get(rel),
            "{rel} differs from its snapshot (UPDATE_EXPLORER_SNAPSHOTS=1 rewrites it)"
        );
    }
}

#[test]
fn importing_twice_gives_byte_identical_specs() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let first = plan_into(temp.path(), false);
    let second = plan_into(temp.path(), false);
    assert_eq!(first.writes, second.writes);
    assert_eq!(warning_lines(&first), warning_lines(&second));

    // Written, then imported again: without --update every spec is kept (skipped), with
    // --update every spec is unchanged and nothing is written.
    explorer::write(&first).expect("writes");
    let again = plan_into(temp.path(), false);
    assert!(again.writes.is_empty(), "{:?}", again.writes);
    assert!(again.files.iter().all(|f| matches!(
        &f.outcome,
        FileOutcome::Skipped { reason, .. } if reason.contains("exists") || reason.contains("empty") || reason.contains("duplicate")
    )));
    let updated = plan_into(temp.path(), true);
    assert!(updated.writes.is_empty(), "{:?}", updated.writes);
    assert_eq!(
        updated
            .files
            .iter()
            .filter(|f| matches!(f.outcome, FileOutcome::Unchanged(_)))
            .count(),
        first.imported()
    );
}

#[test]
fn warnings_name_the_file_and_the_json_path() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let plan = plan_into(temp.path(), false);
    let lines = warning_lines(&plan);
    for expected in [
        // A header the client sets itself.
        "AAD/src/DeletePolicy.json: $.paths./v1/cnad/policies/{policy_id}.delete.parameters[1]: [header-dropped] header Content-Type is set by the client itself; left out",
        // A header parameter behind a `$ref`: the path is where it is defined.
        "DataArtsStudio/src/AddDesignEntityTags.json: $.parameters.tenantXIdParam: [header-dropped] header X-Project-Id is set by the client itself; left out",
        // A dangling response reference.
        "DataArtsStudio/src/AddDesignEntityTags.json: $.paths./v2/{project_id}/design/{entity_id}/tags.put.responses.400.$ref: [ref]",
        // Bounds that are not whole numbers.
        "eiHealth/src/CreatePocketDetectionJob.json: $.definitions.PocketDetectionParamDto.properties.probe_radius.minimum: [fractional-bound]",
        // The example that contradicts its schema.
        "KMS/src/ListKeyStores.json: $.paths./v1.0/{project_id}/keystores.get.responses.200.examples.application/json: [example-mismatch]",
        // Double encoding, on the empty definition.
        "AOS/src/DownloadTemplate.json: $: [double-encoded]",
        "COC/src/cancelPrrReview.json: $.name: [operation-name] operation name `cancelPrrReview` is not PascalCase; written as `CancelPrrReview`",
    ] {
        assert!(
            lines.contains(expected),
            "missing warning: {expected}\n{lines}"
        );
    }
    // Every warning of a definition names a JSON path.
    for file in &plan.files {
        for w in &file.warnings {
            assert!(w.path.starts_with('$'), "{}: {w}", file.definition);
            assert!(!w.kind.is_empty(), "{}: {w}", file.definition);
        }
    }
    // Skips are counted by reason.
    let skipped = plan.skipped();
    assert_eq!(skipped.get("empty definition ({})"), Some(&1));
    assert_eq!(
        skipped.get("duplicate operation name in the service"),
        Some(&1)
    );
}

/// The spec written for a definition, read as YAML.
fn spec_of(plan: &Plan, into: &Path, rel: &str) -> Value {
    let files = written(plan, into);
    yaml(
        files
            .get(rel)
            .unwrap_or_else(|| panic!("{rel} is written: {:?}", files.keys())),
    )
}

#[test]
fn each_quirk_of_the_catalogue_is_carried() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let into = temp.path();
    let plan = plan_into(into, false);

    // Service ids and endpoints.
    let kms = spec_of(&plan, into, "kms/service.yaml");
    assert_eq!(kms["service"], "kms");
    assert_eq!(kms["endpoint"], "kms.{region}.myhuaweicloud.com");
    assert_eq!(
        spec_of(&plan, into, "gaussdb-nosql/service.yaml")["endpoint"],
        "gaussdb-nosql.{region}.myhuaweicloud.com"
    );
    assert_eq!(
        spec_of(&plan, into, "csms/service.yaml")["endpoint"],
        "kms.{region}.myhuaweicloud.com"
    );
    assert_eq!(
        spec_of(&plan, into, "antiddos/service.yaml")["service"],
        "antiddos"
    );
    // A global host stays as it is.
    assert_eq!(
        spec_of(&plan, into, "aad/service.yaml")["endpoint"],
        "aad.myhuaweicloud.com"
    );
    // Two hosts in one service: the operations not on the endpoint name theirs.
    let coc = spec_of(&plan, into, "coc/service.yaml");
    let other = spec_of(&plan, into, "coc/cancel_diagnosis_task.yaml");
    assert_ne!(coc["endpoint"], other["host"]);
    assert_eq!(other["host"], "coc.myhuaweicloud.com");
    assert!(spec_of(&plan, into, "coc/download_one_attachment.yaml")
        .get("host")
        .is_none());

    // Name, title, description, source.
    let regions = spec_of(&plan, into, "kms/list_support_regions.yaml");
    assert_eq!(regions["operation"], "ListSupportRegions");
    assert_eq!(regions["description"], "查询跨区域密钥所支持的区域。");
    assert_eq!(
        regions["source"]["definition"],
        "KMS/src/ListSupportRegions.json"
    );
    assert_eq!(
        spec_of(&plan, into, "coc/cancel_prr_review.yaml")["operation"],
        "CancelPrrReview"
    );

    // project_id from the configuration, X-Auth-Token from the credentials.
    let params = regions["parameters"].as_sequence().expect("parameters");
    let by_name = |name: &str| {
        params
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("parameter {name}"))
    };
    assert_eq!(by_name("project_id")["source"], "config");
    assert_eq!(by_name("X-Auth-Token")["source"], "auth");
    assert_eq!(by_name("project_id")["schema"]["min_length"], 32);

    // Client headers are dropped.
    let delete_policy = spec_of(&plan, into, "aad/delete_policy.yaml");
    assert!(!delete_policy["parameters"]
        .as_sequence()
        .expect("parameters")
        .iter()
        .any(|p| p["name"] == "Content-Type"));

    // Request bodies: JSON with its example, multipart with a file part, form, XML text,
    // raw bytes.
    let create_key = spec_of(&plan, into, "kms/create_key.yaml");
    assert_eq!(create_key["body"]["schema"]["$ref"], "CreateKeyRequestBody");
    assert!(create_key["body"]["example"]
        .as_str()
        .expect("an example")
        .contains("\"key_alias\""));
    let freeze = spec_of(&plan, into, "bcs/freeze_cert.yaml");
    assert_eq!(freeze["body"]["encoding"], "multipart");
    assert_eq!(
        freeze["body"]["schema"]["properties"]["file"]["type"],
        "string"
    );
    assert_eq!(
        freeze["body"]["schema"]["properties"]["file"]["format"],
        "binary"
    );
    let token = spec_of(
        &plan,
        into,
        "iam/create_unscope_token_by_idp_initiated.yaml",
    );
    assert_eq!(token["body"]["encoding"], "form");
    let quota = spec_of(&plan, into, "obs/set_bucket_quota.yaml");
    assert_eq!(quota["body"]["encoding"], "text");
    assert_eq!(quota["body"]["content_type"], "application/xml");
    let put = spec_of(&plan, into, "obs/put_object.yaml");
    assert_eq!(put["body"]["encoding"], "binary");
    assert!(put["body"].get("schema").is_none());

    // Responses: default, several 2xx, headers, binary, error bodies by status.
    let group = spec_of(&plan, into, "ddm/list_group.yaml");
    assert!(group["responses"].get("default").is_some());
    let cache = spec_of(&plan, into, "cce/delete_image_cache.yaml");
    assert!(cache["responses"].get("202").is_some() && cache["responses"].get("204").is_some());
    let gateway = spec_of(&plan, into, "hcsvpc/delete_express_gateway.yaml");
    assert_eq!(
        gateway["responses"]["201"]["headers"]["X-request-id"]["schema"]["type"],
        "string"
    );
    let cert = spec_of(&plan, into, "bcs/download_blockchain_cert.yaml");
    assert_eq!(cert["responses"]["200"]["encoding"], "binary");
    let rule = spec_of(&plan, into, "aom/add_action_rule.yaml");
    assert_ne!(
        rule["responses"]["400"]["schema"]["$ref"],
        rule["responses"]["401"]["schema"]["$ref"]
    );

    // Schemas: oneOf, boolean enums, maps, allOf, per-property `required`, base path.
    let workflow = spec_of(
        &plan,
        into,
        "modelarts/create_workflow_step_executions_actions.yaml",
    );
    let text = serde_yaml::to_string(&workflow).expect("prints");
    assert!(text.contains("one_of:"), "{text}");
    let whitelist = spec_of(&plan, into, "dcs/show_ip_whitelist.yaml");
    let whitelist_text = serde_yaml::to_string(&whitelist).expect("prints");
    assert!(whitelist_text.contains("value: true"), "{whitelist_text}");
    let pool = spec_of(&plan, into, "mas/show_db_connection_pool.yaml");
    assert_eq!(
        pool["schemas"]["MonitorDbConnectionPool"]["properties"]["datasource"]["type"],
        "map"
    );
    let task = spec_of(&plan, into, "coc/cancel_diagnosis_task.yaml");
    let merged = &task["schemas"]["StringResponse"]["properties"];
    assert!(merged.get("error_code").is_some() && merged.get("id").is_some());
    let view = spec_of(&plan, into, "manageoneochcs/add_service_view.yaml");
    assert_eq!(view["schemas"]["ServiceView"]["required"][0], "service");
    let variable = spec_of(&plan, into, "apig/delete_environment_variable.yaml");
    assert!(variable["path"]
        .as_str()
        .expect("a path")
        .starts_with("/v1.0/apigw/"));

    // An example that contradicts its schema is kept, with a note.
    let stores = spec_of(&plan, into, "kms/list_key_stores.yaml");
    assert!(stores["responses"]["200"]["example"].is_string());
    assert!(stores["responses"]["200"]["example_note"]
        .as_str()
        .expect("a note")
        .contains("create_time"));
    // One that matches has none.
    assert!(regions["responses"]["200"].get("example_note").is_none());
}

/// The parameter of a spec named `name`.
fn parameter<'a>(spec: &'a Value, name: &str) -> Option<&'a Value> {
    spec["parameters"]
        .as_sequence()
        .expect("parameters")
        .iter()
        .find(|p| p["name"] == name)
}

/// The spec's notes, as one text.
fn notes(spec: &Value) -> String {
    spec["notes"]
        .as_sequence()
        .expect("notes")
        .iter()
        .filter_map(Value::as_str)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn parameter_shapes_the_spec_cannot_carry_are_made_to_fit_with_a_warning_and_a_note() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let into = temp.path();
    let plan = plan_into(into, false);
    let lines = warning_lines(&plan);

    // The authentication header typed as an array: a string, as the client sends it.
    let roles = spec_of(&plan, into, "lakeformation/list_role_names.yaml");
    let token = parameter(&roles, "X-Auth-Token").expect("the auth header stays");
    assert_eq!(token["source"], "auth");
    assert_eq!(token["schema"]["type"], "string");
    assert!(token["schema"].get("items").is_none());
    assert!(token["note"]
        .as_str()
        .expect("a note")
        .contains("an array of strings"));
    assert!(lines.contains("LakeFormation/src/ListRoleNames.json: $.paths./v1/{project_id}/instances/{instance_id}/roles/names.get.parameters[0]: [auth-parameter]"), "{lines}");

    // An array in the path (collectionFormat csv): one string, the items joined with `,`.
    let delete = spec_of(&plan, into, "manageoneochcs/delete_ci_instance.yaml");
    let ids = parameter(&delete, "path-id").expect("the path parameter stays");
    assert_eq!(ids["required"], true);
    assert_eq!(ids["schema"]["type"], "string");
    let note = ids["note"].as_str().expect("a note");
    assert!(
        note.contains("joined with `,`")
            && note.contains("collectionFormat csv")
            && note.contains("at most 1000 items"),
        "{note}"
    );
    assert!(lines.contains("ManageOneOCHCS/src/DeleteCIInstance.json: $.paths./rest/tenant-resource/v1/instances/batch/{class-name}/{path-id}.delete.parameters[2]: [parameter-shape]"), "{lines}");
    // The format is in the note, so it is not a warning of its own.
    assert!(!lines.contains("DeleteCIInstance.json: $.paths./rest/tenant-resource/v1/instances/batch/{class-name}/{path-id}.delete.parameters[2].collectionFormat"), "{lines}");

    // A map of arrays in the query (style deepObject): left out, the operation's notes say
    // what it was and how it is sent.
    let resources = spec_of(&plan, into, "rms/list_resources.yaml");
    assert!(parameter(&resources, "tag").is_none());
    assert!(parameter(&resources, "limit").is_some());
    let said = notes(&resources);
    assert!(
        said.contains("`tag` (标签) is left out")
            && said.contains("a map of arrays of strings")
            && said.contains("`tag[<key>]=<value>`"),
        "{said}"
    );
    assert!(
        lines.contains(
            "RMS/src/ListResources.json: $.components.parameters.TagMap: [parameter-dropped]"
        ),
        "{lines}"
    );

    // An array of objects in the query: left out, with its example; the schemas only it used
    // go with it, the others stay.
    let policies = spec_of(&plan, into, "cc/list_central_network_policies.yaml");
    assert!(parameter(&policies, "version").is_none());
    assert!(parameter(&policies, "state").is_some());
    let said = notes(&policies);
    assert!(
        said.contains("`version`")
            && said.contains("an array of Version objects")
            && said.contains("with the example [1]"),
        "{said}"
    );
    let schemas = &policies["schemas"];
    assert!(schemas.get("Version").is_none() && schemas.get("VersionDef").is_none());
    assert!(schemas.get("CentralNetworkPolicyStateEnum").is_some());
    assert!(lines.contains("CC/src/ListCentralNetworkPolicies.json: $.components.parameters.Versions: [parameter-dropped]"), "{lines}");
}

#[test]
fn a_form_body_with_object_fields_is_sent_as_json_with_a_warning_and_a_note() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let into = temp.path();
    let plan = plan_into(into, false);
    let rule = spec_of(&plan, into, "ucs/create_rule.yaml");
    // JSON: no `encoding` (the default), the schema and its JSON example kept.
    assert!(rule["body"].get("encoding").is_none(), "{:?}", rule["body"]);
    assert_eq!(rule["body"]["schema"]["$ref"], "CreateRuleRequestBody");
    assert!(rule["body"]["example"]
        .as_str()
        .expect("an example")
        .contains("\"metadata\""));
    let said = notes(&rule);
    assert!(
        said.contains("application/x-www-form-urlencoded")
            && said.contains("`metadata` (a CreateRuleObjectMeta object)")
            && said.contains("sent as JSON"),
        "{said}"
    );
    let lines = warning_lines(&plan);
    assert!(
        lines.contains(
            "UCS/src/CreateRule.json: $.paths./v1/permissions/rules.post.consumes: [body-encoding]"
        ),
        "{lines}"
    );
    // A form body whose fields a form can carry stays a form.
    let token = spec_of(
        &plan,
        into,
        "iam/create_unscope_token_by_idp_initiated.yaml",
    );
    assert_eq!(token["body"]["encoding"], "form");
}

#[test]
fn the_generator_refuses_no_imported_fixture_but_for_a_missing_success_status() {
    // What the importer writes must be what the generator takes; the only refusal left is a
    // definition documenting no 2xx status (AOS's GetStackTemplate: 307 only), which is real.
    let temp = tempfile::tempdir().expect("a temporary directory");
    let into = temp.path();
    let plan = plan_into(into, false);
    explorer::write(&plan).expect("writes");
    fs::copy(workspace().join("spec/crate.yaml"), into.join("crate.yaml"))
        .expect("copies crate.yaml");
    let refusals: Vec<String> = match generator::spec::load::load(into) {
        Err(diagnostics) => diagnostics.0.iter().map(|d| d.to_string()).collect(),
        Ok(specs) => match generator::validate::check(&specs) {
            Err(diagnostics) => diagnostics.0.iter().map(|d| d.to_string()).collect(),
            Ok(_) => Vec::new(),
        },
    };
    let unexpected: Vec<&String> = refusals
        .iter()
        .filter(|r| !r.contains("no success (2xx) response is documented"))
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:#?}");
}

#[test]
fn summary_json_has_the_summary_the_catalogue_bench_reads() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let into = temp.path().join("spec");
    let summary = temp.path().join("out/summary.json");
    fs::create_dir_all(summary.parent().expect("a parent")).expect("creates");
    let output = generator(&[
        "import".as_ref(),
        "--explorer".as_ref(),
        fixtures().as_os_str(),
        "--into".as_ref(),
        into.as_os_str(),
        "--summary-json".as_ref(),
        summary.as_os_str(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    let written = fs::read_to_string(&summary).expect("the summary is written");
    let json: serde_json::Value = serde_json::from_str(&written).expect("the summary is JSON");
    let keys: Vec<&str> = json
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "imported",
            "skipped",
            "skipped_total",
            "vendor_extensions",
            "warnings",
            "warnings_total"
        ]
    );

    // The same numbers as the plan (written into a fresh folder, as the CLI did).
    let plan = plan_into(&temp.path().join("fresh"), false);
    assert_eq!(written, plan.summary_json());
    assert_eq!(json["imported"], plan.imported());
    assert_eq!(json["imported"], 47);
    assert_eq!(json["skipped_total"], 2);
    assert_eq!(json["skipped"]["empty definition ({})"], 1);
    assert_eq!(
        json["skipped"]["duplicate operation name in the service"],
        1
    );
    let kinds = plan.warning_kinds();
    assert_eq!(json["warnings_total"], kinds.values().sum::<usize>());
    for (kind, n) in &kinds {
        assert_eq!(json["warnings"][kind], *n, "{kind}");
    }
    assert_eq!(json["warnings"]["auth-parameter"], 1);
    assert_eq!(
        json["vendor_extensions"],
        plan.ignored.values().sum::<usize>()
    );
    assert!(json["vendor_extensions"].as_u64().expect("a count") > 0);
    // The stdout summary says the same.
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!("{} operations imported", plan.imported())),
        "{stdout}"
    );

    // Refused without --explorer; nothing is written by a failed import.
    let output = generator(&[
        "import".as_ref(),
        docs().join("004_2352aa31689b6419.txt").as_os_str(),
        "--summary-json".as_ref(),
        summary.as_os_str(),
    ]);
    assert!(!output.status.success(), "{}", text(&output));
    let missing = temp.path().join("missing-summary.json");
    let output = generator(&[
        "import".as_ref(),
        "--explorer".as_ref(),
        temp.path().join("no-such-folder").as_os_str(),
        "--into".as_ref(),
        into.as_os_str(),
        "--summary-json".as_ref(),
        missing.as_os_str(),
    ]);
    assert!(!output.status.success(), "{}", text(&output));
    assert!(!missing.exists());
}

#[test]
fn update_over_a_page_spec_keeps_the_page_and_notes_the_disagreements() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let spec = temp.path().join("spec");
    copy_tree(&workspace().join("spec"), &spec);
    let definition = fixtures().join("KMS/src/ListSupportRegions.json");
    let committed =
        fs::read_to_string(workspace().join("spec/kms/list_support_regions.yaml")).expect("reads");

    // Without --update the page's spec is left alone.
    let output = generator(&[
        "import".as_ref(),
        "--explorer".as_ref(),
        definition.as_os_str(),
        "--into".as_ref(),
        spec.as_os_str(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("a spec exists"), "{}", text(&output));
    let target = spec.join("kms/list_support_regions.yaml");
    assert_eq!(fs::read_to_string(&target).expect("reads"), committed);

    let update = || {
        generator(&[
            "import".as_ref(),
            "--explorer".as_ref(),
            definition.as_os_str(),
            "--into".as_ref(),
            spec.as_os_str(),
            "--update".as_ref(),
        ])
    };
    let output = update();
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("warning[page-disagrees]"),
        "{}",
        text(&output)
    );
    let updated = fs::read_to_string(&target).expect("reads");
    let (before, after) = (yaml(&committed), yaml(&updated));
    // The page's values stay.
    for key in [
        "operation",
        "title",
        "description",
        "parameters",
        "responses",
        "method",
        "path",
    ] {
        assert_eq!(before[key], after[key], "{key} changed");
    }
    assert_eq!(
        after["responses"]["400"]["schema"]["$ref"],
        "KmsErrorResponse"
    );
    assert_eq!(
        after["source"]["definition"],
        "KMS/src/ListSupportRegions.json"
    );
    assert_eq!(after["source"]["document"], before["source"]["document"]);
    let notes: Vec<&str> = after["notes"]
        .as_sequence()
        .expect("notes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let added: Vec<&&str> = notes
        .iter()
        .filter(|n| n.starts_with("API Explorer (KMS/src/ListSupportRegions.json): "))
        .collect();
    assert_eq!(added.len(), 1, "{notes:?}");
    assert!(
        added[0]
            .contains("`error` is object (KmsErrorDetail) on the page, array in the definition")
            && added[0].contains("400")
            && added[0].ends_with("the page is followed."),
        "{added:?}"
    );
    // The page's own notes are all still there, first.
    let old_notes = before["notes"].as_sequence().expect("notes");
    assert_eq!(
        &after["notes"].as_sequence().expect("notes")[..old_notes.len()],
        &old_notes[..]
    );

    // Again: byte for byte the same.
    let output = update();
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("unchanged"), "{}", text(&output));
    assert_eq!(fs::read_to_string(&target).expect("reads"), updated);

    // Re-importing the page keeps what the definition added, byte for byte.
    let page = docs().join("003_932dc06b7ac26d05.txt");
    let output = generator(&[
        "import".as_ref(),
        "--update".as_ref(),
        "--into".as_ref(),
        spec.as_os_str(),
        page.as_os_str(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(fs::read_to_string(&target).expect("reads"), updated);

    // And the generator takes the spec.
    generator::generate(&spec, &support::layout()).expect("the updated specs generate");
}

#[test]
fn a_hard_error_writes_nothing() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let catalogue = temp.path().join("schemas");
    let good = catalogue.join("KMS/src");
    fs::create_dir_all(&good).expect("creates");
    fs::copy(
        fixtures().join("KMS/src/CreateKey.json"),
        good.join("CreateKey.json"),
    )
    .expect("copies");
    fs::write(good.join("Broken.json"), "{\"name\": \"Broken\", ").expect("writes");
    let into = temp.path().join("out");
    let output = generator(&[
        "import".as_ref(),
        "--explorer".as_ref(),
        temp.path().as_os_str(),
        "--into".as_ref(),
        into.as_os_str(),
    ]);
    assert!(!output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("Broken.json"), "{}", text(&output));
    assert!(text(&output).contains("invalid JSON"), "{}", text(&output));
    assert!(!into.exists(), "nothing is written");

    // A path that does not exist.
    let output = generator(&[
        "import".as_ref(),
        "--explorer".as_ref(),
        temp.path().join("missing").as_os_str(),
        "--into".as_ref(),
        into.as_os_str(),
    ]);
    assert!(!output.status.success(), "{}", text(&output));
    assert!(!into.exists(), "nothing is written");
}

#[test]
fn the_cli_reports_each_file_and_a_summary() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let into = temp.path().join("spec");
    let output = generator(&[
        "import".as_ref(),
        "--explorer".as_ref(),
        fixtures().as_os_str(),
        "--into".as_ref(),
        into.as_os_str(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("KMS/src/ListSupportRegions.json: wrote "),
        "{stdout}"
    );
    assert!(
        stdout.contains("AOS/src/DownloadTemplate.json: skipped: empty definition ({})"),
        "{stdout}"
    );
    assert!(
        stdout.contains("summary: 49 definitions, 47 operations imported"),
        "{stdout}"
    );
    assert!(
        stdout.contains("skipped      1  empty definition ({})"),
        "{stdout}"
    );
    assert!(stdout.contains("header-dropped"), "{stdout}");
    assert!(into.join("kms/list_support_regions.yaml").is_file());
    assert!(into.join("kms/service.yaml").is_file());

    // --service for definitions of one folder; refused for several.
    let one = fixtures().join("KMS");
    let renamed = temp.path().join("renamed");
    let output = generator(&[
        "import".as_ref(),
        "--explorer".as_ref(),
        one.as_os_str(),
        "--into".as_ref(),
        renamed.as_os_str(),
        "--service".as_ref(),
        "key-management".as_ref(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(renamed.join("key-management/service.yaml").is_file());
    let output = generator(&[
        "import".as_ref(),
        "--explorer".as_ref(),
        fixtures().as_os_str(),
        "--into".as_ref(),
        renamed.as_os_str(),
        "--service".as_ref(),
        "key-management".as_ref(),
    ]);
    assert!(!output.status.success(), "{}", text(&output));
}

#[test]
fn update_of_an_imported_spec_keeps_what_a_definition_cannot_say() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let into = temp.path();
    let kms = fixtures().join("KMS");
    let import = |update: bool| {
        let inputs = explorer::discover(std::slice::from_ref(&kms)).expect("found");
        explorer::plan(
            &inputs,
            into,
            &Options {
                service: None,
                update,
            },
        )
        .expect("imports")
    };
    explorer::write(&import(false)).expect("writes");
    let path = into.join("kms/create_key.yaml");
    let edited = fs::read_to_string(&path)
        .expect("reads")
        .replace(
            "path: /v1.0/{project_id}/kms/create-key\n",
            "path: /v1.0/{project_id}/kms/create-key\nretry_safe: true\n",
        )
        .replace(
            "          - value: AES_256\n",
            "          - value: AES_256\n            name: Aes256\n",
        )
        .replace("notes: []", "notes:\n  - A remark written by hand.");
    assert!(edited.contains("name: Aes256") && edited.contains("retry_safe: true"));
    fs::write(&path, &edited).expect("writes");
    let plan = import(true);
    assert!(plan.writes.is_empty(), "{:?}", plan.writes);
    assert_eq!(fs::read_to_string(&path).expect("reads"), edited);
}

#[test]
fn a_request_example_lacking_a_required_property_is_noted_and_the_generator_accepts_the_spec() {
    // The generated request model holds a required field as a plain value: an example without
    // it (or with it null) cannot be decoded, so the generator counts it as a contradiction.
    let definition = r##"{"base_path":"/","consumes":"[\"application/json\"]","host":"demo.{region}.myhuaweicloud.com","method":"post","name":"CreateThing","product_short":"Demo",
      "definitions":{"CreateThingRequestBody":{"type":"object","required":["name","size"],"properties":{"name":{"type":"string"},"size":{"type":"integer","format":"int32"},"tag":{"type":"string"}}}},
      "paths":{"/v1/things":{"post":{"operationId":"CreateThing","parameters":[{"in":"body","name":"body","required":true,"schema":{"$ref":"#/definitions/CreateThingRequestBody"}}],
        "responses":{"204":{"description":"ok"}},"x-request-examples-1":{"name":"a","size":null,"tag":"t"}}}}}"##;
    let temp = tempfile::tempdir().expect("a temporary directory");
    let source = temp.path().join("schemas/Demo/src");
    fs::create_dir_all(&source).expect("creates the source folder");
    fs::write(source.join("CreateThing.json"), definition).expect("writes the definition");
    let into = temp.path().join("spec");
    let inputs = explorer::discover(&[temp.path().join("schemas")]).expect("found");
    let plan = explorer::plan(
        &inputs,
        &into,
        &Options {
            service: None,
            update: false,
        },
    )
    .expect("imports");
    let spec = spec_of(&plan, &into, "demo/create_thing.yaml");
    let note = spec["body"]["example_note"].as_str().unwrap_or_default();
    assert!(
        note.contains("$.size is null, but a required request field needs a value"),
        "{spec:#?}"
    );
    let lines = warning_lines(&plan);
    assert!(lines.contains("[example-mismatch]"), "{lines}");

    explorer::write(&plan).expect("writes");
    fs::copy(workspace().join("spec/crate.yaml"), into.join("crate.yaml")).expect("copies");
    let specs = generator::spec::load::load(&into).expect("loads");
    generator::validate::check(&specs).expect("the generator accepts the noted example");
}
