//! The create-deal request: `docs/rules.md` §3 rules and codes, catalog hooks, builder, round
//! trips.

use proptest::prelude::*;
use serde_json::{Value, json};
use uuid::Uuid;
use wegly_attribution::{
    Catalog, Contact, CreateDealRequest, ErrorCode, Follower, LeadSource, Lookup, Money, NewPerson,
    Normalizer, Note, Organization, Pipeline, Temperature, WarningCode,
};

const A: &str = "a1b2c3d4-e5f6-7890-abcd-ef1234567890";
const B: &str = "b2c3d4e5-f6a7-8901-bcde-f23456789012";

fn errors(payload: &Value) -> Vec<(&'static str, &'static str)> {
    let bytes = serde_json::to_vec(payload).unwrap();
    match CreateDealRequest::from_json(&bytes) {
        Ok(valid) => panic!("accepted {payload}: {valid:?}"),
        Err(rejected) => rejected
            .errors
            .iter()
            .map(|e| (crate::text(e.path()), e.code().as_str()))
            .collect(),
    }
}

fn with(extra: Value) -> Value {
    let mut payload = json!({"title": "Deal"});
    for (k, v) in extra.as_object().unwrap() {
        payload[k] = v.clone();
    }
    payload
}

#[test]
fn the_seed_payload_validates() {
    let bytes = include_bytes!("../data/seed_deal.json");
    let valid = CreateDealRequest::from_json(bytes).unwrap();
    assert!(valid.warnings.is_empty(), "{:?}", valid.warnings);
    let request = &valid.request;
    assert_eq!(request.title(), "Implementação completa CRM");
    assert_eq!(request.value(), Some(Money::from_cents(7_500_050).unwrap()));
    assert_eq!(request.temperature(), Some(Temperature::Hot));
    assert_eq!(request.tags(), ["enterprise", "crm"]);
    assert_eq!(
        request.lead_source(),
        Some(&LeadSource::Named("LinkedIn Ads".into()))
    );
    assert_eq!(
        request.organization(),
        Some(&Organization::Named("Tech Innovators S.A.".into()))
    );
    let marketing = request.marketing().unwrap();
    assert_eq!(marketing.get("wegly_code"), Some("OPP123"));
    assert_eq!(marketing.get("wegly_campaign"), Some("crm-enterprise"));
    assert_eq!(marketing.get("gclid"), Some("XYZ"));
    // Serializing gives the API's JSON: the same members as sent, plus what marketing added.
    let sent: Value = serde_json::from_slice(bytes).unwrap();
    let out = serde_json::to_value(request).unwrap();
    for key in sent.as_object().unwrap().keys() {
        assert!(out.get(key).is_some(), "{key} lost");
    }
    assert_eq!(out["expected_close_date"], "2024-03-15T00:00:00Z");
    assert_eq!(out["value"], json!(75000.5));
    assert_eq!(out["marketing"]["utm_campaign"], "crm-enterprise");
}

