//! The loop life cycle (SPEC §1):
//! draft → scheduled → in_debrief → awaiting_decision → decided, and cancel
//! from draft, scheduled or in_debrief.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::{DomainError, OneLine};

/// How long after an interview ends its feedback is due: 1 to 336 hours (two
/// weeks), 24 unless the recruiter chooses otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedbackWindow(i64);

impl FeedbackWindow {
    pub const DEFAULT: FeedbackWindow = FeedbackWindow(24);
    pub const MAX_HOURS: i64 = 336;

    /// The window asked for, or the default when none is.
    pub fn parse(hours: Option<i64>) -> Result<Self, DomainError> {
        match hours {
            None => Ok(Self::DEFAULT),
            Some(h @ 1..=Self::MAX_HOURS) => Ok(Self(h)),
            Some(_) => Err(DomainError::invalid(
                "feedback_window_hours",
                format!("must be from 1 to {}", Self::MAX_HOURS),
            )),
        }
    }

    /// A window read back from a stored loop (checked when it was stored).
    pub fn stored(hours: i64) -> Self {
        Self(hours)
    }

    pub fn hours(self) -> i64 {
        self.0
    }
}

impl Default for FeedbackWindow {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The longest reason a loop is cancelled with, in characters.
pub const CANCEL_REASON_MAX: usize = 1000;

/// The reason of a cancellation, as both the API and the loop page take it.
pub fn parse_cancel_reason(raw: &str) -> Result<OneLine, DomainError> {
    OneLine::parse("reason", raw, CANCEL_REASON_MAX)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LoopStatus {
    Draft,
    Scheduled,
    InDebrief,
    AwaitingDecision,
    Decided,
    Cancelled,
}

impl LoopStatus {
    /// The status in words, for people (the API keeps the codes).
    pub fn words(self) -> &'static str {
        match self {
            LoopStatus::Draft => "Draft",
            LoopStatus::Scheduled => "Scheduled",
            LoopStatus::InDebrief => "In debrief",
            LoopStatus::AwaitingDecision => "Awaiting the decision",
            LoopStatus::Decided => "Decided",
            LoopStatus::Cancelled => "Cancelled",
        }
    }

    pub const ALL: [LoopStatus; 6] = [
        LoopStatus::Draft,
        LoopStatus::Scheduled,
        LoopStatus::InDebrief,
        LoopStatus::AwaitingDecision,
        LoopStatus::Decided,
        LoopStatus::Cancelled,
    ];

    /// Loops whose independence is still re-evaluated and that count toward a bar raiser's load.
    pub const OPEN: [LoopStatus; 4] = [
        LoopStatus::Draft,
        LoopStatus::Scheduled,
        LoopStatus::InDebrief,
        LoopStatus::AwaitingDecision,
    ];

    /// Loops that take feedback: their interviews' feedback is awaited until submitted.
    pub const TAKING_FEEDBACK: [LoopStatus; 2] = [LoopStatus::Scheduled, LoopStatus::InDebrief];

    /// Loops whose feedback the blind rule no longer protects: the debrief
    /// opened, or the loop ended. Analytics count only their feedback, so no
    /// period, however narrow, reads one person's ratings of a loop still
    /// collecting feedback.
    pub const UNBLINDED: [LoopStatus; 4] = [
        LoopStatus::InDebrief,
        LoopStatus::AwaitingDecision,
        LoopStatus::Decided,
        LoopStatus::Cancelled,
    ];

    pub fn takes_feedback(self) -> bool {
        Self::TAKING_FEEDBACK.contains(&self)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LoopStatus::Draft => "draft",
            LoopStatus::Scheduled => "scheduled",
            LoopStatus::InDebrief => "in_debrief",
            LoopStatus::AwaitingDecision => "awaiting_decision",
            LoopStatus::Decided => "decided",
            LoopStatus::Cancelled => "cancelled",
        }
    }

    /// The bar raiser and the panel can be edited only before the debrief.
    pub fn is_editable(self) -> bool {
        matches!(self, LoopStatus::Draft | LoopStatus::Scheduled)
    }

    /// `Ok` when the loop can be edited, else the refusal that says why.
    pub fn check_editable(self) -> Result<(), DomainError> {
        if self.is_editable() {
            Ok(())
        } else {
            Err(DomainError::State {
                code: "loop_not_editable",
                detail: format!("A {} loop cannot be edited.", self.as_str()),
            })
        }
    }

