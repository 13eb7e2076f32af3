//! The independence and composition rules of a loop (SPEC §2), as a pure
//! function from the facts about the people involved to a report. The facts are
//! gathered with a bounded number of queries (`hiring::independence`).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{BarRaiserStatus, Role};

pub const BAR_RAISER_CERTIFIED: &str = "bar_raiser_certified";
pub const BAR_RAISER_NOT_HIRING_MANAGER: &str = "bar_raiser_not_hiring_manager";
pub const BAR_RAISER_OUTSIDE_HIRING_MANAGER_CHAIN: &str = "bar_raiser_outside_hiring_manager_chain";
pub const HIRING_MANAGER_NOT_UNDER_BAR_RAISER: &str = "hiring_manager_not_under_bar_raiser";
pub const BAR_RAISER_INDEPENDENT_OF_RECRUITING: &str = "bar_raiser_independent_of_recruiting";
pub const BAR_RAISER_NO_CANDIDATE_CONFLICT: &str = "bar_raiser_no_candidate_conflict";
pub const BAR_RAISER_ON_PANEL: &str = "bar_raiser_on_panel";
pub const COMPETENCIES_COVERED: &str = "competencies_covered";
pub const PANEL_SIZE: &str = "panel_size";
pub const PANEL_VALID: &str = "panel_valid";

/// Every rule code, in the order reports list them.
pub const ALL_RULES: [&str; 10] = [
    BAR_RAISER_CERTIFIED,
    BAR_RAISER_NOT_HIRING_MANAGER,
    BAR_RAISER_OUTSIDE_HIRING_MANAGER_CHAIN,
    HIRING_MANAGER_NOT_UNDER_BAR_RAISER,
    BAR_RAISER_INDEPENDENT_OF_RECRUITING,
    BAR_RAISER_NO_CANDIDATE_CONFLICT,
    BAR_RAISER_ON_PANEL,
    COMPETENCIES_COVERED,
    PANEL_SIZE,
    PANEL_VALID,
];

/// A rule in words, as pages and mail show it.
pub fn rule_title(rule: &str) -> &'static str {
    match rule {
        BAR_RAISER_CERTIFIED => "The bar raiser is certified",
        BAR_RAISER_NOT_HIRING_MANAGER => "The bar raiser is not the hiring manager",
        BAR_RAISER_OUTSIDE_HIRING_MANAGER_CHAIN => {
            "The bar raiser does not report to the hiring manager"
        }
        HIRING_MANAGER_NOT_UNDER_BAR_RAISER => {
            "The hiring manager does not report to the bar raiser"
        }
        BAR_RAISER_INDEPENDENT_OF_RECRUITING => "The bar raiser is not in recruiting",
        BAR_RAISER_NO_CANDIDATE_CONFLICT => "The bar raiser did not refer the candidate",
        BAR_RAISER_ON_PANEL => "The bar raiser interviews on the panel",
        COMPETENCIES_COVERED => "Every required competency is assessed",
        PANEL_SIZE => "The panel is large enough",
        PANEL_VALID => "The panel is valid",
        _ => "Rule",
    }
}

/// The rules about the bar raiser as a person (what suggestions must pass).
pub const PERSON_RULES: [&str; 6] = [
    BAR_RAISER_CERTIFIED,
    BAR_RAISER_NOT_HIRING_MANAGER,
    BAR_RAISER_OUTSIDE_HIRING_MANAGER_CHAIN,
    HIRING_MANAGER_NOT_UNDER_BAR_RAISER,
    BAR_RAISER_INDEPENDENT_OF_RECRUITING,
    BAR_RAISER_NO_CANDIDATE_CONFLICT,
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

/// A person and, nearest first, everyone they report to.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub active: bool,
    pub bar_raiser: BarRaiserStatus,
    pub managers: Vec<Named>,
}