#[test]
fn every_error_code() {
    let long_title = "é".repeat(151);
    let cases: Vec<(&str, Value, Vec<(&str, &str)>)> = vec![
        ("required title", json!({}), vec![("/title", "required")]),
        (
            "blank title",
            json!({"title": " \t"}),
            vec![("/title", "required")],
        ),
        (
            "null title",
            json!({"title": null}),
            vec![("/title", "required")],
        ),
        (
            "too_long",
            json!({"title": long_title}),
            vec![("/title", "too_long")],
        ),
        (
            "invalid_type",
            with(json!({"title": 5})),
            vec![("/title", "invalid_type")],
        ),
        (
            "invalid_uuid everywhere",
            with(
                json!({"stage_id": "abc", "responsible_id": "1", "organization_id": "x", "crm_lead_source_id": 7}),
            ),
            vec![
                ("/stage_id", "invalid_uuid"),
                ("/responsible_id", "invalid_uuid"),
                ("/organization_id", "invalid_uuid"),
                ("/crm_lead_source_id", "invalid_type"),
            ],
        ),
        (
            "invalid_enum",
            with(json!({"quality_rating": 6, "visibility": 3, "temperature": 0})),
            vec![
                ("/quality_rating", "invalid_enum"),
                ("/visibility", "invalid_enum"),
                ("/temperature", "invalid_enum"),
            ],
        ),
        (
            "enum of the wrong type",
            with(json!({"visibility": "0"})),
            vec![("/visibility", "invalid_type")],
        ),
        (
            "too_many_decimals",
            with(json!({"value": 10.555})),
            vec![("/value", "too_many_decimals")],
        ),
        (
            "negative",
            with(json!({"value": -5})),
            vec![("/value", "negative")],
        ),
        (
            "out_of_range",
            with(json!({"value": 1e20})),
            vec![("/value", "out_of_range")],
        ),
        (
            "value of the wrong type",
            with(json!({"value": "10"})),
            vec![("/value", "invalid_type")],
        ),
        (
            "invalid_date_time",
            with(json!({"expected_close_date": "15/03/2024"})),
            vec![("/expected_close_date", "invalid_date_time")],
        ),
        (
            "impossible date",
            with(json!({"expected_close_date": "2024-02-30T00:00:00Z"})),
            vec![("/expected_close_date", "invalid_date_time")],
        ),
        (
            "date-time without offset",
            with(json!({"expected_close_date": "2024-03-15T10:00:00"})),
            vec![("/expected_close_date", "invalid_date_time")],
        ),
        (
            "empty tag",
            with(json!({"tags": ["ok", " ", 3]})),
            vec![("/tags/1", "empty"), ("/tags/2", "invalid_type")],
        ),
        (
            "persons_id",
            with(json!({"persons_id": [{"id": "nope"}, {}, {"id": A, "x": 1}]})),
            vec![
                ("/persons_id/0/id", "invalid_uuid"),
                ("/persons_id/1/id", "required"),
                ("/persons_id/2/x", "unknown_field"),
            ],
        ),
        (
            "person",
            with(
                json!({"person": {"contacts": [{"type": 0, "value": " "}, {"value": "x"}, {"type": -1, "value": "y"}, {"type": 1.5, "value": "z"}]}}),
            ),
            vec![
                ("/person/name", "required"),
                ("/person/contacts/0/value", "empty"),
                ("/person/contacts/1/type", "required"),
                ("/person/contacts/2/type", "out_of_range"),
                ("/person/contacts/3/type", "invalid_type"),
            ],
        ),
        (
            "person flags",
            with(
                json!({"person": {"name": "A", "avoid_duplicate": "yes", "duplicate_check_types": [0, "1"]}}),
            ),
            vec![
                ("/person/avoid_duplicate", "invalid_type"),
                ("/person/duplicate_check_types/1", "invalid_type"),
            ],
        ),
        (
            "not_associated",
            with(json!({"persons_id": [{"id": A}], "primary_person_id": B})),
            vec![("/primary_person_id", "not_associated")],
        ),
        (
            "organization conflict",
            with(json!({"organization_id": A, "organization": {"name": "X"}})),
            vec![("/organization", "conflict")],
        ),
        (
            "organization name",
            with(json!({"organization": {}})),
            vec![("/organization/name", "required")],
        ),
        (
            "lead source conflict",
            with(json!({"crm_lead_source_id": A, "lead_source": {"name": "X"}})),
            vec![("/lead_source", "conflict")],
        ),
        (
            "lead source name",
            with(json!({"lead_source": {"name": ""}})),
            vec![("/lead_source/name", "required")],
        ),
        (
            "custom_fields",
            with(json!({"custom_fields": [{"value": 1}, {"field_id": "x"}, 5]})),
            vec![
                ("/custom_fields/0/field_id", "required"),
                ("/custom_fields/1/field_id", "invalid_uuid"),
                ("/custom_fields/2", "invalid_type"),
            ],
        ),
        (
            "marketing type",
            with(json!({"marketing": []})),
            vec![("/marketing", "invalid_type")],
        ),
        (
            "marketing member type",
            with(json!({"marketing": {"gclid": 1}})),
            vec![("/marketing/gclid", "invalid_type")],
        ),
        (
            "followers",
            with(json!({"followers": [{"user_id": "12345", "role_id": B}, {"user_id": A}]})),
            vec![
                ("/followers/0/user_id", "invalid_uuid"),
                ("/followers/1/role_id", "required"),
            ],
        ),
        (
            "note",
            with(json!({"note": {"content": "", "is_pinned": 1}})),
            vec![
                ("/note/content", "required"),
                ("/note/is_pinned", "invalid_type"),
            ],
        ),
        (
            "unknown_field",
            with(json!({"owner_email": "x", "person": {"name": "A", "cpf": "1"}})),
            vec![
                ("/person/cpf", "unknown_field"),
                ("/owner_email", "unknown_field"),
            ],
        ),
        ("array document", json!([1]), vec![("", "invalid_type")]),
    ];
    for (name, payload, expected) in cases {
        assert_eq!(errors(&payload), expected, "row {name}");
    }
}

