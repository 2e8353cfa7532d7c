//! Path templates such as `/v3/{project_id}/instances/{instance_id}`: parsing, nothing else.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Literal(String),
    Parameter(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError(pub String);

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PathTemplate {
    pub fn parse(text: &str) -> Result<Self, TemplateError> {
        if !text.starts_with('/') {
            return Err(TemplateError(format!("path `{text}` must start with `/`")));
        }
        if text.contains(['?', '#']) {
            return Err(TemplateError(format!(
                "path `{text}` must not contain `?` or `#`: declare query parameters with `in: query`"
            )));
        }
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find(['{', '}']) {
            if rest.as_bytes()[open] == b'}' {
                return Err(TemplateError(format!(
                    "path `{text}` has a `}}` without a `{{`"
                )));
            }
            if open > 0 {
                parts.push(Part::Literal(rest[..open].to_owned()));
            }
            let after = &rest[open + 1..];
            let close = after
                .find(['{', '}'])
                .filter(|&i| after.as_bytes()[i] == b'}')
                .ok_or_else(|| TemplateError(format!("path `{text}` has an unclosed `{{`")))?;
            let name = &after[..close];
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(TemplateError(format!(
                    "path `{text}` has an invalid parameter name `{{{name}}}`"
                )));
            }
            if parts
                .iter()
                .any(|part| part == &Part::Parameter(name.to_owned()))
            {
                return Err(TemplateError(format!(
                    "path `{text}` uses `{{{name}}}` twice"
                )));
            }
            parts.push(Part::Parameter(name.to_owned()));
            rest = &after[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Literal(rest.to_owned()));
        }
        Ok(PathTemplate { parts })
    }

    pub fn parameters(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|part| match part {
            Part::Parameter(name) => Some(name.as_str()),
            Part::Literal(_) => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_parameters_and_literals() {
        let template = PathTemplate::parse("/v3/{project_id}/instances/{instance_id}/x").unwrap();
        assert_eq!(
            template.parameters().collect::<Vec<_>>(),
            ["project_id", "instance_id"]
        );
        assert_eq!(template.parts.len(), 5);
    }

    #[test]
    fn rejects_malformed_templates() {
        for bad in [
            "v3/x",
            "/v3/{a",
            "/v3/a}",
            "/v3/{}",
            "/v3/{a}/{a}",
            "/v3/{a b}",
            "/v3?x=1",
            "/{{a}}",
        ] {
            assert!(
                PathTemplate::parse(bad).is_err(),
                "{bad} should be rejected"
            );
        }
    }
}
