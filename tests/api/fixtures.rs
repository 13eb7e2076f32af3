//! A small organisation, built through the API, for loop tests:
//!
//! ```text
//! Ceo Vance ─┬─ Sam Ortiz (hiring manager) ── Kim Park, Lee Chan (interviewers)
//!            └─ Ola Berg ── Dana Lee (certified bar raiser), Ana Ruiz (interviewer)
//! Rita Cole (recruiter), Otto Quinn (member, no part in anything), Rob Hale (another recruiter)
//! ```

use barraiser::urls::api;

use serde_json::{Value, json};

use crate::helpers::{TestApp, TestUser};

pub struct Org {
    pub ceo: TestUser,
    pub hm: TestUser,
    pub ola: TestUser,
    pub br: TestUser,
    pub kim: TestUser,
    pub lee: TestUser,
    pub ana: TestUser,
    pub recruiter: TestUser,
    pub other_recruiter: TestUser,
    pub outsider: TestUser,
    /// Ownership and Dive Deep: what the requisition requires.
    pub competencies: [i64; 2],
    pub requisition_id: i64,
    pub candidate_id: i64,
}

/// The day the fixtures' future interviews fall on: four weeks from the day
/// the test runs (UTC), so that "upcoming" stays upcoming whenever it runs.
pub fn day() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::TimeDelta::days(28)).date_naive()
}

