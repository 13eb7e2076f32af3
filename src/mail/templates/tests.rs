//! Every template rendered, subject, text and HTML, as snapshots.

use super::*;
use chrono::TimeZone as _;

#[test]
fn html_escapes_every_value() {
    let r = account_created(
        "<script>alert(1)</script>",
        "a&b@example.com",
        "https://x/?a=1&b=\"2\"",
    );
    assert!(!r.html.contains("<script>"));
    assert!(r.html.contains("&lt;script&gt;"));
    assert!(r.html.contains("a&amp;b@example.com"));
    assert!(
        r.html
            .contains("href=\"https://x/?a=1&amp;b=&quot;2&quot;\"")
    );
    assert!(r.text.contains("<script>"), "plain text stays as written");
}

/// Subject, text and HTML of a message, as one snapshot.
fn whole(r: &Rendered) -> String {
    format!(
        "Subject: {}\n\n--- text ---\n{}\n--- html ---\n{}\n",
        r.subject, r.text, r.html
    )
}

fn berlin() -> crate::domain::TimeZone {
    crate::domain::TimeZone::parse("time_zone", "Europe/Berlin").unwrap()
}

fn notice(bar_raiser: bool) -> InterviewNotice<'static> {
    InterviewNotice {
        interviewer_name: "Dana Lee",
        candidate_name: "Casey Candidate",
        role_title: "Senior Engineer",
        starts_at: Utc.with_ymd_and_hms(2026, 12, 1, 14, 0, 0).unwrap(),
        ends_at: Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap(),
        competencies: vec!["Ownership".into(), "Dive Deep".into()],
        kit_url: "https://hire.example.com/interviews/7",
        zone: berlin(),
        bar_raiser,
    }
}

const ABOUT: LoopAbout<'static> = LoopAbout {
    recipient_name: "Rita Cole",
    candidate_name: "Casey Candidate",
    role_title: "Senior Engineer",
};

#[test]
fn account_messages() {
    insta::assert_snapshot!(
        "account_created",
        whole(&account_created(
            "Kim Park",
            "kim@example.com",
            "https://hire.example.com/login"
        ))
    );
    insta::assert_snapshot!(
        "account_invitation",
        whole(&account_invitation(
            "Kim Park",
            "kim@example.com",
            "https://hire.example.com/password/set?token=abc",
            72
        ))
    );
    insta::assert_snapshot!(
        "password_reset",
        whole(&password_reset(
            "Kim Park",
            "https://hire.example.com/password/set?token=abc",
            60
        ))
    );
}

#[test]
fn interview_messages_name_the_candidate_the_role_and_the_time_in_the_recipients_zone() {
    insta::assert_snapshot!(
        "interview_assigned",
        whole(&interview_assigned(&notice(false)))
    );
    let br = interview_assigned(&notice(true));
    assert!(br.subject.starts_with("Bar raiser: "));
    assert!(br.text.contains("You are the bar raiser of this loop"));
    insta::assert_snapshot!("interview_assigned_bar_raiser", whole(&br));
    insta::assert_snapshot!(
        "interview_cancelled",
        whole(&interview_cancelled(&notice(false)))
    );
}

#[test]
fn a_changed_interview_says_what_changed() {
    let moved = InterviewChange {
        moved_from: Some((
            Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0).unwrap(),
        )),
        competencies_were: None,
    };
    insta::assert_snapshot!(
        "interview_moved",
        whole(&interview_changed(&notice(false), &moved))
    );
    let reassigned = InterviewChange {
        moved_from: None,
        competencies_were: Some(vec!["Ownership".into()]),
    };
    insta::assert_snapshot!(
        "interview_reassigned",
        whole(&interview_changed(&notice(false), &reassigned))
    );
}

#[test]
fn loop_messages() {
    let due = Utc.with_ymd_and_hms(2026, 12, 2, 15, 0, 0).unwrap();
    let first = feedback_reminder(
        &ABOUT,
        due,
        berlin(),
        1,
        "https://hire.example.com/interviews/7",
    );
    assert!(!first.text.contains("copied"));
    insta::assert_snapshot!("feedback_reminder_first", whole(&first));
    let second = feedback_reminder(
        &ABOUT,
        due,
        berlin(),
        2,
        "https://hire.example.com/interviews/7",
    );
    assert!(second.text.contains("copied"));
    insta::assert_snapshot!(
        "debrief_opened",
        whole(&debrief_opened(
            &ABOUT,
            "Dana Lee",
            "https://hire.example.com/loops/3"
        ))
    );
    insta::assert_snapshot!(
        "decision_recorded",
        whole(&decision_recorded(
            &ABOUT,
            "no_hire",
            "https://hire.example.com/loops/3"
        ))
    );
    insta::assert_snapshot!(
        "more_signal_requested",
        whole(&more_signal_requested(
            &ABOUT,
            "Dana Lee",
            &["Ownership".into(), "Dive deep".into()],
            "https://hire.example.com/loops/3/edit"
        ))
    );
    let debrief = DebriefNotice {
        about: ABOUT,
        bar_raiser_name: "Dana Lee",
        starts_at: chrono::Utc.with_ymd_and_hms(2026, 12, 1, 14, 0, 0).unwrap(),
        ends_at: chrono::Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap(),
        zone: berlin(),
        room_url: "https://hire.example.com/loops/3/debrief",
    };
    insta::assert_snapshot!("debrief_proposed", whole(&debrief_proposed(&debrief, None)));
    insta::assert_snapshot!(
        "debrief_moved",
        whole(&debrief_proposed(
            &debrief,
            Some((
                chrono::Utc
                    .with_ymd_and_hms(2026, 11, 30, 14, 0, 0)
                    .unwrap(),
                chrono::Utc
                    .with_ymd_and_hms(2026, 11, 30, 15, 0, 0)
                    .unwrap(),
            ))
        ))
    );
    insta::assert_snapshot!("debrief_cancelled", whole(&debrief_cancelled(&debrief)));
    insta::assert_snapshot!(
        "debrief_reopened",
        whole(&debrief_reopened(
            &ABOUT,
            "https://hire.example.com/loops/3"
        ))
    );
    insta::assert_snapshot!(
        "independence_turned_red",
        whole(&independence_turned_red(
            &ABOUT,
            &["Dana Lee reports directly to Sam Ortiz.".into()],
            "https://hire.example.com/loops/3/edit"
        ))
    );
    insta::assert_snapshot!(
        "independence_restored",
        whole(&independence_restored(
            &ABOUT,
            "https://hire.example.com/loops/3"
        ))
    );
}
