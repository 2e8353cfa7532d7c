//! Types that several operations of a service define identically move to the service's
//! `models` module, defined once.
//!
//! The API Explorer definitions are self-contained per operation, so a service's `Tag`,
//! `Link` or `PageInfo` is repeated in every operation that uses it: in the catalogue, half of
//! the operations' schemas are such copies. Each copy is a type for the compiler to check and
//! for the generator to emit; defined once, a service crate compiles in a fraction of the time.
//!
//! A type moves only when nothing changes for the code that uses it: the same name and the
//! same definition (docs included) in at least two operations, every local type it refers to
//! moving as well (a reference then means the same type everywhere), and no type of that name
//! in `models` already. An operation module imports what moved (`pub use crate::models::X`),
//! so its code, its re-exports and its intra-doc links keep naming `X`.

use std::collections::{BTreeMap, BTreeSet};

use super::{Operation, TypeDef, TypeRef};

/// Moves the types defined identically by two or more of `operations` into `shared` (after
/// the types already there, by name), and records each operation's imports of them.
pub fn hoist_repeated_types(shared: &mut Vec<TypeDef>, operations: &mut [Operation]) {
    let taken: BTreeSet<String> = shared.iter().map(|def| def.name.clone()).collect();
    // The distinct definitions of each name, with the operations that have each.
    let mut groups: BTreeMap<&str, Vec<(&TypeDef, Vec<usize>)>> = BTreeMap::new();
    for (index, op) in operations.iter().enumerate() {
        for def in &op.local_types {
            let definitions = groups.entry(def.name.as_str()).or_default();
            match definitions.iter_mut().find(|(known, _)| *known == def) {
                Some((_, users)) => users.push(index),
                None => definitions.push((def, vec![index])),
            }
        }
    }
    // Which definition of each of its local types an operation has (an index into `groups`).
    let mut definition_of: Vec<BTreeMap<&str, usize>> = vec![BTreeMap::new(); operations.len()];
    for (name, definitions) in &groups {
        for (number, (_, users)) in definitions.iter().enumerate() {
            for &user in users {
                definition_of[user].insert(name, number);
            }
        }
    }
    // Per name, the definition most operations share (two at least) is the candidate.
    let mut candidates: BTreeMap<&str, (usize, &TypeDef, &[usize])> = BTreeMap::new();
    for (name, definitions) in &groups {
        if taken.contains(*name) {
            continue;
        }
        let best = definitions
            .iter()
            .enumerate()
            .filter(|(_, (_, users))| users.len() >= 2)
            .max_by(|a, b| a.1 .1.len().cmp(&b.1 .1.len()).then(b.0.cmp(&a.0)));
        if let Some((number, (def, users))) = best {
            candidates.insert(name, (number, *def, users.as_slice()));
        }
    }

    // A candidate stays one while, in each of its operations, every local type it refers to
    // is the candidate of that name.
    loop {
        let dropped: Vec<&str> = candidates
            .iter()
            .filter(|(_, (_, def, users))| {
                local_references(def).iter().any(|referenced| {
                    let candidate = candidates.get(referenced.as_str());
                    users.iter().any(|&user| {
                        match (definition_of[user].get(referenced.as_str()), candidate) {
                            // The candidate's operations are exactly those with its definition.
                            (Some(number), Some((chosen, _, _))) => number != chosen,
                            _ => true,
                        }
                    })
                })
            })
            .map(|(name, _)| *name)
            .collect();
        if dropped.is_empty() {
            break;
        }
        for name in dropped {
            candidates.remove(name);
        }
    }

    let moving: BTreeMap<String, Vec<usize>> = candidates
        .into_iter()
        .map(|(name, (_, _, users))| (name.to_owned(), users.to_vec()))
        .collect();
    for (name, users) in &moving {
        let mut moved = None;
        for &user in users {
            let op = &mut operations[user];
            if let Some(position) = op.local_types.iter().position(|def| &def.name == name) {
                moved = Some(op.local_types.remove(position));
            }
            op.imported_types.push(name.clone());
        }
        shared.extend(moved);
    }
}

/// The local types `def` refers to, directly.
fn local_references(def: &TypeDef) -> BTreeSet<String> {
    fn walk(ty: &TypeRef, out: &mut BTreeSet<String>) {
        match ty {
            TypeRef::Local(name) => {
                out.insert(name.clone());
            }
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => walk(inner, out),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for part in def.kind.parts() {
        walk(part, &mut out);
    }
    out
}
