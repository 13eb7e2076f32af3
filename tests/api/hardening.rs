//! What an attacker or a careless client sends: text with control, bidi and
//! non-characters, unknown fields, impossible times, injection into calendar
//! files, parallel password guesses, odd HTTP. Every test runs on both backends.

use barraiser::urls::api;

use crate::client::LoopRef;

use std::sync::{Arc, Barrier};

use serde_json::{Value, json};

use crate::fixtures::Org;
use crate::helpers::{PASSWORD, TestApp, spawn_app};

/// One representative of every character class SPEC §1 refuses, and whether
/// long text (which allows newline and tab) refuses it too.
const REFUSED: &[(&str, &str, bool)] = &[
    ("NUL", "\u{0}", true),
    ("C0 control", "\u{1b}", true),
    ("carriage return", "\r", true),
    ("line feed", "\n", false),
    ("tab", "\t", false),
    ("DEL", "\u{7f}", true),
    ("C1 control", "\u{9b}", true),
    ("right-to-left override", "\u{202e}", true),
    ("left-to-right embedding", "\u{202a}", true),
    ("right-to-left isolate", "\u{2067}", true),
    ("pop directional isolate", "\u{2069}", true),
    ("non-character U+FFFE", "\u{fffe}", true),
    ("non-character U+FFFF", "\u{ffff}", true),
];

/// A free-text field of the API: where it goes and how to put `text` in it.
struct TextField {
    name: &'static str,
    long: bool,
    send: Box<dyn Fn(&str) -> crate::helpers::TestResponse>,
}

fn text_fields(app: &Arc<TestApp>, org: &Arc<Org>) -> Vec<TextField> {
    let lp = org.create_loop(app);
    let loop_id = lp["id"].as_i64().unwrap();
    let comp = org.competencies[0];
    let user_id = org.kim.id;
    let admin = app.admin_token.clone();
    let rec = org.recruiter.token.clone();
    let new_user = |field: &'static str| {
        let (app, admin) = (app.clone(), admin.clone());
        Box::new(move |text: &str| {
            let mut body = json!({"email": "new.person@example.com", "name": "New Person",
                                  "password": PASSWORD, "role": "member"});
            body[field] = json!(text);
            app.post(api::USERS, &admin, body)
        }) as Box<dyn Fn(&str) -> _>
    };
    let new_competency = |field: &'static str| {
        let (app, admin) = (app.clone(), admin.clone());
        Box::new(move |text: &str| {
            let mut body = json!({"key": "test_key", "name": "Name", "description": "Description",
                "anchors": {"1": "a", "2": "b", "3": "c", "4": "d"}, "questions": ["Q?"]});
            match field {
                "anchors.1" => body["anchors"]["1"] = json!(text),
                "questions[0]" => body["questions"][0] = json!(text),
                other => body[other] = json!(text),
            }
            app.post(api::COMPETENCIES, &admin, body)
        }) as Box<dyn Fn(&str) -> _>
    };
    let (a1, a2, a3, a4, a5, r1, r2, r3) = (
        app.clone(),
        app.clone(),
        app.clone(),
        app.clone(),
        app.clone(),
        rec.clone(),
        rec.clone(),
        rec,
    );
    let (ad1, ad2, ad3) = (admin.clone(), admin.clone(), admin.clone());
    vec![
        TextField {
            name: "email",
            long: false,
            send: new_user("email"),
        },
        TextField {
            name: "name",
            long: false,
            send: new_user("name"),
        },
        TextField {
            name: "department",
            long: false,
            send: new_user("department"),
        },
        TextField {
            name: "name",
            long: false,
            send: Box::new(move |t| {
                a1.patch(
                    &format!("/api/v1/users/{user_id}"),
                    &ad1,
                    json!({"name": t}),
                )
            }),
        },
        TextField {
            name: "q",
            long: false,
            send: Box::new(move |t| {
                let q: String = t.bytes().map(|b| format!("%{b:02X}")).collect();
                a2.get(&format!("/api/v1/users?q=Dana{q}"), &ad2)
            }),
        },
        TextField {
            name: "title",
            long: false,
            send: Box::new(move |t| {
                a3.post(
                    api::REQUISITIONS,
                    &r1,
                    json!({"title": t, "hiring_manager_id": user_id, "competency_ids": [comp]}),
                )
            }),
        },
        TextField {
            name: "name",
            long: false,
            send: Box::new(move |t| {
                a4.post(
                    api::CANDIDATES,
                    &r2,
                    json!({"name": t, "email": "c@example.net"}),
                )
            }),
        },
        TextField {
            name: "reason",
            long: false,
            send: Box::new(move |t| {
                a5.post(
                    &api::loop_cancel(loop_id.loop_id()),
                    &r3,
                    json!({"reason": t}),
                )
            }),
        },
        TextField {
            name: "name",
            long: false,
            send: new_competency("name"),
        },
        TextField {
            name: "description",
            long: true,
            send: new_competency("description"),
        },
        TextField {
            name: "anchors.1",
            long: true,
            send: new_competency("anchors.1"),
        },
        TextField {
            name: "questions[0]",
            long: true,
            send: new_competency("questions[0]"),
        },
        TextField {
            name: "description",
            long: true,
            send: {
                let (app, admin) = (app.clone(), ad3);
                Box::new(move |t| {
                    app.patch(
                        &format!("/api/v1/competencies/{comp}"),
                        &admin,
                        json!({"description": t}),
                    )
                })
            },
        },
    ]
}

