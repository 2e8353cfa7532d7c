//! Endpoint overrides from the environment. The process environment is global, so this file
//! holds a single test (its own process).

use hwcloud_runtime as rt;

#[test]
fn endpoints_come_from_the_environment_per_service_and_for_all() {
    std::env::set_var("HUAWEICLOUD_SDK_AK", "ak");
    std::env::set_var("HUAWEICLOUD_SDK_SK", "sk");
    std::env::set_var("HUAWEICLOUD_SDK_ENDPOINT", "http://127.0.0.1:9000");
    std::env::set_var(
        "HUAWEICLOUD_SDK_ENDPOINT_GAUSSDB_NOSQL",
        "http://127.0.0.1:9001/",
    );
    std::env::set_var("HUAWEICLOUD_SDK_ENDPOINT_KMS", "  ");
    let config = rt::Config::from_env().expect("builds without a region");
    assert_eq!(config.endpoint_override(), Some("http://127.0.0.1:9000"));
    assert_eq!(
        config.service_endpoint("gaussdb-nosql"),
        Some("http://127.0.0.1:9001")
    );
    // Empty counts as unset.
    assert_eq!(config.service_endpoint("kms"), None);
    // A bad one is an error that names the value, secrets left out.
    std::env::set_var("HUAWEICLOUD_SDK_ENDPOINT_KMS", "kms.local?token=T0ken");
    let err = rt::Config::from_env().expect_err("refused").to_string();
    assert!(err.contains("kms.local") && !err.contains("T0ken"), "{err}");
}