#[test]
fn invalid_json() {
    for bytes in [
        &b""[..],
        b"{",
        b"{\"title\": \"x\",}",
        b"\xff",
        b"{} {}",
        b"nul",
    ] {
        let rejected = CreateDealRequest::from_json(bytes).unwrap_err();
        assert_eq!(rejected.errors.len(), 1, "{bytes:?}");
        assert_eq!(
            rejected.errors[0].code(),
            ErrorCode::InvalidJson,
            "{bytes:?}"
        );
        assert_eq!(rejected.errors[0].path(), "", "{bytes:?}");
    }
}

#[test]
fn the_error_body_is_pinned() {
    let payload = br#"{"title": "", "stage_id": "abc", "value": 10.555, "visibility": 9,
        "tags": ["a", "a"], "marketing": {"utm_source": 1, "ref": "x"}, "extra": true}"#;
    let rejected = CreateDealRequest::from_json(payload).unwrap_err();
    assert_eq!(
        serde_json::to_string_pretty(&rejected).unwrap(),
        r#"{
  "errors": [
    {
      "path": "/title",
      "code": "required",
      "message": "title must not be empty"
    },
    {
      "path": "/stage_id",
      "code": "invalid_uuid",
      "message": "expected a UUID, found `abc`"
    },
    {
      "path": "/value",
      "code": "too_many_decimals",
      "message": "the amount has more than 2 decimal places: `10.555`"
    },
    {
      "path": "/visibility",
      "code": "invalid_enum",
      "message": "expected 0, 1 or 2, found 9"
    },
    {
      "path": "/marketing/utm_source",
      "code": "invalid_type",
      "message": "expected a string, found a number"
    },
    {
      "path": "/extra",
      "code": "unknown_field",
      "message": "`extra` is not a member the API defines"
    }
  ],
  "warnings": [
    {
      "code": "duplicate_tag",
      "message": "tag `a` is repeated; dropped",
      "path": "/tags/1"
    },
    {
      "code": "ignored_field",
      "message": "`ref` is not a tracking key; dropped",
      "path": "/marketing/ref"
    }
  ]
}"#
    );
    assert_eq!(
        rejected.to_string(),
        "6 validation errors, the first: required at /title: title must not be empty"
    );
}

#[test]
fn warnings_of_the_request() {
    let payload = with(json!({
        "expected_close_date": "2026-12-15",
        "tags": ["vip", " vip "],
        "followers": [{"user_id": A, "role_id": B}, {"user_id": A, "role_id": A}],
    }));
    let valid = CreateDealRequest::from_json(&serde_json::to_vec(&payload).unwrap()).unwrap();
    let codes: Vec<_> = valid
        .warnings
        .iter()
        .map(|w| (w.code(), crate::text(w.path())))
        .collect();
    assert_eq!(
        codes,
        [
            (WarningCode::DateOnly, "/expected_close_date"),
            (WarningCode::DuplicateTag, "/tags/1"),
            (WarningCode::DuplicateFollower, "/followers/1"),
        ]
    );
    let request = valid.request;
    assert_eq!(
        serde_json::to_value(&request).unwrap()["expected_close_date"],
        "2026-12-15T00:00:00Z"
    );
    assert_eq!(request.tags(), ["vip"]);
    assert_eq!(request.followers().len(), 1);
    assert_eq!(request.followers()[0].role_id, B.parse::<Uuid>().unwrap());
}