#[test]
fn every_free_text_field_refuses_every_refused_character_class_with_422_naming_it() {
    let app = Arc::new(spawn_app());
    let org = Arc::new(Org::new(&app));
    for field in text_fields(&app, &org) {
        for (class, ch, refused_in_long) in REFUSED {
            let refused = !field.long || *refused_in_long;
            // In the middle of the text: trimming cannot hide it.
            let text = format!("Dana{ch}Lee");
            if !refused {
                continue; // accepted characters are exercised below, where they are stored
            }
            let res = (field.send)(&text);
            assert_eq!(
                res.status, 422,
                "{} with {class}: expected 422, got {} {}",
                field.name, res.status, res.body
            );
            res.assert_problem(422, "validation_failed");
            assert_eq!(res.fields(), [field.name], "{class}: {}", res.body);
        }
    }
}

#[test]
fn long_text_keeps_newlines_and_tabs_and_every_script_is_stored_exactly_on_both_backends() {
    let app = spawn_app();
    let text = "Zoë Ødegård 李小龍 محمد‌رضا 👩‍💻 \"quoted\"; semi, comma \\ back";
    let user = app.user_with(json!({"name": text, "department": text}));
    let me = app.me(&user.token);
    assert_eq!(me.body["name"], text);
    assert_eq!(me.body["department"], text);
    let description = "First line\n\tindented second line\nthird: ünïcödé";
    let res = app.post(
        api::COMPETENCIES,
        &app.admin_token,
        json!({"key": "exact_text", "name": text, "description": description,
               "anchors": {"1": "a\nb", "2": "b", "3": "c", "4": "d"}, "questions": ["One?\nTwo?"]}),
    );
    assert_eq!(res.status, 201, "{}", res.body);
    let again = app.get(
        &format!("/api/v1/competencies/{}", res.body["id"]),
        &app.admin_token,
    );
    assert_eq!(again.body["name"], text);
    assert_eq!(again.body["description"], description);
    assert_eq!(again.body["anchors"]["1"], "a\nb");
    assert_eq!(again.body["questions"][0], "One?\nTwo?");
}

#[test]
fn the_spoofed_name_zero_width_characters_and_non_characters_are_refused_in_names() {
    let app = spawn_app();
    for name in [
        "Dana \u{202e}eeL",
        "Dana\u{200b}Lee",
        "Dana\u{feff}Lee",
        "Dana\u{fdd0}Lee",
        "Dana\u{10ffff}",
    ] {
        let res = app.post(
            api::USERS,
            &app.admin_token,
            json!({"email": "x@example.com", "name": name, "password": PASSWORD, "role": "member"}),
        );
        res.assert_problem(422, "validation_failed");
        assert_eq!(res.fields(), ["name"], "{name:?}");
    }
}