/// `day() + days` as `YYYY-MM-DD`.
pub fn date(days: i64) -> String {
    (day() + chrono::TimeDelta::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// `hour` o'clock UTC on `day()`, as the API writes it.
pub fn at(hour: u32) -> String {
    format!("{}T{hour:02}:00:00Z", date(0))
}

/// `hour` o'clock UTC `days` after `day()`, as iCalendar writes it (`DTSTART`).
pub fn ics_stamp(days: i64, hour: u32) -> String {
    format!("{}T{hour:02}0000Z", date(days).replace('-', ""))
}

fn competency_id(app: &TestApp, key: &str) -> i64 {
    let list = app.get("/api/v1/competencies?limit=200", &app.admin_token);
    list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

impl Org {
    pub fn new(app: &TestApp) -> Org {
        let ceo = app.user("member", "Ceo Vance");
        let hm = app.user_with(
            json!({"name": "Sam Ortiz", "manager_id": ceo.id, "department": "Payments"}),
        );
        let ola = app.user_with(
            json!({"name": "Ola Berg", "manager_id": ceo.id, "department": "Logistics"}),
        );
        let br = app.user_with(
            json!({"name": "Dana Lee", "manager_id": ola.id, "department": "Logistics"}),
        );
        let kim = app.user_with(json!({"name": "Kim Park", "manager_id": hm.id}));
        let lee = app.user_with(json!({"name": "Lee Chan", "manager_id": hm.id}));
        let ana = app.user_with(json!({"name": "Ana Ruiz", "manager_id": ola.id}));
        let recruiter = app.user("recruiter", "Rita Cole");
        let other_recruiter = app.user("recruiter", "Rob Hale");
        let outsider = app.user("member", "Otto Quinn");
        app.certify(br.id);
        let competencies = [
            competency_id(app, "ownership"),
            competency_id(app, "dive_deep"),
        ];
        let req = app.post(
            api::REQUISITIONS,
            &recruiter.token,
            json!({"title": "Senior Engineer", "hiring_manager_id": hm.id, "competency_ids": competencies, "min_panel_size": 4}),
        );
        assert_eq!(req.status, 201, "{}", req.body);
        let cand = app.post(
            api::CANDIDATES,
            &recruiter.token,
            json!({"name": "Casey Candidate", "email": "casey@example.net"}),
        );
        assert_eq!(cand.status, 201, "{}", cand.body);
        Org {
            ceo,
            hm,
            ola,
            br,
            kim,
            lee,
            ana,
            recruiter,
            other_recruiter,
            outsider,
            competencies,
            requisition_id: req.body["id"].as_i64().unwrap(),
            candidate_id: cand.body["id"].as_i64().unwrap(),
        }
    }

    /// Another candidate of the recruiter's (one candidate has one open loop
    /// per requisition).
    #[track_caller]
    pub fn another_candidate(&self, app: &TestApp, name: &str) -> i64 {
        let res = app.post(
            api::CANDIDATES,
            &self.recruiter.token,
            json!({"name": name, "email": format!("{}@example.net", name.to_lowercase().replace(' ', "."))}),
        );
        assert_eq!(res.status, 201, "{}", res.body);
        res.body["id"].as_i64().unwrap()
    }

    /// The body of a green loop for another candidate.
    #[track_caller]
    pub fn loop_body_for(&self, app: &TestApp, name: &str) -> Value {
        self.a_loop().for_new_candidate(app, name).body()
    }

    /// One interview entry.
    pub fn interview(&self, interviewer: &TestUser, competencies: &[i64], hour: u32) -> Value {
        json!({"interviewer_id": interviewer.id, "competency_ids": competencies, "starts_at": at(hour), "ends_at": at(hour + 1)})
    }

    /// A panel that passes every rule: the bar raiser and three interviewers.
    pub fn panel(&self) -> Vec<Value> {
        let [own, dive] = self.competencies;
        vec![
            self.interview(&self.br, &[own], 9),
            self.interview(&self.kim, &[dive], 10),
            self.interview(&self.lee, &[own], 11),
            self.interview(&self.ana, &[dive], 13),
        ]
    }

    pub fn loop_body(&self) -> Value {
        json!({
            "requisition_id": self.requisition_id,
            "candidate_id": self.candidate_id,
            "bar_raiser_id": self.br.id,
            "interviews": self.panel(),
        })
    }

    /// Creates a loop (as the recruiter) with `body`; asserts 201.
    #[track_caller]
    pub fn create_loop_with(&self, app: &TestApp, body: Value) -> Value {
        app.create_loop(&self.recruiter, body)
    }

    #[track_caller]
    pub fn create_loop(&self, app: &TestApp) -> Value {
        self.create_loop_with(app, self.loop_body())
    }

    /// A green loop's body whose interviews start at `base`, one an hour
    /// (Dana, Kim, Lee, Ana), each 45 minutes long.
    pub fn loop_body_at(&self, base: chrono::DateTime<chrono::Utc>) -> Value {
        let [own, dive] = self.competencies;
        let slot = |who: &TestUser, comps: &[i64], n: i64| {
            let starts = base + chrono::TimeDelta::hours(n);
            let ends = starts + chrono::TimeDelta::minutes(45);
            json!({"interviewer_id": who.id, "competency_ids": comps,
                   "starts_at": starts.to_rfc3339(), "ends_at": ends.to_rfc3339()})
        };
        json!({
            "requisition_id": self.requisition_id,
            "candidate_id": self.candidate_id,
            "bar_raiser_id": self.br.id,
            "interviews": [
                slot(&self.br, &[own], 0),
                slot(&self.kim, &[dive], 1),
                slot(&self.lee, &[own], 2),
                slot(&self.ana, &[own, dive], 3),
            ],
        })
    }

    /// A loop to build: the green defaults (this organisation's requisition
    /// and candidate, Dana as bar raiser, the four-person panel on `day()`),
    /// changed only where a test says so.
    pub fn a_loop(&self) -> LoopSpec<'_> {
        LoopSpec {
            org: self,
            body: self.loop_body(),
        }
    }

    /// Creates and schedules a loop from `body`.
    #[track_caller]
    pub fn scheduled_loop_with(&self, app: &TestApp, body: Value) -> Value {
        let lp = app.create_loop(&self.recruiter, body);
        let res = app.schedule(&self.recruiter, &lp["id"]);
        assert_eq!(res.status, 200, "{}", res.body);
        res.body
    }

    /// Creates and schedules a green loop.
    #[track_caller]
    pub fn scheduled_loop(&self, app: &TestApp) -> Value {
        let lp = self.create_loop(app);
        let res = app.schedule(&self.recruiter, &lp["id"]);
        assert_eq!(res.status, 200, "{}", res.body);
        res.body
    }
}

/// A loop being built by a test (see [`Org::a_loop`]).
pub struct LoopSpec<'o> {
    org: &'o Org,
    body: Value,
}

impl LoopSpec<'_> {
    /// The panel's interviews start at `base`, one an hour, 45 minutes each.
    pub fn at(mut self, base: chrono::DateTime<chrono::Utc>) -> Self {
        self.body["interviews"] = self.org.loop_body_at(base)["interviews"].clone();
        self
    }

    /// Interviews that started five hours ago: all held, feedback not yet due.
    pub fn started(self) -> Self {
        self.at(chrono::Utc::now() - chrono::TimeDelta::hours(5))
    }

    /// For a new candidate of the recruiter's called `name`.
    #[track_caller]
    pub fn for_new_candidate(mut self, app: &TestApp, name: &str) -> Self {
        self.body["candidate_id"] = json!(self.org.another_candidate(app, name));
        self
    }

    /// `who` as the bar raiser, in the first interview's seat.
    pub fn bar_raiser(mut self, who: &TestUser) -> Self {
        self.body["bar_raiser_id"] = json!(who.id);
        self.body["interviews"][0]["interviewer_id"] = json!(who.id);
        self
    }

    /// `who` interviews in the `n`th interview's seat (0 is the bar raiser's).
    pub fn seat(mut self, n: usize, who: &TestUser) -> Self {
        self.body["interviews"][n]["interviewer_id"] = json!(who.id);
        self
    }

    /// The request body as built.
    pub fn body(self) -> Value {
        self.body
    }

    /// `POST /loops` as the recruiter; asserts 201 and answers the loop.
    #[track_caller]
    pub fn create(self, app: &TestApp) -> Value {
        self.org.create_loop_with(app, self.body)
    }

    /// Creates the loop and schedules it; answers the scheduled loop.
    #[track_caller]
    pub fn schedule(self, app: &TestApp) -> Value {
        self.org.scheduled_loop_with(app, self.body)
    }
}

