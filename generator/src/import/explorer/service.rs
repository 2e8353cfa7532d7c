//! Service ids and endpoints.
//!
//! **The service id rule.** A catalogue folder (`KMS`, `GaussDBforNoSQL`, `Anti_DDoS`) becomes
//! a spec folder and service id as follows. Let *name* be the folder name in lower case with
//! everything but ASCII letters and digits removed (`gaussdbfornosql`, `antiddos`), and *label*
//! the first label of the operation's host (`gaussdb-nosql` in
//! `gaussdb-nosql.{region}.myhuaweicloud.com`). The id is *label* when it spells *name*: it is
//! lower case letters, digits and inner `-`; its letters and digits (dashes removed) start with
//! *name*'s first character, appear in *name* in order, and make up at least three quarters of
//! it. Otherwise the id is *name*. So `KMS` -> `kms`, `RDS` -> `rds`, `GaussDBforNoSQL` ->
//! `gaussdb-nosql`, `SFSTurbo` -> `sfs-turbo`, but `CSMS` (on `kms.{region}...`) -> `csms`,
//! `EIP` (on `vpc.{region}...`) -> `eip`, `HCSECS` (on `hcs.{region}...`) -> `hcsecs`, `Meeting`
//! (on `api.meeting.huaweicloud.com`) -> `meeting`.
//!
//! The id depends only on the folder name and the host, so it is stable: the same folder
//! always gets the same id, whichever of its files are imported. Over the whole catalogue
//! (224 folders) every folder's operations agree on their id and no two folders share one;
//! should that ever change, the operations of a folder take the id most of them give (ties:
//! the smaller id), and two folders with one id stop the import before anything is written.

/// The folder name's lower-case letters and digits.
pub fn folder_id(folder: &str) -> String {
    folder
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The service id of an operation in catalogue folder `folder` on a host whose first label is
/// `label` (see the module documentation).
pub fn service_id(folder: &str, label: Option<&str>) -> String {
    let name = folder_id(folder);
    let Some(label) = label else { return name };
    let shaped = label
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label.starts_with(|c: char| c.is_ascii_lowercase());
    let letters: String = label.chars().filter(|c| *c != '-').collect();
    let same_start =
        letters.chars().next().is_some() && letters.chars().next() == name.chars().next();
    let mut rest = name.chars();
    let in_order = letters.chars().all(|c| rest.any(|n| n == c));
    let covers = 4 * letters.len() >= 3 * name.len();
    if shaped && same_start && in_order && covers {
        label.to_string()
    } else {
        name
    }
}

/// Whether a service id is what the generator accepts (lower case letters, digits and `-`,
/// starting with a letter).
pub fn valid_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert_eq!(service_id("KMS", Some("kms")), "kms");
        assert_eq!(service_id("RDS", Some("rds")), "rds");
        assert_eq!(service_id("DBSS", Some("dbss")), "dbss");
        assert_eq!(
            service_id("GaussDBforNoSQL", Some("gaussdb-nosql")),
            "gaussdb-nosql"
        );
        assert_eq!(
            service_id("GaussDBforopenGauss", Some("gaussdb-opengauss")),
            "gaussdb-opengauss"
        );
        assert_eq!(service_id("CSMS", Some("kms")), "csms");
        assert_eq!(service_id("KPS", Some("kms")), "kps");
        assert_eq!(service_id("EIP", Some("vpc")), "eip");
        assert_eq!(service_id("GEIP", Some("eip")), "geip");
        assert_eq!(service_id("HCSECS", Some("hcs")), "hcsecs");
        assert_eq!(service_id("Anti_DDoS", Some("antiddos")), "antiddos");
        assert_eq!(service_id("APM", Some("apm2")), "apm");
        assert_eq!(service_id("CBS", Some("cbs-ext")), "cbs");
        assert_eq!(service_id("Meeting", Some("api")), "meeting");
        assert_eq!(service_id("SFSTurbo", Some("sfs-turbo")), "sfs-turbo");
        assert_eq!(service_id("IAM", None), "iam");
        assert_eq!(
            service_id("IdentityCenterStore", Some("identitystore")),
            "identitycenterstore"
        );
    }
}
