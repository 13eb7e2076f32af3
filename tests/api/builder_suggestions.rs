//! "Use X" from the suggested bar raisers is one action: the suggestion takes
//! the replaced bar raiser's panel row, so the report turns green.

use barraiser::urls;

use crate::fixtures::Org;
use crate::helpers::spawn_app;
use crate::web_client::WebClient;

#[test]
fn using_a_suggested_bar_raiser_seats_them_in_the_replaced_bar_raisers_row() {
    let app = spawn_app();
    let org = Org::new(&app);
    let (mut rita, csrf) = WebClient::signed_in(&app, &org.recruiter.email);
    let [own, dive] = org.competencies.map(|c| c.to_string());
    // Kim (not certified, under the hiring manager) is the bar raiser and
    // interviews in row 0; Dana, the suggestion, is not on the panel.
    let panel = [org.kim.id, org.lee.id, org.ana.id, org.outsider.id].map(|i| i.to_string());
    let mut fields: Vec<(String, String)> = vec![
        ("csrf_token".into(), csrf.clone()),
        ("requisition_id".into(), org.requisition_id.to_string()),
        ("candidate_id".into(), org.candidate_id.to_string()),
        ("bar_raiser_id".into(), org.kim.id.to_string()),
    ];
    for (i, who) in panel.iter().enumerate() {
        let p = |n: &str| format!("interviews[{i}].{n}");
        fields.push((p("interviewer_id"), who.clone()));
        fields.push((
            p("competency_ids"),
            if i % 2 == 0 {
                own.clone()
            } else {
                dive.clone()
            },
        ));
        fields.push((
            p("starts_at"),
            crate::fixtures::date(i as i64 + 1) + "T10:00",
        ));
        fields.push((p("ends_at"), crate::fixtures::date(i as i64 + 1) + "T11:00"));
    }
    fields.push(("action".into(), format!("bar_raiser:{}", org.br.id)));
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let picked = rita.post(urls::NEW_LOOP, &pairs);
    assert_eq!(picked.status, 200, "{}", picked.text);
    picked.assert_contains("All rules pass");
    // Row 0 now names Dana as its interviewer.
    let row0 = picked
        .text
        .split(r#"name="interviews[0].interviewer_id""#)
        .nth(1)
        .and_then(|rest| rest.split("</select>").next())
        .unwrap_or_default();
    assert!(
        row0.contains(&format!(r#"value="{}" selected"#, org.br.id)),
        "Dana takes Kim's row: {row0}"
    );
}