#[test]
fn a_nul_byte_at_sign_in_is_a_wrong_email_and_never_reaches_the_database() {
    let app = spawn_app();
    for email in [
        "admin@example.com\u{0}",
        "\u{0}",
        "adm\u{202e}in@example.com",
    ] {
        app.try_login(email, "whatever-password")
            .assert_problem(401, "invalid_credentials");
    }
    // The search box too: a NUL is refused before any query runs.
    let res = app.get("/api/v1/users?q=%00", &app.admin_token);
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.fields(), ["q"]);
}

#[test]
fn a_422_lists_every_field_problem_of_the_request_at_once() {
    let app = spawn_app();
    let res = app.post(
        api::USERS,
        &app.admin_token,
        json!({"email": "not-an-email", "name": " ", "password": "short", "role": "owner",
               "department": "Pay\u{0}ments"}),
    );
    res.assert_problem(422, "validation_failed");
    let mut fields = res.fields();
    fields.sort();
    assert_eq!(fields, ["department", "email", "name", "password", "role"]);

    let org = Org::new(&app);
    let res = app.post(
        api::REQUISITIONS,
        &org.recruiter.token,
        json!({"title": "", "hiring_manager_id": 1, "competency_ids": [], "min_panel_size": 99}),
    );
    let mut fields = res.fields();
    fields.sort();
    assert_eq!(fields, ["competency_ids", "min_panel_size", "title"]);

    // References are checked together as well.
    let res = app.post(
        api::REQUISITIONS,
        &org.recruiter.token,
        json!({"title": "Staff Engineer", "hiring_manager_id": 999999,
               "recruiter_id": org.kim.id, "competency_ids": [999998, 999999]}),
    );
    res.assert_problem(422, "validation_failed");
    assert_eq!(
        res.fields(),
        [
            "hiring_manager_id",
            "recruiter_id",
            "competency_ids",
            "competency_ids"
        ]
    );

    let mut body = org.loop_body();
    body["feedback_window_hours"] = json!(0);
    body["interviews"][1]["starts_at"] = json!("9999-12-31T22:00:00-12:00");
    body["interviews"][2]["competency_ids"] = json!([]);
    let res = app.post(api::LOOPS, &org.recruiter.token, body);
    res.assert_problem(422, "validation_failed");
    assert_eq!(
        res.fields(),
        [
            "feedback_window_hours",
            "interviews[1].starts_at",
            "interviews[2].competency_ids"
        ]
    );
}

#[test]
fn unknown_members_of_any_json_body_are_refused_by_name() {
    let app = spawn_app();
    let org = Org::new(&app);
    let mut body = org.loop_body();
    body["bar_raiser"] = json!(org.br.id);
    body["interviews"][2]["notes"] = json!("x");
    let res = app.post(api::LOOPS, &org.recruiter.token, body);
    res.assert_problem(422, "validation_failed");
    // Named in the order they stand in the body (`bar_raiser` was added last).
    assert_eq!(res.fields(), ["interviews[2].notes", "bar_raiser"]);
    for (path, token, body) in [
        (
            api::LOGIN,
            None,
            json!({"email": "a@b.c", "password": "x", "remember": true}),
        ),
        (
            api::CANDIDATES,
            Some(&org.recruiter.token),
            json!({"name": "C", "email": "c@example.com", "referrer_id": 1}),
        ),
        (
            api::USERS,
            Some(&app.admin_token),
            json!({"email": "n@example.com", "name": "N", "password": PASSWORD, "role": "member", "bar_raiser": "certified"}),
        ),
    ] {
        let res = app.request("POST", path, token.map(|t| t.as_str()), Some(&body));
        res.assert_problem(422, "validation_failed");
        assert_eq!(res.fields().len(), 1, "{path}: {}", res.body);
    }
}

