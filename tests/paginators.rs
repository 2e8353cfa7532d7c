//! Paginators against a local server: several pages, an empty last page, a short last page,
//! an error on page 3; offset, page and marker styles.

use futures_util::{StreamExt, TryStreamExt};
use hwcloud::{Client, Config, Credentials};
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";

fn client(server: &MockServer) -> Client {
    let config = Config::builder()
        .region("cn-north-4")
        .project_id(PROJECT)
        .credentials(Credentials::aksk("AK", "SK"))
        .endpoint_override(server.uri())
        .build()
        .expect("a valid config");
    Client::new(config).expect("a client")
}

fn regions(items: &[&str]) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "regions": items }))
}

async fn mount_regions(server: &MockServer, offset: Option<&str>, response: ResponseTemplate) {
    let route = Mock::given(method("GET")).and(path(format!("/v2/{PROJECT}/kms/regions")));
    let route = match offset {
        None => route.and(query_param_is_missing("offset")),
        Some(offset) => route.and(query_param("offset", offset)),
    };
    route.respond_with(response).expect(1).mount(server).await;
}

#[tokio::test]
async fn offset_pages_run_until_an_empty_page() {
    let server = MockServer::start().await;
    mount_regions(&server, None, regions(&["a", "b"])).await;
    mount_regions(&server, Some("2"), regions(&["c", "d"])).await;
    mount_regions(&server, Some("4"), regions(&["e"])).await;
    mount_regions(&server, Some("5"), regions(&[])).await;

    let items: Vec<String> = client(&server)
        .kms()
        .list_support_regions()
        .into_paginator()
        .items()
        .try_collect()
        .await
        .expect("every page succeeds");
    // Without a page size a short page is not the last: the empty one is.
    assert_eq!(items, ["a", "b", "c", "d", "e"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}

#[tokio::test]
async fn a_short_page_is_the_last_when_a_page_size_was_asked_for() {
    let server = MockServer::start().await;
    mount_regions(&server, None, regions(&["a", "b"])).await;
    mount_regions(&server, Some("2"), regions(&["c", "d"])).await;
    mount_regions(&server, Some("4"), regions(&["e"])).await;

    let pages: Vec<_> = client(&server)
        .kms()
        .list_support_regions()
        .limit(2)
        .into_paginator()
        .collect()
        .await;
    let sizes: Vec<usize> = pages
        .iter()
        .map(|page| page.as_ref().unwrap().body.regions.as_ref().unwrap().len())
        .collect();
    assert_eq!(sizes, [2, 2, 1]);
    let requests = server.received_requests().await.unwrap();
    assert!(requests
        .iter()
        .all(|r| r.url.query().unwrap_or_default().contains("limit=2")));
}

#[tokio::test]
async fn an_error_on_page_three_is_yielded_once_and_ends_the_stream() {
    let server = MockServer::start().await;
    mount_regions(&server, None, regions(&["a", "b"])).await;
    mount_regions(&server, Some("2"), regions(&["c", "d"])).await;
    mount_regions(
        &server,
        Some("4"),
        ResponseTemplate::new(400).set_body_json(json!({
            "error": { "error_code": "KMS.0101", "error_msg": "bad offset" }
        })),
    )
    .await;

    let results: Vec<_> = client(&server)
        .kms()
        .list_support_regions()
        .into_paginator()
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 5, "four items, then the error, then the end");
    let items: Vec<&String> = results[..4].iter().map(|r| r.as_ref().unwrap()).collect();
    assert_eq!(items, ["a", "b", "c", "d"]);
    let error = results[4].as_ref().expect_err("page 3 failed");
    let service = error.as_service().expect("a service error");
    assert_eq!(service.status, 400);
    let detail = service
        .typed
        .as_ref()
        .and_then(|t| t.error.as_ref())
        .unwrap();
    assert_eq!(detail.error_code.as_deref(), Some("KMS.0101"));
}

#[tokio::test]
async fn page_numbers_count_from_the_page_asked_for() {
    let server = MockServer::start().await;
    let route = format!("/v3/{PROJECT}/instances/i-1/db_user/database");
    for (page, names) in [
        ("1", vec!["db1", "db2"]),
        ("2", vec!["db3", "db4"]),
        ("3", vec![]),
    ] {
        let databases: Vec<_> = names
            .iter()
            .map(|name| json!({ "name": name, "readonly": false }))
            .collect();
        Mock::given(method("GET"))
            .and(path(route.as_str()))
            .and(query_param("page", page))
            .and(query_param("limit", "2"))
            .and(query_param("user-name", "root"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({ "databases": databases, "total_count": 4 })),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let names: Vec<String> = client(&server)
        .rds()
        .list_authorized_databases("i-1", "root", 1, 2)
        .into_paginator()
        .items()
        .map_ok(|database| database.name.unwrap_or_default())
        .try_collect()
        .await
        .expect("every page succeeds");
    assert_eq!(names, ["db1", "db2", "db3", "db4"]);
}

#[tokio::test]
async fn markers_follow_the_next_marker_until_it_is_empty() {
    let server = MockServer::start().await;
    let route = "/v1/resource-manager/domains/0123456789abcdef0123456789abcdef/all-resources/cn-north-4/dbss";
    let page = |ids: &[&str], next: &str| {
        let resources: Vec<_> = ids.iter().map(|id| json!({ "id": id })).collect();
        ResponseTemplate::new(200).set_body_json(json!({
            "resources": resources,
            "page_info": { "current_count": ids.len(), "next_marker": next }
        }))
    };
    Mock::given(method("GET"))
        .and(path(route))
        .and(query_param_is_missing("marker"))
        .respond_with(page(&["r1", "r2"], "m2"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(route))
        .and(query_param("marker", "m2"))
        .respond_with(page(&["r3"], ""))
        .expect(1)
        .mount(&server)
        .await;
    let pages: Vec<_> = client(&server)
        .dbss()
        .list_domain_all_resource(PROJECT, "dbss", "cn-north-4")
        .into_paginator()
        .try_collect()
        .await
        .expect("every page succeeds");
    assert_eq!(pages.len(), 2);
}
