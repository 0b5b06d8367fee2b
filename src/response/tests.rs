//! Tests of `response`.
use super::*;
use serde_json::{Value, json};

const CREATE: &str = include_str!("../../tests/data/create_deal_response.json");
const DETAIL: &str = include_str!("../../tests/data/deal_detail.json");

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

#[test]
fn create_response_seed_parses() {
    let created: CreateDealResponse = serde_json::from_str(CREATE).unwrap();
    assert_eq!(
        created.id,
        uuid::Uuid::parse_str("3c90c3cc-0d44-4b50-8888-8dd25736052a").unwrap()
    );
    assert_eq!(created.code, 123);
    assert_eq!(created.title, "<string>");
    let again: CreateDealResponse =
        serde_json::from_str(&serde_json::to_string(&created).unwrap()).unwrap();
    assert_eq!(again, created);
}

#[test]
fn create_response_requires_its_members() {
    let cases = [
        r#"{"code": 1, "title": "t"}"#,
        r#"{"id": "not-a-uuid", "code": 1, "title": "t"}"#,
        r#"{"id": "3c90c3cc-0d44-4b50-8888-8dd25736052a", "title": "t"}"#,
    ];
    for (row, input) in cases.iter().enumerate() {
        assert!(
            serde_json::from_str::<CreateDealResponse>(input).is_err(),
            "row {row}: {input}"
        );
    }
}

#[test]
fn detail_seed_parses() {
    let d: DealDetail = serde_json::from_str(DETAIL).unwrap();
    assert_eq!(d.id, "<string>");
    assert_eq!(d.code, Some(123));
    assert_eq!(d.status, Some(DealStatus::Open));
    assert_eq!(d.visibility, Some(Reported::Known(Visibility::Private)));
    assert_eq!(d.temperature, Some(Reported::Known(Temperature::Cold)));
    // The page's placeholder 123 is not a one-to-five score: kept, not an error.
    assert_eq!(d.quality_rating, Some(Reported::Unknown(123)));
    assert_eq!(d.value, Some(123.0));
    assert_eq!(d.views_count, Some(123));
    assert_eq!(d.won_date, Some(ts("2023-11-07T05:31:56Z")));
    assert_eq!(d.created_at, Some(ts("2023-11-07T05:31:56Z")));
    let stage = d.stage.as_ref().unwrap();
    assert_eq!(stage.pipeline.as_ref().unwrap().id, "<string>");
    assert_eq!(d.pipeline_stages.len(), 1);
    assert_eq!(d.pipeline_stages[0].position, Some(123));
    let marketing = d.marketing_lead_source.as_ref().unwrap();
    assert_eq!(marketing.campaign_name.as_deref(), Some("<string>"));
    assert_eq!(
        marketing.creative.as_ref().unwrap().creative_uri.as_deref(),
        Some("<string>")
    );
    let person = d.participants[0].person.as_ref().unwrap();
    assert_eq!(person.contacts[0].kind, Some(0));
    assert_eq!(person.contacts[0].primary, Some(true));
    assert_eq!(d.custom_fields[0].answers.len(), 1);
    assert_eq!(d.stage_durations[0].total_seconds, Some(123));
    assert_eq!(d.associations_count.as_ref().unwrap().proposals, Some(123));
    let proposal = &d.proposals[0];
    assert_eq!(proposal.is_primary, Some(true));
    assert_eq!(proposal.total, Some(123.0));
    assert_eq!(proposal.approved_by.as_ref().unwrap().avatar, None);
    assert_eq!(proposal.rejected_at, Some(ts("2023-11-07T05:31:56Z")));
    assert_eq!(
        d.followers[0].user.as_ref().unwrap().name.as_deref(),
        Some("<string>")
    );
    assert_eq!(d.tags[0].color.as_deref(), Some("<string>"));
}

