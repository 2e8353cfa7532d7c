//! `cargo bench -p hwcloud-runtime --bench model`: decoding and encoding a generated model
//! (serde through `rt::codegen::model`) side by side with the floor, the same struct with
//! serde's derives. A bench binary (no harness): it prints the median of repeated runs.
//!
//! The input is a list response of 500 servers, each with a nested object, an array of
//! objects, an unknown member and a mix of scalars: what a generated crate decodes all day.

use std::hint::black_box;
use std::time::{Duration, Instant};

mod generated {
    #[derive(Clone, Default, PartialEq)]
    pub struct Page {
        pub servers: Option<Vec<Server>>,
        pub count: Option<i64>,
    }
    hwcloud_runtime::object!(Page { "servers" => servers, "count" => count });

    #[derive(Clone, PartialEq)]
    pub struct Server {
        pub id: String,
        pub name: String,
        pub status: Option<String>,
        pub flavor: Option<Flavor>,
        pub addresses: Option<Vec<Address>>,
        pub created: Option<String>,
        pub progress: Option<i32>,
        pub locked: Option<bool>,
        pub tags: Option<Vec<String>>,
    }
    hwcloud_runtime::model!(Server {
        req "id" => id, req "name" => name, opt "status" => status, opt "flavor" => flavor,
        opt "addresses" => addresses, opt "created" => created, opt "progress" => progress,
        opt "locked" => locked, opt "tags" => tags,
    });

    #[derive(Clone, Default, PartialEq)]
    pub struct Flavor {
        pub id: Option<String>,
        pub vcpus: Option<i32>,
        pub ram: Option<i64>,
    }
    hwcloud_runtime::object!(Flavor { "id" => id, "vcpus" => vcpus, "ram" => ram });

    #[derive(Clone, Default, PartialEq)]
    pub struct Address {
        pub addr: Option<String>,
        pub version: Option<i32>,
        pub mac: Option<String>,
    }
    hwcloud_runtime::object!(Address { "addr" => addr, "version" => version, "OS-EXT-IPS-MAC:mac_addr" => mac });
}

mod derived {
    use serde::{Deserialize, Serialize};

    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    pub struct Page {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub servers: Option<Vec<Server>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub count: Option<i64>,
    }

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Server {
        pub id: String,
        pub name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub status: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub flavor: Option<Flavor>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub addresses: Option<Vec<Address>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub created: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub progress: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub locked: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tags: Option<Vec<String>>,
    }

    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    pub struct Flavor {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub vcpus: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub ram: Option<i64>,
    }

    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    pub struct Address {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub addr: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub version: Option<i32>,
        #[serde(
            rename = "OS-EXT-IPS-MAC:mac_addr",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub mac: Option<String>,
    }
}

fn input() -> String {
    let servers: Vec<serde_json::Value> = (0..500)
        .map(|i| {
            serde_json::json!({
                "id": format!("3b5c6d7e-{i:04}-4a1b-9c2d-0e1f2a3b4c5d"),
                "name": format!("server-{i}"),
                "status": "ACTIVE",
                "flavor": {"id": "s6.large.2", "vcpus": 2, "ram": 4096, "disk": 0},
                "addresses": [
                    {"addr": "192.168.0.12", "version": 4, "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:00:00:01"},
                    {"addr": "fe80::1", "version": 6, "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:00:00:02"}
                ],
                "created": "2026-11-22T10:00:00Z",
                "progress": 100,
                "locked": false,
                "tags": ["env=prod", "team=db"],
                "OS-EXT-AZ:availability_zone": "cn-north-4a"
            })
        })
        .collect();
    serde_json::json!({"servers": servers, "count": 500}).to_string()
}

fn median_of(runs: usize, mut work: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    let text = input();
    let ours: generated::Page = serde_json::from_str(&text).expect("the generated model decodes");
    let floor: derived::Page = serde_json::from_str(&text).expect("the derived model decodes");
    let ours_json = serde_json::to_string(&ours).expect("encodes");
    assert_eq!(
        ours_json,
        serde_json::to_string(&floor).expect("encodes"),
        "both write the same JSON"
    );
    let runs = 201;
    let rows = [
        (
            "decode, generated model",
            median_of(runs, || {
                black_box(serde_json::from_str::<generated::Page>(black_box(&text)).ok());
            }),
        ),
        (
            "decode, serde derive (floor)",
            median_of(runs, || {
                black_box(serde_json::from_str::<derived::Page>(black_box(&text)).ok());
            }),
        ),
        (
            "encode, generated model",
            median_of(runs, || {
                black_box(serde_json::to_vec(black_box(&ours)).ok());
            }),
        ),
        (
            "encode, serde derive (floor)",
            median_of(runs, || {
                black_box(serde_json::to_vec(black_box(&floor)).ok());
            }),
        ),
    ];
    println!(
        "{} bytes of JSON, 500 servers; median of {runs} runs",
        text.len()
    );
    for (name, time) in rows {
        println!("{name:<32} {:>9.1} µs", time.as_secs_f64() * 1e6);
    }
}