/// `who`'s interview in a loop's JSON (panics naming them if they are not on
/// the panel).
#[track_caller]
pub fn interview_entry<'a>(lp: &'a Value, who: &TestUser) -> &'a Value {
    lp["interviews"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["interviewer_id"] == who.id)
        .unwrap_or_else(|| panic!("{} is not on the panel", who.id))
}

/// The id of `who`'s interview in a loop's JSON.
#[track_caller]
pub fn interview_of(lp: &Value, who: &TestUser) -> i64 {
    interview_entry(lp, who)["id"].as_i64().unwrap()
}

/// The rule codes that fail in a loop or report JSON.
/// A loop's panel as a `PATCH /loops/{id}` body takes it: every interview
/// kept (with its id), ready to be changed.
pub fn editable_panel(lp: &Value) -> Vec<Value> {
    lp["interviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| json!({"id": i["id"], "interviewer_id": i["interviewer_id"], "competency_ids": i["competency_ids"], "starts_at": i["starts_at"], "ends_at": i["ends_at"]}))
        .collect()
}

pub fn failing(report: &Value) -> Vec<String> {
    let report = if report.get("independence").is_some() {
        &report["independence"]
    } else {
        report
    };
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["passed"] == false)
        .map(|c| c["rule"].as_str().unwrap().to_owned())
        .collect()
}

/// The detail of one rule.
pub fn detail(report: &Value, rule: &str) -> String {
    let report = if report.get("independence").is_some() {
        &report["independence"]
    } else {
        report
    };
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == rule)
        .unwrap()["detail"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// `HH:MM` on `day() + days` as a person in `zone` types it into a form
/// (`YYYY-MM-DDTHH:MM`), and the UTC instant it names as the API writes it.
/// The offset is the zone's on that day, summer time or not.
pub fn local_time(zone: &str, days: i64, hh_mm: &str) -> (String, String) {
    use chrono::TimeZone as _;
    let typed = format!("{}T{hh_mm}", date(days));
    let naive = chrono::NaiveDateTime::parse_from_str(&typed, "%Y-%m-%dT%H:%M").unwrap();
    let tz: chrono_tz::Tz = zone.parse().unwrap();
    let utc = tz
        .from_local_datetime(&naive)
        .single()
        .unwrap()
        .with_timezone(&chrono::Utc);
    (typed, utc.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// How pages and mail write `day() + days` at `hh_mm` in `zone`:
/// `Mon 1 Mar 2027, 10:00 Europe/Berlin`.
pub fn shown_time(zone: &str, days: i64, hh_mm: &str) -> String {
    let d = day() + chrono::TimeDelta::days(days);
    format!("{}, {hh_mm} {zone}", d.format("%a %-d %b %Y"))
}
