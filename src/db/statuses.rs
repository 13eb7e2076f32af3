//! Sets of a loop's statuses, written into the SQL as literals.
//!
//! The partial indexes of migration 000022 carry the same WHERE clauses, and
//! a planner uses a partial index only for a query whose WHERE states it (a
//! bound value would not). One's interviews (`feedback::mine`) filter through
//! the same lists, one statement for both backends.

const TAKING_FEEDBACK: &str = " IN ('scheduled', 'in_debrief')";
const DECIDING: &str = " = 'awaiting_decision'";
const RECRUITING: &str = " IN ('draft', 'scheduled', 'in_debrief', 'awaiting_decision')";
const FEEDBACK_OVER: &str = " IN ('awaiting_decision', 'decided', 'cancelled')";
// A loop's status is scheduled or in debrief: it takes feedback.
diesel::postfix_operator!(TakingFeedback, TAKING_FEEDBACK);
// A loop awaits its hiring manager's decision.
diesel::postfix_operator!(Deciding, DECIDING);
// A loop is open: not decided or cancelled.
diesel::postfix_operator!(Recruiting, RECRUITING);
// A loop's status is past taking feedback: awaiting decision, decided or cancelled.
diesel::postfix_operator!(FeedbackOver, FEEDBACK_OVER);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::LoopStatus;

    /// `status IN ('a', 'b')` (or `= 'a'`) for `statuses`, as the agenda's
    /// queries and the partial indexes write it.
    fn status_clause(statuses: &[LoopStatus]) -> String {
        let names: Vec<String> = statuses
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        match names.as_slice() {
            [one] => format!(" = {one}"),
            _ => format!(" IN ({})", names.join(", ")),
        }
    }

    #[test]
    fn agenda_parts_name_the_statuses_their_pages_show_and_their_indexes_hold() {
        let parts = [
            (
                TAKING_FEEDBACK,
                &LoopStatus::TAKING_FEEDBACK[..],
                "bar_raiser_leading",
            ),
            (
                DECIDING,
                &[LoopStatus::AwaitingDecision][..],
                "hiring_manager_deciding",
            ),
            (RECRUITING, &LoopStatus::OPEN[..], "recruiter_open"),
        ];
        assert_eq!(
            FEEDBACK_OVER,
            status_clause(&[
                LoopStatus::AwaitingDecision,
                LoopStatus::Decided,
                LoopStatus::Cancelled
            ])
        );
        assert!(
            LoopStatus::OPEN
                .iter()
                .all(|s| s.takes_feedback() == LoopStatus::TAKING_FEEDBACK.contains(s))
        );
        for backend in ["sqlite", "postgres"] {
            let path = format!(
                "{}/migrations/{backend}/2026-12-07-000022_agenda_order/up.sql",
                env!("CARGO_MANIFEST_DIR")
            );
            let migration = std::fs::read_to_string(&path).unwrap();
            for (literal, statuses, index) in parts {
                assert_eq!(literal, status_clause(statuses));
                let at = migration.find(&format!("interview_loops_{index}")).unwrap();
                let rest = &migration[at..];
                let statement = &rest[..rest.find(';').unwrap()];
                assert!(
                    statement.ends_with(&format!("WHERE status{literal}")),
                    "{backend}: {statement}"
                );
            }
        }
    }
}
