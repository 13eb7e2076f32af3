use super::text::LongText;
use super::{DomainError, all_ok};

/// A competency's stable key: 2 to 64 characters of `a-z`, `0-9` and `_`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompetencyKey(String);

impl CompetencyKey {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let key = raw.trim();
        let ok_chars = key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !(2..=64).contains(&key.len()) || !ok_chars {
            return Err(DomainError::invalid(
                "key",
                "must be 2 to 64 characters of a-z, 0-9 and _",
            ));
        }
        Ok(Self(key.to_owned()))
    }
}

impl AsRef<str> for CompetencyKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The rating anchors: what a rating of 1 (strong concern) to 4 (strong evidence) looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchors([String; 4]);

impl Anchors {
    const MAX_CHARS: usize = 2000;

    /// Every anchor is long text of 1 to 2000 characters; every problem is reported.
    pub fn parse(raw: [&str; 4]) -> Result<Self, DomainError> {
        let texts = all_ok(raw.iter().enumerate().map(|(i, text)| {
            LongText::parse(&format!("anchors.{}", i + 1), text, Self::MAX_CHARS)
                .map(LongText::into_string)
        }))?;
        let texts: [String; 4] = texts
            .try_into()
            .map_err(|_| DomainError::invalid("anchors", "must have four entries"))?;
        Ok(Self(texts))
    }

    /// The anchor for ratings 1..=4, in order.
    pub fn texts(&self) -> &[String; 4] {
        &self.0
    }
}

/// Behavioural questions: 1 to 20, each long text of 1 to 1000 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Questions(Vec<String>);

impl Questions {
    const MAX_CHARS: usize = 1000;

    pub fn parse(raw: &[String]) -> Result<Self, DomainError> {
        if raw.is_empty() || raw.len() > 20 {
            return Err(DomainError::invalid(
                "questions",
                "must list 1 to 20 questions",
            ));
        }
        all_ok(raw.iter().enumerate().map(|(i, q)| {
            LongText::parse(&format!("questions[{i}]"), q, Self::MAX_CHARS)
                .map(LongText::into_string)
        }))
        .map(Self)
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_lowercase_slugs() {
        assert!(CompetencyKey::parse("customer_obsession").is_ok());
        for bad in ["", "a", "Customer", "dive deep", "x".repeat(65).as_str()] {
            assert!(CompetencyKey::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn every_anchor_must_be_written() {
        assert!(Anchors::parse(["a", "b", "c", "d"]).is_ok());
        let err = Anchors::parse(["a", " ", "c", "d"]).unwrap_err();
        assert_eq!(
            err,
            DomainError::invalid("anchors.2", "must not be empty")
                .into_field_problems()
                .map(DomainError::InvalidFields)
                .unwrap()
        );
        let err = Anchors::parse(["a\u{0}", "b", "c\u{202e}", "d"]).unwrap_err();
        let fields: Vec<String> = err
            .into_field_problems()
            .unwrap()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["anchors.1", "anchors.3"]);
    }

    #[test]
    fn questions_need_at_least_one_entry() {
        assert!(Questions::parse(&[]).is_err());
        assert!(Questions::parse(&["".into()]).is_err());
        assert!(Questions::parse(&["Tell me about a time…".into()]).is_ok());
    }
}
