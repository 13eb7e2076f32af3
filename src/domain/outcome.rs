//! What became of a hire: the outcomes of SPEC §11, parsed from the API's
//! JSON or a CSV file's text into one checked value.

use chrono::NaiveDate;

use super::DomainError;

/// The kinds of outcome.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    /// 1 (far below expectations) to 5 (far above).
    PerformanceRating,
    StillEmployed,
    RegrettedAttrition,
}

impl OutcomeKind {
    pub const ALL: [OutcomeKind; 3] = [
        Self::PerformanceRating,
        Self::StillEmployed,
        Self::RegrettedAttrition,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PerformanceRating => "performance_rating",
            Self::StillEmployed => "still_employed",
            Self::RegrettedAttrition => "regretted_attrition",
        }
    }

    pub fn parse(field: &str, raw: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == raw.trim())
            .ok_or_else(|| {
                DomainError::invalid(
                    field,
                    "must be performance_rating, still_employed or regretted_attrition",
                )
            })
    }

    /// A kind as stored (the table's CHECK allows only these; anything else
    /// reads as a rating).
    pub fn from_stored(raw: &str) -> Self {
        Self::parse("kind", raw).unwrap_or(Self::PerformanceRating)
    }

    /// A stored value in words for a page: `4 of 5`, `yes`, `no`.
    pub fn value_words(self, value: f64) -> String {
        match self {
            Self::PerformanceRating => format!("{value} of 5"),
            _ if value != 0.0 => "yes".into(),
            _ => "no".into(),
        }
    }

    /// Words for a page.
    pub fn words(self) -> &'static str {
        match self {
            Self::PerformanceRating => "Performance rating",
            Self::StillEmployed => "Still employed",
            Self::RegrettedAttrition => "Regretted attrition",
        }
    }
}

/// An outcome's value, as given: a number for a rating, yes or no for the others.
#[derive(Debug, Clone, PartialEq)]
pub enum GivenValue<'a> {
    Number(f64),
    Flag(bool),
    Text(&'a str),
}

/// The lowest and highest performance rating.
pub const RATING_RANGE: (f64, f64) = (1.0, 5.0);

/// A checked outcome: its kind, its value as stored (a rating 1–5; a flag 1 or 0), and when it was observed.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub kind: OutcomeKind,
    pub value: f64,
    pub observed_at: NaiveDate,
}

impl Outcome {
    /// Checks `value` for `kind` and `observed_at` (`YYYY-MM-DD`, not after `today`).
    pub fn parse(
        kind: OutcomeKind,
        value: GivenValue<'_>,
        observed_at: &str,
        today: NaiveDate,
    ) -> Result<Self, DomainError> {
        let value = match (kind, value) {
            (OutcomeKind::PerformanceRating, GivenValue::Number(n)) => Some(n),
            (OutcomeKind::PerformanceRating, GivenValue::Text(t)) => t.trim().parse::<f64>().ok(),
            (_, GivenValue::Flag(b)) if kind != OutcomeKind::PerformanceRating => {
                Some(f64::from(u8::from(b)))
            }
            (_, GivenValue::Text(t)) if kind != OutcomeKind::PerformanceRating => {
                match t.trim().to_ascii_lowercase().as_str() {
                    "true" | "yes" | "1" => Some(1.0),
                    "false" | "no" | "0" => Some(0.0),
                    _ => None,
                }
            }
            _ => None,
        };
        let value = match (kind, value) {
            (OutcomeKind::PerformanceRating, Some(n))
                if n.is_finite() && (RATING_RANGE.0..=RATING_RANGE.1).contains(&n) =>
            {
                Ok(n)
            }
            (OutcomeKind::PerformanceRating, _) => Err(DomainError::invalid(
                "value",
                "a performance rating is a number from 1 to 5",
            )),
            (_, Some(v)) => Ok(v),
            (_, None) => Err(DomainError::invalid("value", "must be true or false")),
        };
        let observed = match NaiveDate::parse_from_str(observed_at.trim(), "%Y-%m-%d") {
            Ok(d) if d <= today => Ok(d),
            Ok(_) => Err(DomainError::invalid(
                "observed_at",
                "must not be in the future",
            )),
            Err(_) => Err(DomainError::invalid(
                "observed_at",
                "must be a date, YYYY-MM-DD",
            )),
        };
        match (value, observed) {
            (Ok(value), Ok(observed_at)) => Ok(Self {
                kind,
                value,
                observed_at,
            }),
            (value, observed) => Err(super::merge(value.err().into_iter().chain(observed.err()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
    }

    #[test]
    fn a_rating_is_a_number_from_one_to_five_and_a_flag_is_yes_or_no() {
        let rating = Outcome::parse(
            OutcomeKind::PerformanceRating,
            GivenValue::Number(3.5),
            "2026-05-01",
            today(),
        )
        .unwrap();
        assert_eq!(rating.value, 3.5);
        let from_text = Outcome::parse(
            OutcomeKind::PerformanceRating,
            GivenValue::Text("4"),
            "2026-05-01",
            today(),
        )
        .unwrap();
        assert_eq!(from_text.value, 4.0);
        for bad in [
            GivenValue::Number(0.0),
            GivenValue::Number(6.0),
            GivenValue::Flag(true),
            GivenValue::Text("good"),
        ] {
            assert!(
                Outcome::parse(OutcomeKind::PerformanceRating, bad, "2026-05-01", today()).is_err()
            );
        }
        let stayed = Outcome::parse(
            OutcomeKind::StillEmployed,
            GivenValue::Flag(true),
            "2026-05-01",
            today(),
        )
        .unwrap();
        assert_eq!(stayed.value, 1.0);
        let left = Outcome::parse(
            OutcomeKind::RegrettedAttrition,
            GivenValue::Text("no"),
            "2026-05-01",
            today(),
        )
        .unwrap();
        assert_eq!(left.value, 0.0);
        assert!(
            Outcome::parse(
                OutcomeKind::StillEmployed,
                GivenValue::Number(1.0),
                "2026-05-01",
                today()
            )
            .is_err()
        );
    }

    #[test]
    fn an_observation_is_a_date_not_in_the_future_and_every_problem_is_named() {
        assert!(
            Outcome::parse(
                OutcomeKind::StillEmployed,
                GivenValue::Flag(true),
                "2026-06-02",
                today()
            )
            .is_err()
        );
        let both = Outcome::parse(
            OutcomeKind::PerformanceRating,
            GivenValue::Number(9.0),
            "June",
            today(),
        )
        .unwrap_err();
        let fields: Vec<String> = both
            .into_field_problems()
            .unwrap()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["value", "observed_at"]);
    }
}