#[test]
fn warning_paths_index_the_array_as_sent() {
    let payload = with(json!({
        "tags": [1, "x", "x"],
        "followers": [{"user_id": "bad", "role_id": B}, {"user_id": A, "role_id": B}, {"user_id": A, "role_id": B}],
    }));
    let rejected =
        CreateDealRequest::from_json(&serde_json::to_vec(&payload).unwrap()).unwrap_err();
    let warnings: Vec<_> = rejected
        .warnings
        .iter()
        .map(|w| crate::text(w.path()))
        .collect();
    assert_eq!(warnings, ["/tags/2", "/followers/2"]);
}

#[test]
fn nulls_are_not_sent_and_empty_reason_is_absent() {
    let payload =
        with(json!({"stage_id": null, "value": null, "quality_reason": "  ", "marketing": {}}));
    let valid = CreateDealRequest::from_json(&serde_json::to_vec(&payload).unwrap()).unwrap();
    assert_eq!(
        serde_json::to_string(&valid.request).unwrap(),
        r#"{"title":"Deal"}"#
    );
}

struct Cache;

impl Catalog for Cache {
    fn tag(&self, tag: &str) -> Lookup<()> {
        Lookup::exists((tag != "unchecked").then(|| tag == "known"))
    }
    fn pipeline(&self, stage: Option<Uuid>) -> Lookup<Pipeline> {
        Lookup::Found(Pipeline::new(stage == Some(A.parse().unwrap())))
    }
    fn tracker(&self, code: &str) -> Lookup<LeadSource> {
        match code {
            "OPP123" => Lookup::Found(LeadSource::Existing(B.parse().unwrap())),
            _ => Lookup::NotFound,
        }
    }
}

#[test]
fn catalog_hooks() {
    let check = |payload: Value| {
        Normalizer::new()
            .catalog(Cache)
            .create_deal(&serde_json::to_vec(&payload).unwrap())
    };
    let tags = check(with(json!({"tags": ["known", "gone", "unchecked"]}))).unwrap_err();
    assert_eq!(tags.errors.len(), 1);
    assert_eq!(
        (crate::text(tags.errors[0].path()), tags.errors[0].code()),
        ("/tags/1", ErrorCode::NotFound)
    );

    let reason = check(with(json!({"stage_id": A}))).unwrap_err();
    assert_eq!(
        (
            crate::text(reason.errors[0].path()),
            reason.errors[0].code()
        ),
        ("/quality_reason", ErrorCode::Required)
    );
    assert!(check(with(json!({"stage_id": A, "quality_reason": "budget ok"}))).is_ok());
    assert!(check(with(json!({"stage_id": B}))).is_ok());

    let tracked = check(with(
        json!({"marketing": {"url_conversion": "/?wegly_code=OPP123"}}),
    ))
    .unwrap();
    assert_eq!(
        tracked.request.lead_source(),
        Some(&LeadSource::Existing(B.parse().unwrap()))
    );
    let out = serde_json::to_value(&tracked.request).unwrap();
    assert_eq!(out["crm_lead_source_id"], B);

    let conflict = check(with(
        json!({"lead_source": {"name": "Google"}, "marketing": {"wegly_code": "OPP123"}}),
    ))
    .unwrap();
    assert_eq!(
        conflict.request.lead_source(),
        Some(&LeadSource::Named("Google".into()))
    );
    assert_eq!(conflict.warnings[0].code(), WarningCode::LeadSourceConflict);
    assert_eq!(conflict.warnings[0].path(), "/lead_source/name");

    // `docs/rules.md` §2.2 rule 5: a sent crm_lead_source_id is kept too; the tracker only warns.
    let same = check(with(
        json!({"crm_lead_source_id": B, "marketing": {"wegly_code": "OPP123"}}),
    ))
    .unwrap();
    assert_eq!(
        same.request.lead_source(),
        Some(&LeadSource::Existing(B.parse().unwrap()))
    );
    assert!(same.warnings.is_empty(), "{:?}", same.warnings);
    let other = check(with(
        json!({"crm_lead_source_id": A, "marketing": {"wegly_code": "OPP123"}}),
    ))
    .unwrap();
    assert_eq!(
        other.request.lead_source(),
        Some(&LeadSource::Existing(A.parse().unwrap()))
    );
    assert_eq!(other.warnings[0].code(), WarningCode::LeadSourceConflict);
    assert_eq!(other.warnings[0].path(), "/crm_lead_source_id");

    let unknown = check(with(json!({"marketing": {"wegly_code": "NOPE"}}))).unwrap();
    assert_eq!(unknown.warnings[0].code(), WarningCode::UnknownTracker);
    assert_eq!(unknown.warnings[0].path(), "/marketing/wegly_code");
}

