//! `barraiser demo`: a realistic organisation to explore — 33 people in four
//! departments with reporting chains, five certified bar raisers and one in
//! training, two recruiters, three requisitions, and loops in every state
//! with feedback written as interviewers write it. Everything goes through
//! the same services as the API, so the demo obeys every rule. Seeding twice
//! changes nothing: the second run finds the demo's people and stops.

use std::collections::HashMap;

use crate::auth::hash_now;
use crate::db::users::{self, User};
use crate::db::{Db, competencies};
use crate::domain::{BarRaiserStatus, Email, OneLine, PersonName, Role, UserId};
use crate::services::hiring::requisitions::{self, NewRole};
use crate::services::people::{self, NewAccount};

mod data;
mod evidence;
mod org;
mod stories;

use data::*;
use org::Org;

/// Every demo person signs in with this password.
pub const PASSWORD: &str = "demo-password-1";
const DOMAIN: &str = "demo.barraiser.test";

/// Who was seeded, for printing the personas.
pub struct Seeded {
    pub loops: usize,
}

/// Seeds the demo organisation unless it is already there.
pub async fn seed(db: &Db, public_url: &str) -> anyhow::Result<Option<Seeded>> {
    let first = format!("{}@{DOMAIN}", PEOPLE[0].0);
    let exists = db
        .run(move |c| Ok(users::credentials(c, &first)?.is_some()))
        .await?;
    if exists {
        return Ok(None);
    }
    let url = public_url.to_owned();
    let links = db
        .run(move |c| Ok(crate::process::bootstrap::links(c, &url)?))
        .await?;
    let hash = hash_now(PASSWORD)?;
    let mut people: HashMap<&'static str, User> = HashMap::new();
    for (handle, name, role, manager, department) in PEOPLE {
        let account = NewAccount {
            email: Email::parse("email", &format!("{handle}@{DOMAIN}"))?,
            name: PersonName::parse("name", name)?,
            role: role.parse::<Role>()?,
            manager_id: manager.map(|m| UserId(people[m].id)),
            department: OneLine::parse_optional("department", *department, 200)?,
        };
        let (hash, links) = (hash.clone(), links.clone());
        let user = db
            .write(move |c| people::create_account(c, &account, &hash, &links, None))
            .await?;
        people.insert(handle, user);
    }
    let admin = people["ola"].clone();
    for handle in CERTIFIED {
        let user = people::set_bar_raiser(
            db,
            &links,
            &admin,
            UserId(people[handle].id),
            BarRaiserStatus::Certified,
        )
        .await?;
        people.insert(handle, user);
    }
    people::set_bar_raiser(
        db,
        &links,
        &admin,
        UserId(people[IN_TRAINING].id),
        BarRaiserStatus::InTraining,
    )
    .await?;
    let competency: HashMap<String, i64> = db
        .run(|c| Ok(competencies::list(c, Some(true), None, 200)?))
        .await?
        .into_iter()
        .map(|c| (c.key, c.id))
        .collect();
    let org = Org {
        db: db.clone(),
        links: links.clone(),
        people,
        competency,
    };

    // Three requisitions.
    let role = |title: &str, hm: &str, keys: &[&str]| NewRole {
        title: OneLine::parse("title", title, 200).expect("a valid demo title"),
        hiring_manager_id: org.id(hm),
        recruiter_id: None,
        competency_ids: keys.iter().map(|k| org.comp(k)).collect(),
        min_panel_size: 4,
    };
    let backend = requisitions::create(
        db,
        org.user("rita"),
        role(
            "Senior Backend Engineer, Payments",
            "tom",
            &["ownership", "dive_deep", "customer_obsession"],
        ),
    )
    .await?
    .requisition
    .id;
    let manager = requisitions::create(
        db,
        org.user("leo"),
        role(
            "Engineering Manager, Logistics",
            "kwame",
            &["hire_and_develop_the_best", "earn_trust", "deliver_results"],
        ),
    )
    .await?
    .requisition
    .id;
    let product = requisitions::create(
        db,
        org.user("rita"),
        role(
            "Product Engineer, Growth",
            "daniel",
            &[
                "customer_obsession",
                "invent_and_simplify",
                "bias_for_action",
            ],
        ),
    )
    .await?
    .requisition
    .id;

    let loops = stories::seed_loops(db, &org, [backend, manager, product]).await?;
    Ok(Some(Seeded { loops }))
}

/// The personas: who they are in the demo, and their handle.
const PERSONAS: &[(&str, &str)] = &[
    ("admin (people, roster, library, outbox)", "ola"),
    ("recruiter (loops, candidates, requisitions)", "rita"),
    ("recruiter", "leo"),
    ("bar raiser with a debrief open", "arjun"),
    ("bar raiser, red report after a reorg", "zara"),
    ("hiring manager awaiting a decision", "kwame"),
    ("hiring manager who decided against the composite", "daniel"),
    ("interviewer whose feedback is overdue (draft)", "chloe"),
    ("interviewer with nothing written yet", "ravi"),
    ("interviewer with an upcoming interview", "tariq"),
];

/// How to sign in as each persona, for people.
pub fn personas(public_url: &str) -> String {
    let mut out = format!(
        "\nbarraiser demo: every person's password is {PASSWORD}\n\
         Sign in at {public_url}/login in a browser; the API signs in with POST {public_url}/api/v1/auth/login {{\"email\", \"password\"}} (reference: {public_url}/docs)\n\n"
    );
    for (who, handle) in PERSONAS {
        out.push_str(&format!("  {who:<50} {handle}@{DOMAIN}\n"));
    }
    out
}

/// The same as one JSON line, for `LOG_FORMAT=json`.
pub fn personas_json(public_url: &str) -> String {
    let personas: Vec<serde_json::Value> = PERSONAS
        .iter()
        .map(|(who, handle)| serde_json::json!({ "who": who, "email": format!("{handle}@{DOMAIN}") }))
        .collect();
    serde_json::json!({
        "level": "INFO",
        "message": "barraiser demo personas",
        "password": PASSWORD,
        "sign_in": format!("{public_url}/login"),
        "api_sign_in": format!("{public_url}/api/v1/auth/login"),
        "personas": personas,
    })
    .to_string()
}
