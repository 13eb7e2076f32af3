use super::DomainError;

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

    pub fn parse(raw: [&str; 4]) -> Result<Self, DomainError> {
        let mut out: [String; 4] = Default::default();
        for (i, text) in raw.iter().enumerate() {
            let text = text.trim();
            let field = format!("anchors.{}", i + 1);
            if text.is_empty() {
                return Err(DomainError::invalid(field, "must not be empty"));
            }
            if text.chars().count() > Self::MAX_CHARS {
                return Err(DomainError::invalid(
                    field,
                    "must be at most 2000 characters",
                ));
            }
            out[i] = text.to_owned();
        }
        Ok(Self(out))
    }

    /// The anchor for ratings 1..=4, in order.
    pub fn texts(&self) -> &[String; 4] {
        &self.0
    }
}

/// Behavioural questions: 1 to 20, each non-empty and at most 1000 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Questions(Vec<String>);

impl Questions {
    pub fn parse(raw: &[String]) -> Result<Self, DomainError> {
        if raw.is_empty() || raw.len() > 20 {
            return Err(DomainError::invalid(
                "questions",
                "must list 1 to 20 questions",
            ));
        }
        let mut out = Vec::with_capacity(raw.len());
        for (i, q) in raw.iter().enumerate() {
            let q = q.trim();
            if q.is_empty() || q.chars().count() > 1000 {
                return Err(DomainError::invalid(
                    format!("questions[{i}]"),
                    "must be 1 to 1000 characters",
                ));
            }
            out.push(q.to_owned());
        }
        Ok(Self(out))
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
        assert_eq!(err, DomainError::invalid("anchors.2", "must not be empty"));
    }

    #[test]
    fn questions_need_at_least_one_entry() {
        assert!(Questions::parse(&[]).is_err());
        assert!(Questions::parse(&["".into()]).is_err());
        assert!(Questions::parse(&["Tell me about a time…".into()]).is_ok());
    }
}
