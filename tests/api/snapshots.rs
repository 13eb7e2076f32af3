//! Snapshots (insta) of the bodies that are hard to assert field by field: the
//! debrief packet at the decision, an interview's kit, and the builder's live
//! independence report. What changes from run to run (ids, emails, instants,
//! dates, CSRF tokens) is replaced by the name of what it stands for first,
//! so one snapshot holds on both backends and on any day. A change to one of
//! these bodies shows up as a readable diff (`cargo insta review`, or
//! `INSTA_UPDATE=always cargo test snapshots` to accept it).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::debrief::awaiting_decision;
use crate::fixtures::{Org, interview_of};
use crate::helpers::{TestUser, spawn_app};
use crate::web_client::WebClient;

/// What stands for each id, email and instant in a body.
struct Redactions {
    users: BTreeMap<i64, String>,
    emails: Vec<(String, String)>,
    competencies: BTreeMap<i64, String>,
}

impl Redactions {
    fn new(org: &Org) -> Self {
        let people: [(&TestUser, &str); 10] = [
            (&org.ceo, "ceo"),
            (&org.hm, "hiring-manager"),
            (&org.ola, "ola"),
            (&org.br, "bar-raiser"),
            (&org.kim, "kim"),
            (&org.lee, "lee"),
            (&org.ana, "ana"),
            (&org.recruiter, "recruiter"),
            (&org.other_recruiter, "other-recruiter"),
            (&org.outsider, "outsider"),
        ];
        let [own, dive] = org.competencies;
        Redactions {
            users: people
                .iter()
                .map(|(u, n)| (u.id, format!("[user {n}]")))
                .collect(),
            emails: people
                .iter()
                .map(|(u, n)| (u.email.clone(), format!("[email {n}]")))
                .collect(),
            competencies: [(own, "[ownership]"), (dive, "[dive deep]")]
                .into_iter()
                .map(|(id, n)| (id, n.to_owned()))
                .collect(),
        }
    }

    /// The JSON with ids named, emails named and instants replaced.
    fn json(&self, value: &Value) -> Value {
        self.walk(None, value)
    }

    fn walk(&self, key: Option<&str>, value: &Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), self.walk(Some(k), v)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.walk(key, v)).collect()),
            Value::Number(n) => match (key, n.as_i64()) {
                (Some(k), Some(id)) if is_user_key(k) => {
                    json!(
                        self.users
                            .get(&id)
                            .cloned()
                            .unwrap_or_else(|| "[user]".into())
                    )
                }
                (Some(k), Some(id)) if k.starts_with("competency_id") => {
                    json!(
                        self.competencies
                            .get(&id)
                            .cloned()
                            .unwrap_or_else(|| "[competency]".into())
                    )
                }
                (Some(k), Some(_)) if k == "id" || k.ends_with("_id") || k.ends_with("_ids") => {
                    json!(format!("[{k}]"))
                }
                _ => value.clone(),
            },
            Value::String(s) => match key {
                Some(k) if k.ends_with("_at") || k == "at" => json!("[instant]"),
                _ => json!(self.text(s)),
            },
            _ => value.clone(),
        }
    }

    fn text(&self, s: &str) -> String {
        let mut out = s.to_owned();
        for (email, name) in &self.emails {
            out = out.replace(email, name);
        }
        out
    }
}

fn is_user_key(k: &str) -> bool {
    matches!(
        k,
        "user_id"
            | "interviewer_id"
            | "bar_raiser_id"
            | "hiring_manager_id"
            | "recruiter_id"
            | "author_id"
            | "missing_user_ids"
    ) || k.ends_with("_by_id")
}

#[test]
fn the_debrief_packet_at_the_decision_reads_as_recorded() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = awaiting_decision(&app, &org);
    let d = app.debrief(&lp);
    let decided = d.decide(
        &org.hm,
        json!({"decision": "hire", "rationale": "The team needs her ownership now."}),
    );
    assert_eq!(decided.status, 200, "{}", decided.body);
    let packet = d.packet(&org.hm.token);
    assert_eq!(packet.status, 200, "{}", packet.body);
    let redact = Redactions::new(&org);
    insta::assert_snapshot!(serde_json::to_string_pretty(&redact.json(&packet.body)).unwrap());
}

#[test]
fn an_interview_kit_carries_the_questions_and_anchors_of_its_competencies() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.a_loop().schedule(&app);
    let kit = app.kit(&org.ana.token, interview_of(&lp, &org.ana));
    assert_eq!(kit.status, 200, "{}", kit.body);
    let redact = Redactions::new(&org);
    insta::assert_snapshot!(serde_json::to_string_pretty(&redact.json(&kit.body)).unwrap());
}

#[test]
fn the_builders_live_report_names_each_failing_rule_and_who_would_pass() {
    let app = spawn_app();
    let org = Org::new(&app);
    let (mut rita, csrf) = WebClient::signed_in(&app, &org.recruiter.email);
    let [own, dive] = org.competencies.map(|c| c.to_string());
    let req = org.requisition_id.to_string();
    let cand = org.candidate_id.to_string();
    // Kim as bar raiser: not certified, and reports to the hiring manager.
    let kim = org.kim.id.to_string();
    let panel = [org.kim.id, org.lee.id, org.ana.id].map(|i| i.to_string());
    let mut fields: Vec<(String, String)> = vec![
        ("csrf_token".into(), csrf),
        ("requisition_id".into(), req),
        ("candidate_id".into(), cand),
        ("bar_raiser_id".into(), kim),
    ];
    for (i, who) in panel.iter().enumerate() {
        let p = |n: &str| format!("interviews[{i}].{n}");
        fields.push((p("interviewer_id"), who.clone()));
        let comps = if i % 2 == 0 { &own } else { &dive };
        fields.push((p("competency_ids"), comps.clone()));
        fields.push((
            p("starts_at"),
            format!("{}T1{i}:00", crate::fixtures::date(0)),
        ));
        fields.push((
            p("ends_at"),
            format!("{}T1{i}:45", crate::fixtures::date(0)),
        ));
    }
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let preview = rita.post(barraiser::urls::NEW_LOOP_PREVIEW, &pairs);
    assert_eq!(preview.status, 200, "{}", preview.text);
    let redact = Redactions::new(&org);
    let mut html = redact.text(&preview.text);
    for (id, name) in redact.users.iter().rev() {
        html = html
            .replace(&format!("\"{id}\""), &format!("\"{name}\""))
            .replace(&format!(":{id}\""), &format!(":{name}\""));
    }
    insta::assert_snapshot!(html);
}