    fn refuse(self, action: &str) -> DomainError {
        DomainError::State {
            code: "invalid_transition",
            detail: format!("A {} loop cannot be {action}.", self.as_str()),
        }
    }

    pub fn schedule(self) -> Result<LoopStatus, DomainError> {
        match self {
            LoopStatus::Draft => Ok(LoopStatus::Scheduled),
            other => Err(other.refuse("scheduled")),
        }
    }

    pub fn open_debrief(self) -> Result<LoopStatus, DomainError> {
        match self {
            LoopStatus::Scheduled => Ok(LoopStatus::InDebrief),
            other => Err(other.refuse("taken into a debrief")),
        }
    }

    pub fn close_debrief(self) -> Result<LoopStatus, DomainError> {
        match self {
            LoopStatus::InDebrief => Ok(LoopStatus::AwaitingDecision),
            other => Err(other.refuse("closed as a debrief")),
        }
    }

    /// More signal (SPEC §11): the bar raiser's close or the hiring manager's
    /// decision sends the loop back for a follow-up interview.
    pub fn ask_more_signal(self) -> Result<LoopStatus, DomainError> {
        match self {
            LoopStatus::InDebrief | LoopStatus::AwaitingDecision => Ok(LoopStatus::Scheduled),
            other => Err(other.refuse("sent back for more signal")),
        }
    }

    pub fn decide(self) -> Result<LoopStatus, DomainError> {
        match self {
            LoopStatus::AwaitingDecision => Ok(LoopStatus::Decided),
            other => Err(other.refuse("decided")),
        }
    }

    /// The debrief is open or was held: its packet and the feedback are shared.
    pub fn debrief_held(self) -> bool {
        matches!(
            self,
            LoopStatus::InDebrief | LoopStatus::AwaitingDecision | LoopStatus::Decided
        )
    }

    /// Whether [`cancel`](Self::cancel) would succeed (pages offer it only then).
    pub fn can_cancel(self) -> bool {
        self.cancel().is_ok()
    }

    pub fn cancel(self) -> Result<LoopStatus, DomainError> {
        match self {
            LoopStatus::Draft | LoopStatus::Scheduled | LoopStatus::InDebrief => {
                Ok(LoopStatus::Cancelled)
            }
            other => Err(other.refuse("cancelled")),
        }
    }
}

impl FromStr for LoopStatus {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, DomainError> {
        LoopStatus::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| DomainError::invalid("status", "is not a loop status"))
    }
}

impl TryFrom<String> for LoopStatus {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, DomainError> {
        s.parse()
    }
}

impl fmt::Display for LoopStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_drafts_are_scheduled() {
        assert_eq!(LoopStatus::Draft.schedule(), Ok(LoopStatus::Scheduled));
        for s in LoopStatus::ALL
            .into_iter()
            .filter(|s| *s != LoopStatus::Draft)
        {
            assert!(s.schedule().is_err(), "{s}");
        }
    }

    #[test]
    fn the_debrief_runs_scheduled_then_in_debrief_then_awaiting_decision_then_decided() {
        assert_eq!(
            LoopStatus::Scheduled.open_debrief(),
            Ok(LoopStatus::InDebrief)
        );
        assert_eq!(
            LoopStatus::InDebrief.close_debrief(),
            Ok(LoopStatus::AwaitingDecision)
        );
        assert_eq!(
            LoopStatus::AwaitingDecision.decide(),
            Ok(LoopStatus::Decided)
        );
        for s in LoopStatus::ALL {
            assert_eq!(s.open_debrief().is_ok(), s == LoopStatus::Scheduled, "{s}");
            assert_eq!(s.close_debrief().is_ok(), s == LoopStatus::InDebrief, "{s}");
            assert_eq!(s.decide().is_ok(), s == LoopStatus::AwaitingDecision, "{s}");
        }
    }

    #[test]
    fn decided_awaiting_and_cancelled_loops_cannot_be_cancelled() {
        for s in [
            LoopStatus::Draft,
            LoopStatus::Scheduled,
            LoopStatus::InDebrief,
        ] {
            assert_eq!(s.cancel(), Ok(LoopStatus::Cancelled));
        }
        for s in [
            LoopStatus::AwaitingDecision,
            LoopStatus::Decided,
            LoopStatus::Cancelled,
        ] {
            assert!(s.cancel().is_err(), "{s}");
        }
    }
}
