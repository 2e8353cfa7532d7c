//! A list of changes as a reviewer reads it (text for a terminal, Markdown for a pull request
//! comment), with the version bump it calls for and whether `spec/crate.yaml` carries it.

use std::fmt::Write;

use super::{Change, Impact};

/// The semver bump a set of changes calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn label(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// The bump `changes` call for, by Cargo's rules: below 1.0 the minor number is the one that
/// breaks (0.1 -> 0.2), and additions go in a patch (0.1.0 -> 0.1.1).
pub fn required_bump(changes: &[Change], version: &str) -> Bump {
    let worst = changes.iter().map(|c| c.impact).max();
    let pre_1 = parse(version).is_some_and(|(major, _, _)| major == 0);
    match worst {
        None => Bump::None,
        Some(Impact::Docs) => Bump::Patch,
        Some(Impact::Compatible) | Some(Impact::Behaviour) if pre_1 => Bump::Patch,
        Some(Impact::Compatible) | Some(Impact::Behaviour) => Bump::Minor,
        Some(Impact::Breaking) if pre_1 => Bump::Minor,
        Some(Impact::Breaking) => Bump::Major,
    }
}

fn parse(version: &str) -> Option<(u64, u64, u64)> {
    let core = version.split(['-', '+']).next()?;
    let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
    Some((parts.next()??, parts.next()??, parts.next()??))
}

/// The bump from `base` to `head`, in the terms of [`required_bump`]: below 1.0 a new minor (or
/// major) number is the `Minor` that breaking changes need.
pub fn carried_bump(base: &str, head: &str) -> Bump {
    let (Some(b), Some(h)) = (parse(base), parse(head)) else {
        return Bump::None;
    };
    if h <= b {
        Bump::None
    } else if b.0 == 0 {
        if h.0 > b.0 || h.1 > b.1 {
            Bump::Minor
        } else {
            Bump::Patch
        }
    } else if h.0 > b.0 {
        Bump::Major
    } else if h.1 > b.1 {
        Bump::Minor
    } else {
        Bump::Patch
    }
}

/// What a report says about versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versions {
    pub base: String,
    pub head: String,
}

/// Whether the head version carries the bump the changes call for.
pub fn version_ok(changes: &[Change], versions: &Versions) -> bool {
    let needed = required_bump(changes, &versions.base);
    carried_bump(&versions.base, &versions.head) >= needed
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
}

/// The report: changes grouped by service and scope, API changes first and documentation-only
/// ones apart, then the verdict on versions.
pub fn render(changes: &[Change], versions: &Versions, format: Format) -> String {
    let md = format == Format::Markdown;
    let mut out = String::new();
    let api: Vec<&Change> = changes
        .iter()
        .filter(|c| c.impact != Impact::Docs)
        .collect();
    let docs: Vec<&Change> = changes
        .iter()
        .filter(|c| c.impact == Impact::Docs)
        .collect();
    let count = |impact: Impact| changes.iter().filter(|c| c.impact == impact).count();
    if md {
        out.push_str("## API changes\n\n");
    }
    if changes.is_empty() {
        out.push_str("No API change.\n");
    } else {
        let _ = writeln!(
            out,
            "{} breaking, {} behaviour, {} compatible, {} documentation-only.",
            count(Impact::Breaking),
            count(Impact::Behaviour),
            count(Impact::Compatible),
            count(Impact::Docs)
        );
    }
    let mut current = (String::new(), String::new());
    for change in &api {
        let key = (change.service.clone(), change.scope.clone());
        if key != current {
            let title = if change.scope.is_empty() {
                format!("service {}", change.service)
            } else if change.scope == "types" {
                format!("{} shared types", change.service)
            } else {
                format!("{} {}", change.service, change.scope)
            };
            if md {
                let _ = writeln!(out, "\n### {title}\n");
            } else {
                let _ = writeln!(out, "\n{title}");
            }
            current = key;
        }
        let label = change.impact.label();
        if md {
            let _ = writeln!(out, "- **{label}**: {}", change.what);
        } else {
            let _ = writeln!(out, "  {label:<10} {}", change.what);
        }
    }
    if !docs.is_empty() {
        let places: Vec<String> = docs
            .iter()
            .map(|c| {
                let scope = if c.scope.is_empty() {
                    c.service.clone()
                } else {
                    format!("{} {}", c.service, c.scope)
                };
                format!("{scope}: {}", c.what)
            })
            .collect();
        if md {
            let _ = writeln!(
                out,
                "\n<details><summary>Documentation only ({})</summary>\n",
                docs.len()
            );
            for p in &places {
                let _ = writeln!(out, "- {p}");
            }
            out.push_str("\n</details>\n");
        } else {
            let _ = writeln!(out, "\ndocumentation only:");
            for p in &places {
                let _ = writeln!(out, "  {p}");
            }
        }
    }
    let needed = required_bump(changes, &versions.base);
    let verdict = if needed == Bump::None {
        "no version bump needed".to_owned()
    } else if version_ok(changes, versions) {
        format!(
            "needs a {} bump; spec/crate.yaml has {} -> {}: carried",
            needed.label(),
            versions.base,
            versions.head
        )
    } else {
        format!(
            "needs a {} bump; spec/crate.yaml has {} -> {}: NOT carried (raise `version` in spec/crate.yaml)",
            needed.label(),
            versions.base,
            versions.head
        )
    };
    if md {
        let _ = writeln!(out, "\n**Version**: {verdict}");
    } else {
        let _ = writeln!(out, "\nversion: {verdict}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(impact: Impact) -> Change {
        Change {
            service: "kms".into(),
            scope: "ListKeys".into(),
            impact,
            what: "x".into(),
        }
    }

    #[test]
    fn bumps_follow_cargos_rules_below_and_above_one() {
        let breaking = [change(Impact::Breaking)];
        let added = [change(Impact::Compatible)];
        assert_eq!(required_bump(&breaking, "0.1.0"), Bump::Minor);
        assert_eq!(required_bump(&breaking, "1.2.0"), Bump::Major);
        assert_eq!(required_bump(&added, "0.1.0"), Bump::Patch);
        assert_eq!(required_bump(&added, "1.2.0"), Bump::Minor);
        assert_eq!(required_bump(&[], "1.2.0"), Bump::None);
        let v = |base: &str, head: &str| Versions {
            base: base.into(),
            head: head.into(),
        };
        assert!(!version_ok(&breaking, &v("0.1.0", "0.1.0")));
        assert!(!version_ok(&breaking, &v("0.1.0", "0.1.1")));
        assert!(version_ok(&breaking, &v("0.1.0", "0.2.0")));
        assert!(version_ok(&breaking, &v("0.1.0", "1.0.0")));
        assert!(!version_ok(&breaking, &v("1.1.0", "1.2.0")));
        assert!(version_ok(&breaking, &v("1.1.0", "2.0.0")));
        assert!(version_ok(&added, &v("0.1.0", "0.1.1")));
        assert!(!version_ok(&added, &v("1.1.0", "1.1.1")));
        assert!(version_ok(&added, &v("1.1.0", "1.2.0")));
        assert!(version_ok(&[], &v("1.1.0", "1.1.0")));
    }
}
