//! The page importer on arbitrary text: it returns a spec or an error naming what is wrong,
//! never panics, and every spec it returns reads back as an operation file. An internal error
//! (a written spec that does not read back) is a bug too.
#![no_main]

use generator::import::{import_page, ImportError, ImportOptions};
use generator::spec::model::OperationFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let options = ImportOptions {
        operation: Some("Fuzzed".into()),
        ..ImportOptions::default()
    };
    match import_page(&text, "fuzzed.txt", None, &options) {
        Ok(imported) => {
            if let Err(error) = serde_yaml::from_str::<OperationFile>(&imported.yaml) {
                panic!("the spec does not read back: {error}\n{}", imported.yaml);
            }
        }
        Err(error @ ImportError::Output { .. }) => panic!("{error}"),
        Err(_) => {}
    }
});