#[derive(Debug, Clone)]
pub struct PanelSlot {
    pub interviewer: Named,
    pub interviewer_active: bool,
    pub competency_ids: Vec<i64>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// Everything the rules look at.
#[derive(Debug, Clone)]
pub struct Facts {
    pub hiring_manager: Person,
    pub bar_raiser: Person,
    pub recruiter: Named,
    pub referred_by: Option<Named>,
    pub required_competencies: Vec<Named>,
    pub min_panel_size: i64,
    pub panel: Vec<PanelSlot>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Check {
    pub rule: &'static str,
    pub passed: bool,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Report {
    pub ok: bool,
    pub checks: Vec<Check>,
}

impl Report {
    pub fn failing(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| !c.passed)
    }

    /// The report as it is kept with its loop.
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).expect("a report serialises")
    }

    /// A kept report; `None` for anything this version did not write (an
    /// unknown rule, a damaged value), which is then evaluated afresh.
    pub fn from_stored(raw: &str) -> Option<Self> {
        // Read straight into borrowed fields (the loop read does this on every
        // request): no intermediate `serde_json::Value`.
        #[derive(serde::Deserialize)]
        struct Stored<'a> {
            ok: bool,
            #[serde(borrow)]
            checks: Vec<StoredCheck<'a>>,
        }
        #[derive(serde::Deserialize)]
        struct StoredCheck<'a> {
            #[serde(borrow)]
            rule: std::borrow::Cow<'a, str>,
            passed: bool,
            detail: String,
        }
        let stored: Stored = serde_json::from_str(raw).ok()?;
        let checks = stored
            .checks
            .into_iter()
            .map(|c| {
                Some(Check {
                    rule: ALL_RULES.into_iter().find(|r| *r == c.rule)?,
                    passed: c.passed,
                    detail: c.detail,
                })
            })
            .collect::<Option<Vec<Check>>>()?;
        Some(Self {
            ok: stored.ok,
            checks,
        })
    }
}

fn check(rule: &'static str, passed: bool, detail: String) -> Check {
    Check {
        rule,
        passed,
        detail,
    }
}

/// "Dana Lee reports to Sam Ortiz through Kim Park" when `boss` is among
/// `person`'s managers; `None` otherwise.
pub fn reporting_path(person: &Person, boss_id: i64) -> Option<String> {
    let pos = person.managers.iter().position(|m| m.id == boss_id)?;
    let boss = &person.managers[pos].name;
    let through: Vec<&str> = person.managers[..pos]
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    Some(if through.is_empty() {
        format!("{} reports directly to {boss}", person.name)
    } else {
        format!(
            "{} reports to {boss} through {}",
            person.name,
            through.join(", ")
        )
    })
}

/// The six rules about the bar raiser as a person.
pub fn person_checks(f: &Facts) -> Vec<Check> {
    let br = &f.bar_raiser;
    let hm = &f.hiring_manager;
    let certified = br.active && br.bar_raiser == BarRaiserStatus::Certified;
    let certified_detail = if !br.active {
        format!("{} is deactivated", br.name)
    } else if certified {
        format!("{} is a certified bar raiser", br.name)
    } else {
        format!(
            "{} is not a certified bar raiser (status: {})",
            br.name, br.bar_raiser
        )
    };
    let is_hm = br.id == hm.id;
    let under_hm = reporting_path(br, hm.id);
    let hm_under = reporting_path(hm, br.id);
    let recruiting = if br.id == f.recruiter.id {
        Some(format!("{} is the loop's recruiter", br.name))
    } else if br.role == Role::Recruiter {
        Some(format!("{} holds the recruiter role", br.name))
    } else {
        None
    };
    let referred = f.referred_by.as_ref().filter(|r| r.id == br.id);
    vec![
        check(BAR_RAISER_CERTIFIED, certified, certified_detail),
        check(
            BAR_RAISER_NOT_HIRING_MANAGER,
            !is_hm,
            if is_hm {
                format!("{} is both the hiring manager and the bar raiser", br.name)
            } else {
                format!("{} is not the hiring manager ({})", br.name, hm.name)
            },
        ),
        check(
            BAR_RAISER_OUTSIDE_HIRING_MANAGER_CHAIN,
            under_hm.is_none() || is_hm,
            under_hm.unwrap_or_else(|| format!("{} does not report to {}", br.name, hm.name)),
        ),
        check(
            HIRING_MANAGER_NOT_UNDER_BAR_RAISER,
            hm_under.is_none() || is_hm,
            hm_under.unwrap_or_else(|| format!("{} does not report to {}", hm.name, br.name)),
        ),
        check(
            BAR_RAISER_INDEPENDENT_OF_RECRUITING,
            recruiting.is_none(),
            recruiting.unwrap_or_else(|| format!("{} is not in recruiting", br.name)),
        ),
        check(
            BAR_RAISER_NO_CANDIDATE_CONFLICT,
            referred.is_none(),
            match referred {
                Some(_) => format!("{} referred the candidate", br.name),
                None => format!("{} did not refer the candidate", br.name),
            },
        ),
    ]
}

