//! The outbox across crashes: `kill -9` at any moment loses no queued deal and creates none
//! twice; and the operator's commands.

use std::collections::HashMap;
use std::time::Duration;

use serde_json::Value;

use super::{Gateway, LANDING, created, deal, eventually, outbox_command, post, scratch, stand_in};

/// Every entry of the outbox file, by title.
fn entries(file: &std::path::Path) -> HashMap<String, Value> {
    let (code, lines, stderr) = outbox_command(file, &["list"]);
    assert_eq!(code, 0, "{stderr}");
    lines
        .into_iter()
        .map(|entry| (entry["title"].as_str().unwrap().to_owned(), entry))
        .collect()
}

#[tokio::test]
async fn kill_9_loses_no_queued_deal_and_creates_none_twice() {
    let (api, fake) = stand_in().await;
    let dir = scratch("kill");
    let file = dir.join("outbox.sqlite");
    let settings = [
        ("OUTBOX", file.to_str().unwrap()),
        ("OUTBOX_MAX_BACKOFF", "0.2"),
    ];
    let titles: Vec<String> = (0..24).map(|i| format!("deal {i}")).collect();
    let mut queued = Vec::new();
    let mut kills = 0;

    // The API is down (503): every deal is queued. The gateway is killed while deals are
    // being posted, and started again on the same file.
    fake.set_default_fault(Some("503x1000000"));
    for batch in titles.chunks(8) {
        let gateway = Gateway::start(&api, &settings);
        let url = gateway.url("/deals");
        let posts: Vec<_> = batch
            .iter()
            .map(|title| {
                let url = url.clone();
                let title = title.clone();
                tokio::spawn(async move { (title.clone(), post_or_lost(&url, &title).await) })
            })
            .collect();
        // Kill mid-batch: some answers have gone out, some not.
        tokio::time::sleep(Duration::from_millis(350)).await;
        gateway.kill();
        kills += 1;
        for answer in posts {
            let (title, status) = answer.await.unwrap();
            if status == Some(202) {
                queued.push(title);
            }
        }
    }
    assert!(
        !queued.is_empty(),
        "some deals were queued before the kills"
    );

    // The API is back but slow (it stores, then answers after 1.5 s): the gateway is killed
    // while the deliverer is sending.
    fake.set_default_fault(Some("slowx1000000"));
    for _ in 0..2 {
        let before = fake.deals().len();
        let gateway = Gateway::start(&api, &settings);
        assert!(
            eventually(Duration::from_secs(10), async || fake.deals().len()
                > before)
            .await,
            "the deliverer sent one"
        );
        gateway.kill();
        kills += 1;
    }

    // Back to normal: the rest is delivered.
    fake.set_default_fault(None);
    let gateway = Gateway::start(&api, &settings);
    let drained = eventually(Duration::from_secs(20), async || {
        let health = super::healthz(&gateway).await;
        health["outbox"]["queued"] == 0 && health["outbox"]["sending"] == 0
    })
    .await;
    assert!(drained, "{}", super::healthz(&gateway).await);
    drop(gateway);

    let entries = entries(&file);
    let mut unknown = 0;
    for title in &titles {
        let count = created(&fake, title);
        // None twice, whatever happened.
        assert!(count <= 1, "{title} created {count} times");
        match entries.get(title) {
            Some(entry) => match entry["state"].as_str().unwrap() {
                "delivered" => {
                    assert_eq!(count, 1, "{title} delivered once");
                    assert_eq!(
                        entry["deal_id"],
                        fake.deals()
                            .iter()
                            .find(|d| d.request["title"] == title.as_str())
                            .unwrap()
                            .id
                            .to_string()
                    );
                }
                // Being sent when the gateway was killed: never sent again.
                "unknown" => unknown += 1,
                state => panic!("{title} left {state}"),
            },
            // Not in the outbox: the kill came before its commit, and it was never answered
            // 202 nor sent.
            None => {
                assert!(!queued.contains(title), "{title} was queued (202) and lost");
                assert_eq!(count, 0, "{title}");
            }
        }
    }
    // The two kills while the deliverer was sending left their entries unknown (the deals
    // exist, once); a kill while posting may have caught one more mid-attempt.
    assert!(
        (2..=kills).contains(&unknown),
        "{unknown} unknown after {kills} kills"
    );
    for title in &queued {
        assert!(
            entries.contains_key(title),
            "{title} answered 202, then lost"
        );
    }
}

/// A POST's status, or `None` when the gateway died before answering.
async fn post_or_lost(url: &str, title: &str) -> Option<u16> {
    let response = reqwest::Client::new()
        .post(url)
        .header("origin", LANDING)
        .header("content-type", "application/json")
        .body(deal(title))
        .timeout(Duration::from_secs(20))
        .send()
        .await
        .ok()?;
    let status = response.status().as_u16();
    // The answer counts only once its body is in.
    response.bytes().await.ok()?;
    Some(status)
}

#[tokio::test]
async fn operators_list_retry_and_drop_entries() {
    let (api, fake) = stand_in().await;
    let dir = scratch("commands");
    let file = dir.join("outbox.sqlite");
    let gateway = Gateway::start(&api, &[("OUTBOX", file.to_str().unwrap())]);
    let url = gateway.url("/deals");
    fake.set_default_fault(Some("500x2"));
    for title in ["first", "second"] {
        let (status, _, body) = post(&url, LANDING, &deal(title)).await;
        assert_eq!(status, 502, "{body}");
    }
    let (code, unknown, _) = outbox_command(&file, &["list", "--state", "unknown"]);
    assert_eq!(code, 0);
    let ids: Vec<String> = unknown.iter().map(|e| e["id"].to_string()).collect();
    assert_eq!(ids.len(), 2);
    for entry in &unknown {
        let keys: Vec<&str> = entry
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["attempts", "created_at", "deal_id", "id", "state", "title"]
        );
    }

    // The operator found "first" was created (the stand-in stored both): drops it. Then
    // decides to send "second" again: retried, delivered, and now there are two.
    assert_eq!(outbox_command(&file, &["drop", &ids[0]]).0, 0);
    assert_eq!(outbox_command(&file, &["retry", &ids[1]]).0, 0);
    assert!(
        eventually(Duration::from_secs(10), async || created(&fake, "second")
            == 2)
        .await
    );
    let (_, delivered, _) = outbox_command(&file, &["list", "--state", "delivered"]);
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0]["title"], "second");

    // What does not apply is refused with a reason, exit 1; a bad state is a usage error.
    let (code, _, stderr) = outbox_command(&file, &["retry", &ids[0]]);
    assert_eq!(
        (code, stderr.trim()),
        (
            1,
            format!("wegly-gateway: no outbox entry {}", ids[0]).as_str()
        )
    );
    let (code, _, stderr) = outbox_command(&file, &["retry", &ids[1]]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("is delivered: it cannot be retried"),
        "{stderr}"
    );
    let (code, _, stderr) = outbox_command(&file, &["list", "--state", "lost"]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = outbox_command(&dir.join("none.sqlite"), &["list"]);
    assert_eq!(code, 2, "{stderr}");
}