#[test]
fn the_builder_runs_the_same_validation() {
    let a: Uuid = A.parse().unwrap();
    let b: Uuid = B.parse().unwrap();
    let mut person = NewPerson::new("Roberto Martins");
    person.contacts.push(Contact::new(0, "+55 11 99988-7766"));
    person.avoid_duplicate = Some(true);
    let built = CreateDealRequest::builder(" Deal ")
        .value(Money::from_cents(150).unwrap())
        .tag("crm")
        .person(person)
        .organization(Organization::Named("Tech".into()))
        .lead_source(LeadSource::Existing(a))
        .follower(Follower {
            user_id: a,
            role_id: b,
        })
        .note(Note {
            content: "hi".into(),
            is_pinned: false,
        })
        .marketing_field("utm_source", " google ")
        .build()
        .unwrap();
    let json = serde_json::to_vec(&built.request).unwrap();
    let parsed = CreateDealRequest::from_json(&json).unwrap();
    assert_eq!(parsed.request, built.request);
    assert_eq!(built.request.title(), "Deal");
    assert_eq!(
        built.request.marketing().unwrap().get("wegly_source"),
        Some("google")
    );

    // The same rules reject the same problems, at the same paths.
    let rejected = CreateDealRequest::builder("")
        .person_id(a)
        .primary_person_id(b)
        .tag(" ")
        .marketing_field("Referrer", "x")
        .build()
        .unwrap_err();
    let errors: Vec<_> = rejected
        .errors
        .iter()
        .map(|e| (crate::text(e.path()), e.code()))
        .collect();
    assert_eq!(
        errors,
        [
            ("/title", ErrorCode::Required),
            ("/tags/0", ErrorCode::Empty),
            ("/primary_person_id", ErrorCode::NotAssociated),
        ]
    );
    assert_eq!(rejected.warnings[0].path(), "/marketing/Referrer");
}

#[test]
fn options_reach_the_request() {
    let payload = br#"{"title": "T", "marketing": {"utm_source": "abcdef"}}"#;
    let valid = Normalizer::new()
        .max_value_chars(3)
        .create_deal(payload)
        .unwrap();
    assert_eq!(valid.request.marketing(), None);
    assert_eq!(valid.warnings[0].code(), WarningCode::ValueTooLong);
    assert_eq!(valid.warnings[0].path(), "/marketing/utm_source");
}

fn uuid() -> impl Strategy<Value = String> {
    any::<u128>().prop_map(|n| Uuid::from_u128(n).to_string())
}

fn text() -> impl Strategy<Value = String> {
    "[ \t]{0,2}[A-Za-zÀ-ú0-9][A-Za-zÀ-ú0-9 .,-]{0,40}[ ]{0,2}"
}

