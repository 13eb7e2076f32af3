//! The people pickers: search as you type (the list a script shows) and,
//! without a script, the typed text resolved when the builder's form is sent.

use crate::fixtures::Org;
use crate::helpers::spawn_app;
use crate::web_client::WebClient;

#[test]
fn the_picker_search_finds_people_by_name_email_or_department_and_bar_raisers_only_when_certified()
{
    let app = spawn_app();
    let org = Org::new(&app);
    org.create_loop(&app);
    let (mut rita, _) = WebClient::signed_in(&app, &org.recruiter.email);
    let by_name = rita.get("/people/search?q=ki&kind=anyone");
    assert_eq!(by_name.status, 200);
    by_name.assert_contains("Kim Park");
    assert!(!by_name.text.contains("Lee Chan"));
    let by_department = rita.get("/people/search?q=logist");
    by_department.assert_contains("Dana Lee");
    by_department.assert_contains("Ola Berg");
    let by_email = rita.get(&format!("/people/search?q={}", org.kim.email));
    by_email.assert_contains("Kim Park");
    // One or two letters: names that start with them.
    let a = rita.get("/people/search?q=a");
    a.assert_contains("Ana Ruiz");
    assert!(!a.text.contains("Dana Lee"), "{}", a.text);
    // From three, anywhere too; names that start with the text come first.
    let ana = rita.get("/people/search?q=ana");
    let (first, then) = (
        ana.text.find("Ana Ruiz").unwrap(),
        ana.text.find("Dana Lee").unwrap(),
    );
    assert!(first < then, "{}", ana.text);
    // The bar raiser picker: certified people only, with their load.
    let br = rita.get("/people/search?q=dan&kind=bar_raiser");
    br.assert_contains("Dana Lee");
    br.assert_contains("1 open loop");
    let not_certified = rita.get("/people/search?q=ana&kind=bar_raiser");
    assert!(
        !not_certified.text.contains("Ana Ruiz"),
        "{}",
        not_certified.text
    );
    assert!(
        !rita
            .get("/people/search?q=kim&kind=bar_raiser")
            .text
            .contains("Kim Park")
    );
    // Wildcards are text.
    let none = rita.get("/people/search?q=%25");
    assert!(!none.text.contains("role=\"option\""), "{}", none.text);
    // Only those who assemble loops search the organisation here.
    let (mut kim, _) = WebClient::signed_in(&app, &org.kim.email);
    let refused = kim.get("/people/search?q=a");
    assert!([403, 404].contains(&refused.status), "{}", refused.status);
    assert!(!refused.text.contains("Dana Lee"));
}

#[test]
fn without_a_script_the_typed_text_chooses_the_one_person_it_names_or_lists_the_matches() {
    let app = spawn_app();
    let org = Org::new(&app);
    let (mut rita, csrf) = WebClient::signed_in(&app, &org.recruiter.email);
    let form = |bar_raiser: &str, row0: &str, action: &str| -> Vec<(String, String)> {
        vec![
            ("csrf_token".into(), csrf.clone()),
            ("requisition_id".into(), org.requisition_id.to_string()),
            ("candidate_id".into(), org.candidate_id.to_string()),
            ("bar_raiser_id".into(), String::new()),
            ("bar_raiser_id.label".into(), String::new()),
            ("bar_raiser_id.q".into(), bar_raiser.into()),
            ("interviews[0].interviewer_id".into(), String::new()),
            ("interviews[0].interviewer_id.label".into(), String::new()),
            ("interviews[0].interviewer_id.q".into(), row0.into()),
            ("action".into(), action.into()),
        ]
    };
    let post = |rita: &mut WebClient, f: Vec<(String, String)>| {
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        rita.post(barraiser::urls::NEW_LOOP, &pairs)
    };
    // One person each: chosen, shown by name and email.
    let one = post(&mut rita, form("dana", "kim park", "refresh"));
    assert_eq!(one.status, 200, "{}", one.text);
    one.assert_contains(&format!(r#"name="bar_raiser_id" value="{}""#, org.br.id));
    one.assert_contains(&format!(
        r#"name="interviews[0].interviewer_id" value="{}""#,
        org.kim.id
    ));
    one.assert_contains("Kim Park &lt;");
    // Several: listed to choose from; saving says so beside the picker.
    let many = post(&mut rita, form("", "a", "save"));
    assert_eq!(many.status, 422, "{}", many.text);
    many.assert_contains("Who do you mean by “a”?");
    many.assert_contains(&format!(
        r#"type="radio" name="interviews[0].interviewer_id" value="{}""#,
        org.ana.id
    ));
    many.assert_contains("people match “a”: choose one");
    // Nobody: said so.
    let nobody = post(&mut rita, form("kim", "zzzz", "refresh"));
    nobody.assert_contains("Nobody matches “zzzz”");
    nobody.assert_contains("Nobody matches “kim”"); // Kim is not a certified bar raiser
    // A text left as the chosen person's label keeps the id it came with.
    let mut kept = form("", "", "refresh");
    kept.retain(|(k, _)| !k.starts_with("interviews[0]"));
    kept.push((
        "interviews[0].interviewer_id".into(),
        org.lee.id.to_string(),
    ));
    kept.push((
        "interviews[0].interviewer_id.label".into(),
        "Lee Chan <x>".into(),
    ));
    kept.push((
        "interviews[0].interviewer_id.q".into(),
        "Lee Chan <x>".into(),
    ));
    let kept = post(&mut rita, kept);
    kept.assert_contains(&format!(
        r#"name="interviews[0].interviewer_id" value="{}""#,
        org.lee.id
    ));
}