#[test]
fn detail_seed_keeps_every_member() {
    // Every member of the seed comes back under the same key, with the same value (numbers
    // compared as f64 since `value` and the proposal money are read as f64).
    fn same(a: &Value, b: &Value, at: &str) {
        match (a, b) {
            (Value::Object(a), Value::Object(b)) => {
                for (key, value) in a {
                    let other = b.get(key).unwrap_or_else(|| panic!("{at}/{key} lost"));
                    same(value, other, &format!("{at}/{key}"));
                }
            }
            (Value::Array(a), Value::Array(b)) => {
                assert_eq!(a.len(), b.len(), "{at}");
                for (i, (a, b)) in a.iter().zip(b).enumerate() {
                    same(a, b, &format!("{at}/{i}"));
                }
            }
            (Value::Number(a), Value::Number(b)) => {
                assert_eq!(a.as_f64(), b.as_f64(), "{at}");
            }
            _ => assert_eq!(a, b, "{at}"),
        }
    }
    let seed: Value = serde_json::from_str(DETAIL).unwrap();
    let parsed: DealDetail = serde_json::from_str(DETAIL).unwrap();
    let written = serde_json::to_value(&parsed).unwrap();
    same(&seed, &written, "");
}

#[test]
fn detail_round_trips() {
    let parsed: DealDetail = serde_json::from_str(DETAIL).unwrap();
    let text = serde_json::to_string(&parsed).unwrap();
    let again: DealDetail = serde_json::from_str(&text).unwrap();
    assert_eq!(again, parsed);

    let minimal: DealDetail = serde_json::from_str(r#"{"id": "x"}"#).unwrap();
    let again: DealDetail =
        serde_json::from_str(&serde_json::to_string(&minimal).unwrap()).unwrap();
    assert_eq!(again, minimal);
}

#[test]
fn unknown_enum_values_are_kept() {
    let d: DealDetail = serde_json::from_value(json!({
        "id": "d", "status": 7, "visibility": 9, "temperature": -1, "quality_rating": 0
    }))
    .unwrap();
    assert_eq!(d.status, Some(DealStatus::Other(7)));
    assert_eq!(d.visibility, Some(Reported::Unknown(9)));
    assert_eq!(d.temperature, Some(Reported::Unknown(-1)));
    assert_eq!(d.quality_rating, Some(Reported::Unknown(0)));
    let written = serde_json::to_value(&d).unwrap();
    assert_eq!(written["status"], 7);
    assert_eq!(written["visibility"], 9);
    assert_eq!(written["temperature"], -1);
    assert_eq!(written["quality_rating"], 0);
}

#[test]
fn status_codes() {
    let cases = [
        (1, DealStatus::Open),
        (2, DealStatus::Won),
        (3, DealStatus::Lost),
        (0, DealStatus::Other(0)),
        (4, DealStatus::Other(4)),
        (-3, DealStatus::Other(-3)),
    ];
    for (row, (code, status)) in cases.into_iter().enumerate() {
        assert_eq!(DealStatus::from_code(code), status, "row {row}");
        assert_eq!(status.code(), code, "row {row}");
        let parsed: DealStatus = serde_json::from_str(&code.to_string()).unwrap();
        assert_eq!(parsed, status, "row {row}");
        assert_eq!(serde_json::to_string(&status).unwrap(), code.to_string());
    }
    // Still an integer: a string or a fraction is a type error, not an unknown status.
    assert!(serde_json::from_str::<DealStatus>(r#""1""#).is_err());
    assert!(serde_json::from_str::<DealStatus>("1.5").is_err());
}

#[test]
fn reported_codes() {
    let cases = [
        (0, Reported::Known(Visibility::Private)),
        (1, Reported::Known(Visibility::Team)),
        (2, Reported::Known(Visibility::Public)),
        (3, Reported::Unknown(3)),
        (-1, Reported::Unknown(-1)),
    ];
    for (row, (code, expected)) in cases.into_iter().enumerate() {
        assert_eq!(
            Reported::<Visibility>::from_code(code),
            expected,
            "row {row}"
        );
        let parsed: Reported<Visibility> = serde_json::from_str(&code.to_string()).unwrap();
        assert_eq!(parsed, expected, "row {row}");
        assert_eq!(serde_json::to_string(&expected).unwrap(), code.to_string());
    }
    assert_eq!(
        Reported::from(Temperature::Warm).into_known(),
        Some(Temperature::Warm)
    );
    assert_eq!(Reported::<Temperature>::Unknown(5).known(), None);
}

#[test]
fn unknown_members_are_ignored() {
    let d: DealDetail = serde_json::from_value(json!({
        "id": "d",
        "brand_new": {"nested": [1, 2, 3]},
        "stage": {"id": "s", "color": "blue", "pipeline": {"id": "p", "extra": null}},
        "participants": [{"id": "pa", "person": {"id": "pe", "birthday": "1990-01-01",
            "contacts": [{"id": "c", "type": 1, "verified": true}]}}],
        "marketing_lead_source": {"id": "m", "campaign_name": "fixed-spelling-ignored"}
    }))
    .unwrap();
    assert_eq!(d.stage.unwrap().pipeline.unwrap().id, "p");
    let person = d.participants[0].person.as_ref().unwrap();
    assert_eq!(person.contacts[0].kind, Some(1));
    // Only the API's key (`campaing_name`) is read.
    assert_eq!(d.marketing_lead_source.unwrap().campaign_name, None);

    let created: CreateDealResponse = serde_json::from_value(json!({
        "id": "3c90c3cc-0d44-4b50-8888-8dd25736052a", "code": 5, "title": "t", "url": "x"
    }))
    .unwrap();
    assert_eq!(created.code, 5);
}

#[test]
fn nulls_are_accepted_everywhere_but_id() {
    // Every member of the seed except the ids set to null, at every depth.
    fn null_out(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, member) in map.iter_mut() {
                    if key == "id" {
                        continue;
                    }
                    null_out(member);
                    if !member.is_object() && !member.is_array() {
                        *member = Value::Null;
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(null_out),
            _ => {}
        }
    }
    let mut seed: Value = serde_json::from_str(DETAIL).unwrap();
    null_out(&mut seed);
    let d: DealDetail = serde_json::from_value(seed).unwrap();
    assert_eq!(d.quality_rating, None);
    assert_eq!(d.won_date, None);
    assert_eq!(d.value, None);
    assert_eq!(
        d.participants[0].person.as_ref().unwrap().contacts[0].kind,
        None
    );

    // Then every top-level member but the id null, objects and arrays included.
    let mut seed: Value = serde_json::from_str(DETAIL).unwrap();
    for (key, member) in seed.as_object_mut().unwrap() {
        if key != "id" {
            *member = Value::Null;
        }
    }
    let d: DealDetail = serde_json::from_value(seed).unwrap();
    let minimal: DealDetail = serde_json::from_str(r#"{"id": "<string>"}"#).unwrap();
    assert_eq!(d, minimal);
    assert!(d.followers.is_empty());
    assert_eq!(d.status, None);
}

#[test]
fn ids_are_required() {
    let cases = [
        json!({}),
        json!({"id": null}),
        json!({"id": "d", "stage": {"name": "s"}}),
        json!({"id": "d", "tags": [{"name": "t"}]}),
        json!({"id": "d", "participants": [{"id": "p", "person": {"name": "n"}}]}),
    ];
    for (row, input) in cases.into_iter().enumerate() {
        assert!(
            serde_json::from_value::<DealDetail>(input.clone()).is_err(),
            "row {row}: {input}"
        );
    }
}

#[test]
fn malformed_values_are_errors() {
    let cases = [
        json!({"id": "d", "created_at": "yesterday"}),
        json!({"id": "d", "status": "open"}),
        json!({"id": "d", "value": "123"}),
        json!({"id": "d", "tags": {"id": "t"}}),
    ];
    for (row, input) in cases.into_iter().enumerate() {
        assert!(
            serde_json::from_value::<DealDetail>(input.clone()).is_err(),
            "row {row}: {input}"
        );
    }
}