/// Every rule, in the order of SPEC §2.
pub fn evaluate(f: &Facts) -> Report {
    let mut checks = person_checks(f);
    let br = &f.bar_raiser;

    let on_panel = f.panel.iter().any(|s| s.interviewer.id == br.id);
    checks.push(check(
        BAR_RAISER_ON_PANEL,
        on_panel,
        if on_panel {
            format!("{} conducts an interview", br.name)
        } else {
            format!("{} conducts none of the loop's interviews", br.name)
        },
    ));

    let missing: Vec<&str> = f
        .required_competencies
        .iter()
        .filter(|c| !f.panel.iter().any(|s| s.competency_ids.contains(&c.id)))
        .map(|c| c.name.as_str())
        .collect();
    checks.push(check(
        COMPETENCIES_COVERED,
        missing.is_empty(),
        if missing.is_empty() {
            "every required competency is assigned to an interview".into()
        } else {
            format!("not assigned to any interview: {}", missing.join(", "))
        },
    ));

    let size = f.panel.len() as i64;
    checks.push(check(
        PANEL_SIZE,
        size >= f.min_panel_size,
        format!(
            "{size} interviews; the requisition requires at least {}",
            f.min_panel_size
        ),
    ));

    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, slot) in f.panel.iter().enumerate() {
        let n = i + 1;
        if !slot.interviewer_active {
            problems.push(format!(
                "{} (interview {n}) is deactivated",
                slot.interviewer.name
            ));
        }
        if !seen.insert(slot.interviewer.id) {
            problems.push(format!(
                "{} interviews more than once",
                slot.interviewer.name
            ));
        }
        if slot.competency_ids.is_empty() {
            problems.push(format!("interview {n} assesses no competency"));
        }
        if slot.ends_at <= slot.starts_at {
            problems.push(format!("interview {n} ends before it starts"));
        }
    }
    checks.push(check(
        PANEL_VALID,
        problems.is_empty(),
        if problems.is_empty() {
            "every interviewer is active and appears once; every interview has competencies and a valid time".into()
        } else {
            problems.join("; ")
        },
    ));

    Report {
        ok: checks.iter().all(|c| c.passed),
        checks,
    }
}

#[cfg(test)]
mod stored_tests {
    use super::*;