/// Fires `n` sign-ins at once (all released by one barrier) across `apps`,
/// returning the statuses.
fn parallel_logins(apps: &[&TestApp], email: &str, passwords: Vec<String>) -> Vec<u16> {
    let barrier = Arc::new(Barrier::new(passwords.len()));
    std::thread::scope(|s| {
        let handles: Vec<_> = passwords
            .into_iter()
            .enumerate()
            .map(|(i, password)| {
                let app = apps[i % apps.len()];
                let barrier = barrier.clone();
                s.spawn(move || {
                    barrier.wait();
                    app.try_login(email, &password).status
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

#[test]
fn sixty_parallel_guesses_on_two_instances_get_at_most_ten_password_checks() {
    let app = spawn_app();
    let second = TestApp::start(app.db.clone(), app.settings.clone());
    let dana = app.user("member", "Dana Lee");
    let guesses: Vec<String> = (0..60).map(|i| format!("wrong-guess-{i:04}")).collect();
    let statuses = parallel_logins(&[&app, &second], &dana.email, guesses);
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(
        (checked, refused),
        (10, 50),
        "ten checks, the rest refused: {statuses:?}"
    );
    // The right password now waits out the window too.
    app.try_login(&dana.email, PASSWORD)
        .assert_problem(429, "too_many_attempts");
    second.stop_sharing_db(); // `app` removes the database
}

#[test]
fn the_right_password_among_sixty_parallel_guesses_does_not_reset_the_budget() {
    let app = spawn_app();
    let dana = app.user("member", "Dana Lee");
    let mut guesses: Vec<String> = (0..59).map(|i| format!("wrong-guess-{i:04}")).collect();
    guesses.insert(3, PASSWORD.to_owned());
    let statuses = parallel_logins(&[&app], &dana.email, guesses);
    let failed = statuses.iter().filter(|s| **s == 401).count();
    assert!(failed <= 10, "at most ten failing checks: {statuses:?}");
    assert!(statuses.iter().filter(|s| **s == 200).count() <= 1);
    // A success gives back only its own check: the failures still count.
    let more: Vec<u16> = (0..12)
        .map(|i| app.try_login(&dana.email, &format!("later-{i}")).status)
        .collect();
    let total_failed = failed + more.iter().filter(|s| **s == 401).count();
    assert_eq!(total_failed, 10, "{statuses:?} then {more:?}");
}

#[test]
fn the_current_password_check_of_a_password_change_shares_the_sign_in_budget() {
    let app = spawn_app();
    let dana = app.user("member", "Dana Lee");
    let statuses: Vec<u16> = (0..12)
        .map(|i| {
            app.post(
                api::ME_PASSWORD,
                &dana.token,
                json!({"current_password": format!("wrong-{i}"), "new_password": "a-brand-new-password"}),
            )
            .status
        })
        .collect();
    assert_eq!(&statuses[..10], [422; 10]);
    assert_eq!(&statuses[10..], [429; 2]);
    app.try_login(&dana.email, PASSWORD)
        .assert_problem(429, "too_many_attempts");
    let res = app.post(
        api::ME_PASSWORD,
        &dana.token,
        json!({"current_password": PASSWORD, "new_password": "a-brand-new-password"}),
    );
    res.assert_problem(429, "too_many_attempts");
    assert!(res.header("retry-after").unwrap().parse::<u64>().unwrap() > 0);
}

#[test]
fn reactivating_a_user_does_not_bring_back_their_old_tokens() {
    let app = spawn_app();
    let dana = app.user("member", "Dana Lee");
    let path = format!("/api/v1/users/{}", dana.id);
    assert_eq!(app.me(&dana.token).status, 200);
    assert_eq!(
        app.patch(&path, &app.admin_token, json!({"active": false}))
            .status,
        200
    );
    app.me(&dana.token).assert_problem(401, "invalid_token");
    assert_eq!(
        app.patch(&path, &app.admin_token, json!({"active": true}))
            .status,
        200
    );
    app.me(&dana.token).assert_problem(401, "invalid_token");
    let fresh = app.login(&dana.email, PASSWORD);
    assert_eq!(app.me(&fresh).status, 200);
}

/// Deterministic pseudo-random numbers for the property test.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

/// An RFC 3339 time in [2000, 2099] with a random offset and precision.
fn random_time(rng: &mut XorShift) -> (String, String) {
    use chrono::{FixedOffset, SecondsFormat, TimeZone, Utc};
    let start = Utc
        .with_ymd_and_hms(2000, 1, 2, 0, 0, 0)
        .unwrap()
        .timestamp();
    let end = Utc
        .with_ymd_and_hms(2099, 12, 30, 0, 0, 0)
        .unwrap()
        .timestamp();
    let secs = start + rng.next((end - start) as u64) as i64;
    let micros = [0, rng.next(1000) * 1000, rng.next(1_000_000)][rng.next(3) as usize] as u32;
    let offset = FixedOffset::east_opt((rng.next(26 * 4 + 1) as i32 - 48) * 15 * 60).unwrap();
    let starts = offset.timestamp_opt(secs, micros * 1000).unwrap();
    let ends = starts + chrono::TimeDelta::minutes(45 + rng.next(60) as i64);
    (
        starts.to_rfc3339_opts(SecondsFormat::AutoSi, rng.next(2) == 0),
        ends.to_rfc3339_opts(SecondsFormat::AutoSi, false),
    )
}

fn timestamps(loop_json: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for key in ["created_at", "updated_at"] {
        out.push(loop_json[key].as_str().unwrap().to_owned());
    }
    for i in loop_json["interviews"].as_array().unwrap() {
        for key in ["starts_at", "ends_at", "feedback_due_at"] {
            out.push(i[key].as_str().unwrap().to_owned());
        }
    }
    out
}

#[test]
fn every_timestamp_the_api_returns_parses_back_through_the_api() {
    let app = spawn_app();
    let org = Org::new(&app);
    let lp = org.create_loop(&app);
    let path = api::loop_(lp["id"].loop_id());
    let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
    for round in 0..8 {
        let mut interviews: Vec<Value> = lp["interviews"].as_array().unwrap().clone();
        for i in &mut interviews {
            let (starts, ends) = random_time(&mut rng);
            *i = json!({"interviewer_id": i["interviewer_id"], "competency_ids": i["competency_ids"],
                        "starts_at": starts, "ends_at": ends});
        }
        let edited = app.patch(
            &path,
            &org.recruiter.token,
            json!({"interviews": interviews}),
        );
        assert_eq!(edited.status, 200, "round {round}: {}", edited.body);
        // Send back exactly what came out, keeping each interview by id.
        let echoed: Vec<Value> = edited.body["interviews"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                json!({"id": i["id"], "interviewer_id": i["interviewer_id"],
                            "competency_ids": i["competency_ids"],
                            "starts_at": i["starts_at"], "ends_at": i["ends_at"]})
            })
            .collect();
        let again = app.patch(&path, &org.recruiter.token, json!({"interviews": echoed}));
        assert_eq!(again.status, 200, "round {round}: {}", again.body);
        for (a, b) in edited.body["interviews"]
            .as_array()
            .unwrap()
            .iter()
            .zip(again.body["interviews"].as_array().unwrap())
        {
            assert_eq!(a["starts_at"], b["starts_at"]);
            assert_eq!(a["ends_at"], b["ends_at"]);
        }
        for t in timestamps(&again.body) {
            let parsed = chrono::DateTime::parse_from_rfc3339(&t)
                .unwrap_or_else(|e| panic!("{t} is not RFC 3339: {e}"));
            assert_eq!(parsed.offset().local_minus_utc(), 0, "{t} is UTC");
        }
    }
    // The impossible time from the report is refused, not stored.
    let mut interviews = org.panel();
    interviews[0]["starts_at"] = json!("9999-12-31T22:00:00-12:00");
    interviews[0]["ends_at"] = json!("9999-12-31T23:00:00-12:00");
    let res = app.patch(
        &path,
        &org.recruiter.token,
        json!({"interviews": interviews}),
    );
    res.assert_problem(422, "validation_failed");
    assert_eq!(
        res.fields(),
        ["interviews[0].starts_at", "interviews[0].ends_at"]
    );
}

/// RFC 6868 parameter-value decoding: `^n` newline, `^'` DQUOTE, `^^` caret.
fn decode_param(raw: &str) -> String {
    let inner = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(raw);
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '^' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('\'') => out.push('"'),
                Some('^') => out.push('^'),
                Some(other) => {
                    out.push('^');
                    out.push(other)
                }
                None => out.push('^'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn names_and_titles_cannot_add_a_calendar_property_or_parameter() {
    let app = spawn_app();
    let org = Org::new(&app);
    let eve = "Eve\";ROLE=CHAIR;X-INJ=\"1";
    let res = app.update_user(org.ana.id, json!({"name": eve}));
    assert_eq!(res.status, 200, "{}", res.body);
    let title = "Staff; Engineer, \"Payments\" \\ SUMMARY:x";
    let req = app.post(
        api::REQUISITIONS,
        &org.recruiter.token,
        json!({"title": title, "hiring_manager_id": org.hm.id, "competency_ids": org.competencies}),
    );
    assert_eq!(req.status, 201, "{}", req.body);
    let mut body = org.loop_body();
    body["requisition_id"] = req.body["id"].clone();
    let lp = org.create_loop_with(&app, body);
    let res = app.post(
        &api::loop_schedule(lp["id"].loop_id()),
        &org.recruiter.token,
        json!({}),
    );
    assert_eq!(res.status, 200, "{}", res.body);

    let invitation_to_ana = || {
        app.mail_files(1).into_iter().find_map(|raw| {
            let m = mail_parser::MessageParser::default().parse(&raw)?;
            let to = m.to()?.first()?.address()?.to_owned();
            let part = m.attachments().next()?;
            (to == org.ana.email).then(|| String::from_utf8(part.contents().to_vec()).unwrap())
        })
    };
    crate::smtp::wait_until(std::time::Duration::from_secs(30), || {
        invitation_to_ana().is_some()
    });
    let ics = invitation_to_ana().unwrap();
    assert!(!ics.replace("\r\n", "").contains('\r'), "no raw CR");
    let unfolded = icalendar::parser::unfold(&ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("valid iCalendar");
    let event = calendar
        .components
        .iter()
        .find(|c| c.name == "VEVENT")
        .unwrap();
    let names: Vec<&str> = event.properties.iter().map(|p| p.name.as_str()).collect();
    assert!(!names.iter().any(|n| n.starts_with("X-")), "{names:?}");
    let attendee = event
        .properties
        .iter()
        .find(|p| p.name == "ATTENDEE")
        .unwrap();
    let mut params: Vec<(String, String)> = attendee
        .params
        .iter()
        .map(|p| {
            (
                p.key.to_string(),
                p.val.as_ref().map(|v| v.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    params.sort();
    assert_eq!(
        params.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
        ["CN", "ROLE", "RSVP"],
        "{ics}"
    );
    assert_eq!(decode_param(&params[0].1), eve);
    assert_eq!(params[1].1, "REQ-PARTICIPANT");
    assert_eq!(params[2].1, "TRUE");
    assert_eq!(
        attendee.val.to_string(),
        format!("mailto:{}", org.ana.email)
    );
    let summary = event
        .properties
        .iter()
        .find(|p| p.name == "SUMMARY")
        .unwrap();
    let unescaped = summary
        .val
        .to_string()
        .replace("\\;", ";")
        .replace("\\,", ",")
        .replace("\\\\", "\\");
    assert!(unescaped.ends_with(title), "{unescaped}");
}

#[test]
fn methods_media_types_bearer_scheme_and_caching_follow_http() {
    let app = spawn_app();
    let res = app.request("DELETE", api::USERS, Some(&app.admin_token), None);
    res.assert_problem(405, "method_not_allowed");
    assert_eq!(res.header("allow"), Some("GET, POST"));
    let res = app.request("POST", "/healthz", None, Some(&json!({})));
    assert_eq!(res.header("allow"), Some("GET"));

    let body = br#"{"email":"admin@example.com","password":"x"}"#;
    for ct in [
        "text/json",
        "application/json; charset=utf-16",
        "text/plain",
    ] {
        app.raw("POST", api::LOGIN, None, Some(body), Some(ct))
            .assert_problem(415, "unsupported_media_type");
    }
    let ok = app.raw(
        "POST",
        api::LOGIN,
        None,
        Some(body),
        Some("application/json; charset=UTF-8"),
    );
    ok.assert_problem(401, "invalid_credentials");

    for scheme in ["bearer", "BEARER", "Bearer"] {
        let status = ureq_status(&app, api::ME, &format!("{scheme} {}", app.admin_token));
        assert_eq!(status, 200, "{scheme}");
    }

    for path in ["/healthz", "/readyz", "/nowhere", api::ME] {
        let res = app.request("GET", path, None, None);
        assert_eq!(res.header("cache-control"), Some("no-store"), "{path}");
    }
}

fn ureq_status(app: &TestApp, path: &str, authorization: &str) -> u16 {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    agent
        .get(app.url(path))
        .header("Authorization", authorization)
        .call()
        .unwrap()
        .status()
        .as_u16()
}
