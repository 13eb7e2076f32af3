use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::DomainError;
use super::text::{Lines, OneLine, check_chars};

/// Global role of a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Recruiter,
    Member,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Recruiter, Role::Member];

    /// Recruiters and admins assemble requisitions, candidates and loops.
    pub fn recruits(self) -> bool {
        matches!(self, Role::Recruiter | Role::Admin)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Recruiter => "recruiter",
            Role::Member => "member",
        }
    }
}

/// The most characters of a department's name.
pub const DEPARTMENT_MAX: usize = 200;

/// Bar raiser standing of a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BarRaiserStatus {
    None,
    InTraining,
    Certified,
    Inactive,
}

impl BarRaiserStatus {
    pub const ALL: [BarRaiserStatus; 4] = [
        BarRaiserStatus::None,
        BarRaiserStatus::InTraining,
        BarRaiserStatus::Certified,
        BarRaiserStatus::Inactive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BarRaiserStatus::None => "none",
            BarRaiserStatus::InTraining => "in_training",
            BarRaiserStatus::Certified => "certified",
            BarRaiserStatus::Inactive => "inactive",
        }
    }
}

macro_rules! text_enum {
    ($ty:ty, $what:literal) => {
        impl FromStr for $ty {
            type Err = DomainError;
            fn from_str(s: &str) -> Result<Self, DomainError> {
                <$ty>::ALL
                    .into_iter()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| {
                        let allowed: Vec<&str> = <$ty>::ALL.iter().map(|v| v.as_str()).collect();
                        DomainError::invalid(
                            $what,
                            format!("must be one of: {}", allowed.join(", ")),
                        )
                    })
            }
        }
        impl TryFrom<String> for $ty {
            type Error = DomainError;
            fn try_from(s: String) -> Result<Self, DomainError> {
                s.parse()
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
text_enum!(Role, "role");
text_enum!(BarRaiserStatus, "status");

/// A syntactically valid email address, trimmed and lower-cased so that
/// uniqueness is case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, raw: &str) -> Result<Self, DomainError> {
        let email = raw.trim().to_lowercase();
        check_chars(field, &email, Lines::One)?;
        if email.len() > 254 || !validator::ValidateEmail::validate_email(&email) {
            return Err(DomainError::invalid(field, "must be a valid email address"));
        }
        Ok(Self(email))
    }

    /// Normalises an address typed at sign-in without judging its syntax (an
    /// unknown or malformed address must get the same answer as a wrong
    /// password). `None` when it holds characters no stored address can hold,
    /// such as NUL: such text never reaches the database.
    pub fn normalize_for_lookup(raw: &str) -> Option<String> {
        let email = raw.trim().to_lowercase();
        (email.len() <= 254 && check_chars("email", &email, Lines::One).is_ok()).then_some(email)
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A person's display name: one-line text of 1 to 200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(OneLine);

impl PersonName {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(field: &str, raw: &str) -> Result<Self, DomainError> {
        OneLine::parse(field, raw, Self::MAX_CHARS).map(Self)
    }
}

impl AsRef<str> for PersonName {
    fn as_ref(&self) -> &str {
        self.0.as_ref()
    }
}

/// A password someone is setting: 12 to 128 characters. Its `Debug` is redacted.
#[derive(Clone)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(field: &str, raw: String) -> Result<Self, DomainError> {
        let n = raw.chars().count();
        if n < Self::MIN_CHARS {
            return Err(DomainError::invalid(
                field,
                "must be at least 12 characters",
            ));
        }
        if n > Self::MAX_CHARS {
            return Err(DomainError::invalid(
                field,
                "must be at most 128 characters",
            ));
        }
        Ok(Self(raw))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_trimmed_and_lowercased() {
        assert_eq!(
            Email::parse("email", "  Dana.Lee@Example.COM ")
                .unwrap()
                .as_ref(),
            "dana.lee@example.com"
        );
    }

    #[test]
    fn email_with_control_or_bidi_characters_is_refused_and_never_looked_up() {
        for bad in ["dana\u{0}@example.com", "dana@exa\u{202e}mple.com"] {
            assert!(Email::parse("email", bad).is_err(), "{bad:?}");
            assert_eq!(Email::normalize_for_lookup(bad), None, "{bad:?}");
        }
        assert_eq!(
            Email::normalize_for_lookup(" Dana@Example.com").as_deref(),
            Some("dana@example.com")
        );
    }

    #[test]
    fn email_without_domain_is_refused() {
        for bad in ["", "dana", "dana@", "@example.com", "da na@example.com"] {
            assert!(
                Email::parse("email", bad).is_err(),
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn password_length_is_bounded_in_characters() {
        assert!(NewPassword::parse("password", "a".repeat(11)).is_err());
        assert!(NewPassword::parse("password", "a".repeat(12)).is_ok());
        assert!(NewPassword::parse("password", "é".repeat(128)).is_ok());
        assert!(NewPassword::parse("password", "a".repeat(129)).is_err());
    }

    #[test]
    fn password_debug_is_redacted() {
        let pw = NewPassword::parse("password", "correct horse battery".into()).unwrap();
        assert!(!format!("{pw:?}").contains("horse"));
    }

    #[test]
    fn roles_and_statuses_round_trip_through_text() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        for status in BarRaiserStatus::ALL {
            assert_eq!(status.as_str().parse::<BarRaiserStatus>().unwrap(), status);
        }
        assert!("owner".parse::<Role>().is_err());
    }

    #[test]
    fn blank_names_and_control_characters_are_refused() {
        assert!(PersonName::parse("name", "   ").is_err());
        assert!(PersonName::parse("name", "Dana\u{0}Lee").is_err());
        assert_eq!(
            PersonName::parse("name", " Dana Lee ").unwrap().as_ref(),
            "Dana Lee"
        );
    }
}
