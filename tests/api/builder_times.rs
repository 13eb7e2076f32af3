//! The builder's times: warnings (never refusals) when the candidate would
//! sit two interviews at once, and a default length that fills an empty end.

use crate::fixtures::{self, Org};
use crate::helpers::spawn_app;
use crate::web_client::WebClient;

/// `hh:mm` UTC on `day()` as the recruiter's Berlin form writes it.
fn berlin_at(hour: u32, minute: u32) -> String {
    use chrono::TimeZone as _;
    let utc = chrono::Utc.from_utc_datetime(&fixtures::day().and_hms_opt(hour, minute, 0).unwrap());
    utc.with_timezone(&chrono_tz::Europe::Berlin)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

#[test]
fn the_builder_warns_when_the_candidate_would_sit_two_interviews_at_once_and_fills_ends_from_the_length()
 {
    let app = spawn_app();
    let org = Org::new(&app);
    // The candidate's first loop: Dana 9:00, Kim 10:00, Lee 11:00 and Ana
    // 13:00 UTC on day(), an hour each.
    org.create_loop(&app);
    let (mut rita, csrf) = WebClient::signed_in(&app, &org.recruiter.email);
    let [own, dive] = org.competencies.map(|c| c.to_string());
    let mut fields: Vec<(String, String)> = vec![
        ("csrf_token".into(), csrf),
        ("requisition_id".into(), org.requisition_id.to_string()),
        ("candidate_id".into(), org.candidate_id.to_string()),
        ("bar_raiser_id".into(), org.br.id.to_string()),
    ];
    // Row 0 at 10:15–10:45 (inside Kim's); row 1 at 10:30 for 45 minutes
    // (no end given: inside row 0, Kim's and Lee's); rows 2 and 3 on their
    // own at 14:00 and 15:00.
    let rows = [
        (org.lee.id, &own, berlin_at(10, 15), Some(berlin_at(10, 45))),
        (org.ana.id, &dive, berlin_at(10, 30), None),
        (
            org.outsider.id,
            &own,
            berlin_at(14, 0),
            Some(berlin_at(15, 0)),
        ),
        (org.br.id, &dive, berlin_at(15, 0), Some(berlin_at(16, 0))),
    ];
    for (i, (who, comp, starts, ends)) in rows.iter().enumerate() {
        let p = |n: &str| format!("interviews[{i}].{n}");
        fields.push((p("interviewer_id"), who.to_string()));
        fields.push((p("competency_ids"), comp.to_string()));
        fields.push((p("starts_at"), starts.clone()));
        fields.push((p("ends_at"), ends.clone().unwrap_or_default()));
        fields.push((p("minutes"), "45".into()));
    }
    fields.push(("action".into(), "refresh".into()));
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let page = rita.post(barraiser::urls::NEW_LOOP, &pairs);
    assert_eq!(page.status, 200, "{}", page.text);
    page.assert_contains(
        "Interview 1, start: the candidate has 1 interview in another loop at an overlapping time",
    );
    page.assert_contains(
        "Interview 2, start: the candidate has interview 1 at an overlapping time",
    );
    page.assert_contains(
        "Interview 2, start: the candidate has 2 interviews in another loop at an overlapping time",
    );
    assert!(
        !page.text.contains("Interview 3, start: the candidate"),
        "row 3 stands alone"
    );
    assert!(
        !page.text.contains("Interview 4, start: the candidate"),
        "row 4 starts as row 3 ends"
    );
    // Row 1's empty end became its start plus 45 minutes, and 45 stays chosen.
    assert!(
        page.text.contains(&format!(
            r#"name="interviews[1].ends_at" value="{}""#,
            berlin_at(11, 15)
        )),
        "{}",
        page.text
    );
    assert!(
        page.text
            .contains(r#"<option value="45" selected>45 minutes</option>"#)
    );
}