    #[test]
    fn a_kept_report_reads_back_as_it_was_and_anything_else_is_not_trusted() {
        let report = Report {
            ok: false,
            checks: ALL_RULES
                .iter()
                .enumerate()
                .map(|(i, rule)| Check {
                    rule,
                    passed: i % 3 != 0,
                    detail: format!("detail «{i}» with \"quotes\""),
                })
                .collect(),
        };
        assert_eq!(Report::from_stored(&report.to_stored()), Some(report));
        for raw in [
            "",
            "null",
            "{}",
            r#"{"ok":true,"checks":[{"rule":"made_up","passed":true,"detail":""}]}"#,
        ] {
            assert_eq!(Report::from_stored(raw), None, "{raw}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn named(id: i64, name: &str) -> Named {
        Named {
            id,
            name: name.into(),
        }
    }

    fn person(id: i64, name: &str, managers: Vec<Named>) -> Person {
        Person {
            id,
            name: name.into(),
            role: Role::Member,
            active: true,
            bar_raiser: BarRaiserStatus::Certified,
            managers,
        }
    }

    fn slot(id: i64, name: &str, comps: Vec<i64>) -> PanelSlot {
        PanelSlot {
            interviewer: named(id, name),
            interviewer_active: true,
            competency_ids: comps,
            starts_at: Utc.with_ymd_and_hms(2026, 12, 1, 14, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap(),
        }
    }

    fn green() -> Facts {
        Facts {
            hiring_manager: person(1, "Sam Ortiz", vec![named(9, "Ceo")]),
            bar_raiser: person(2, "Dana Lee", vec![named(8, "Vp Ops"), named(9, "Ceo")]),
            recruiter: named(3, "Rita Cole"),
            referred_by: None,
            required_competencies: vec![named(100, "Ownership"), named(101, "Dive Deep")],
            min_panel_size: 2,
            panel: vec![
                slot(2, "Dana Lee", vec![100]),
                slot(4, "Kim Park", vec![101]),
            ],
        }
    }

    fn failing(f: &Facts) -> Vec<&'static str> {
        evaluate(f).failing().map(|c| c.rule).collect()
    }

    #[test]
    fn a_well_formed_loop_passes_every_rule_and_lists_all_ten() {
        let report = evaluate(&green());
        assert!(report.ok, "{report:?}");
        assert_eq!(report.checks.len(), 10);
    }

    #[test]
    fn a_bar_raiser_under_the_hiring_manager_names_the_chain() {
        let mut f = green();
        f.bar_raiser.managers = vec![named(5, "Kim Park"), named(1, "Sam Ortiz"), named(9, "Ceo")];
        assert_eq!(failing(&f), [BAR_RAISER_OUTSIDE_HIRING_MANAGER_CHAIN]);
        let c = evaluate(&f).checks.into_iter().find(|c| !c.passed).unwrap();
        assert_eq!(c.detail, "Dana Lee reports to Sam Ortiz through Kim Park");
    }

    #[test]
    fn the_hiring_managers_skip_level_manager_cannot_be_bar_raiser() {
        let mut f = green();
        f.hiring_manager.managers =
            vec![named(7, "Lee Chan"), named(2, "Dana Lee"), named(9, "Ceo")];
        assert_eq!(failing(&f), [HIRING_MANAGER_NOT_UNDER_BAR_RAISER]);
    }

    #[test]
    fn the_hiring_manager_cannot_raise_the_bar_on_their_own_loop() {
        let mut f = green();
        f.bar_raiser = f.hiring_manager.clone();
        f.panel[0].interviewer = named(1, "Sam Ortiz");
        assert_eq!(failing(&f), [BAR_RAISER_NOT_HIRING_MANAGER]);
    }

    #[test]
    fn recruiters_referrers_and_uncertified_people_fail_their_rules() {
        let mut f = green();
        f.bar_raiser.role = Role::Recruiter;
        assert_eq!(failing(&f), [BAR_RAISER_INDEPENDENT_OF_RECRUITING]);
        let mut f = green();
        f.referred_by = Some(named(2, "Dana Lee"));
        assert_eq!(failing(&f), [BAR_RAISER_NO_CANDIDATE_CONFLICT]);
        let mut f = green();
        f.bar_raiser.bar_raiser = BarRaiserStatus::InTraining;
        assert_eq!(failing(&f), [BAR_RAISER_CERTIFIED]);
        let mut f = green();
        f.bar_raiser.active = false;
        assert_eq!(failing(&f), [BAR_RAISER_CERTIFIED]);
    }

    #[test]
    fn panel_rules_catch_size_coverage_and_invalid_slots() {
        let mut f = green();
        f.panel.remove(1);
        assert_eq!(failing(&f), [COMPETENCIES_COVERED, PANEL_SIZE]);
        let mut f = green();
        f.panel[1].interviewer_active = false;
        f.panel.push(slot(4, "Kim Park", vec![]));
        assert_eq!(failing(&f), [PANEL_VALID]);
        let detail = evaluate(&f)
            .checks
            .into_iter()
            .find(|c| !c.passed)
            .unwrap()
            .detail;
        assert_eq!(
            detail,
            "Kim Park (interview 2) is deactivated; Kim Park interviews more than once; interview 3 assesses no competency"
        );
        let mut f = green();
        f.panel.retain(|s| s.interviewer.id != 2);
        f.panel.push(slot(6, "Lee Chan", vec![100]));
        assert_eq!(failing(&f), [BAR_RAISER_ON_PANEL]);
    }
}