prop_compose! {
    pub(crate) fn valid_payload()(
        title in text(),
        ids in prop::collection::vec(uuid(), 4),
        rating in prop::option::of(1..=5i64),
        reason in prop::option::of(text()),
        cents in prop::option::of(0..=Money::MAX_CENTS),
        date in prop::option::of((2000..2100i32, 1..=12i32, 1..=28i32, any::<bool>())),
        visibility in prop::option::of(0..=2i64),
        temperature in prop::option::of(1..=3i64),
        tags in prop::collection::vec("[a-z]{1,8}", 0..4),
        person in prop::option::of((text(), prop::collection::vec((0..4u32, text()), 0..3))),
        organization in prop::option::of(prop::option::of(text())),
        url in prop::option::of("(https://x\\.com\\.br/lp)?\\?(utm_source=[a-z]{1,6}&|UTM_Medium=[A-Z]{1,3}&|gclid=[A-Za-z0-9]{4}&|amp;utm_term=a\\+b&|x=1&)*(#/ok\\?utm_content=c)?"),
        utm_source in prop::option::of(text()),
        followers in prop::collection::vec((0..3usize, 0..3usize), 0..4),
        note in prop::option::of((text(), any::<bool>())),
    ) -> Value {
        let mut p = json!({ "title": title });
        if let Some(r) = rating { p["quality_rating"] = json!(r); }
        if let Some(r) = reason { p["quality_reason"] = json!(r); }
        if let Some(c) = cents { p["value"] = serde_json::to_value(Money::from_cents(c).unwrap()).unwrap(); }
        if let Some((y, m, d, bare)) = date {
            p["expected_close_date"] = if bare { json!(format!("{y:04}-{m:02}-{d:02}")) } else { json!(format!("{y:04}-{m:02}-{d:02}T10:30:00-03:00")) };
        }
        if let Some(v) = visibility { p["visibility"] = json!(v); }
        if let Some(t) = temperature { p["temperature"] = json!(t); }
        if !tags.is_empty() { p["tags"] = json!(tags); }
        p["stage_id"] = json!(ids[0]);
        p["persons_id"] = json!([{"id": ids[1]}, {"id": ids[2]}]);
        p["primary_person_id"] = json!(ids[2]);
        if let Some((name, contacts)) = person {
            let contacts: Vec<Value> = contacts.into_iter().map(|(t, v)| json!({"type": t, "value": v})).collect();
            p["person"] = json!({"name": name, "contacts": contacts, "avoid_duplicate": true, "duplicate_check_types": [0]});
        }
        match organization {
            Some(Some(name)) => p["organization"] = json!({"name": name}),
            Some(None) => p["organization_id"] = json!(ids[3]),
            None => {}
        }
        let mut marketing = serde_json::Map::new();
        if let Some(u) = url { marketing.insert("url_conversion".into(), json!(u)); }
        if let Some(s) = utm_source { marketing.insert("utm_source".into(), json!(s)); }
        if !marketing.is_empty() { p["marketing"] = Value::Object(marketing); }
        if !followers.is_empty() {
            p["followers"] = followers.iter().map(|&(u, r)| json!({"user_id": ids[u], "role_id": ids[r]})).collect();
        }
        if let Some((content, pinned)) = note { p["note"] = json!({"content": content, "is_pinned": pinned}); }
        p
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A valid payload validates, and written and read again gives the same request.
    #[test]
    fn serialize_then_parse_gives_the_same_request(payload in valid_payload()) {
        let first = CreateDealRequest::from_json(&serde_json::to_vec(&payload).unwrap());
        prop_assert!(first.is_ok(), "{payload}: {first:?}");
        let first = first.unwrap();
        let bytes = serde_json::to_vec(&first.request).unwrap();
        let second = CreateDealRequest::from_json(&bytes).unwrap();
        prop_assert_eq!(&second.request, &first.request);
        // Normalizing a normalized request warns nothing (no over-long values are generated).
        prop_assert_eq!(second.warnings, vec![]);
        prop_assert_eq!(serde_json::to_vec(&second.request).unwrap(), bytes);
    }
}

// Every public type is `Send + Sync` (as the crate docs promise), checked when this file compiles.
const _: () = {
    const fn check<T: Send + Sync + 'static>() {}
    check::<CreateDealRequest>();
    check::<wegly_attribution::Validated>();
    check::<wegly_attribution::Rejected>();
    check::<wegly_attribution::Marketing>();
    check::<Normalizer>();
    check::<wegly_attribution::TrackingParams<'static>>();
    check::<wegly_attribution::response::DealDetail>();
    check::<wegly_attribution::AllowedDomain>();
    check::<wegly_attribution::BearerToken>();
    check::<wegly_attribution::MemoryCatalog>();
    check::<wegly_attribution::CatalogError>();
};
