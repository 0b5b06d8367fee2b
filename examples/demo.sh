#!/usr/bin/env bash
# The gateway walkthrough (README, "Run the gateway"): builds the API stand-in and
# `wegly-gateway` once, starts both, waits until each answers, then shows a created deal (201),
# an invalid one (422), a page on another site (403), a rate limit retried (201) and a deal
# queued while the API is down and delivered when it is back (202); then stops both.
#
# Each step checks its answer, so the script fails when the service does not do what it shows.
#
# Knobs: DEMO_PORT (gateway, default 8080), DEMO_API_PORT (stand-in, default 8787),
# DEMO_PROFILE=debug to use the debug builds of `cargo test --workspace --all-features` (CI).
set -euo pipefail
cd "$(dirname "$0")/.."

port="${DEMO_PORT:-8080}"
api_port="${DEMO_API_PORT:-8787}"
if [ "${DEMO_PROFILE:-release}" = debug ]; then dir=target/debug; else dir=target/release; fi

say() { printf '\n==> %s\n' "$*"; }

say "building the stand-in and the gateway (once)"
if [ "${DEMO_PROFILE:-release}" = debug ]; then
  # The test build has both (the service for its tests, the examples): reuse it as it is.
  cargo test --workspace --all-features --no-run --quiet
else
  cargo build --release --quiet -p wegly-gateway
  cargo build --release --quiet --example fake_wegly --features axum
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/wegly-demo.XXXXXX")"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Waits until `url` answers 200, for at most 10 s.
wait_for() {
  for _ in $(seq 1 100); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "no answer from $1"; cat "$work"/*.log; exit 1
}

say "starting the API stand-in on :$api_port (key tok1, allowed domain wegly.com.br)"
WEGLY_TOKENS='tok1=wegly.com.br' PORT="$api_port" "$dir/examples/fake_wegly" >"$work/api.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$api_port/_fake/deals"

say "starting wegly-gateway on :$port, its outbox in $work/outbox.sqlite"
WEGLY_TOKEN=tok1 WEGLY_BASE_URL="http://127.0.0.1:$api_port" ALLOWED_DOMAIN=wegly.com.br \
  OUTBOX="$work/outbox.sqlite" PORT="$port" "$dir/wegly-gateway" >"$work/gateway.log" 2>&1 &
gateway=$!
pids+=("$gateway")
wait_for "http://127.0.0.1:$port/healthz"

# POSTs a deal from a page: prints the status and the body; fails unless the status is $1.
post() {
  local expected="$1" origin="$2" body="$3" out status
  out="$(curl -sS -w '\n%{http_code}' "http://127.0.0.1:$port/deals" \
    -H "Origin: $origin" -H 'Content-Type: application/json' -d "$body")"
  status="${out##*$'\n'}"
  printf '%s %s\n' "$status" "${out%$'\n'*}"
  [ "$status" = "$expected" ] || { echo "expected $expected"; exit 1; }
}
fault() { curl -fsS -X PUT "http://127.0.0.1:$api_port/_fake/fault" -d "$1"; }

landing=https://landing.wegly.com.br
say "a deal from a landing page: created (201)"
post 201 "$landing" '{"title": "Implantação CRM", "marketing": {"url_conversion": "https://landing.wegly.com.br/lp?utm_source=google&utm_medium=cpc&gclid=AbC"}}'

say "an invalid deal: refused by the gateway, every error at once (422)"
post 422 "$landing" '{"title": "", "value": 10.555, "visibility": 7}'

say "a page on another site: refused (403)"
post 403 https://evilwegly.com.br '{"title": "Implantação CRM"}'

say "the API rate limits once (429, Retry-After: 1): retried, created (201)"
fault 429x1
post 201 "$landing" '{"title": "Retried"}'

say "the API is down (503 on every attempt): queued in the outbox (202)"
fault 503x3
post 202 "$landing" '{"title": "Queued while the API was down"}'
say "... and delivered once the API is back: /healthz"
for _ in $(seq 1 100); do
  health="$(curl -fsS "http://127.0.0.1:$port/healthz")"
  case "$health" in *'"delivered":1'*) break ;; esac
  sleep 0.1
done
echo "$health"
case "$health" in *'"delivered":1'*) ;; *) echo "not delivered"; exit 1 ;; esac
OUTBOX="$work/outbox.sqlite" "$dir/wegly-gateway" outbox list

say "the deals the API holds"
curl -fsS "http://127.0.0.1:$api_port/_fake/deals"; echo

say "stopping: SIGTERM drains and exits 0"
kill -TERM "$gateway"
wait "$gateway" && echo "wegly-gateway exited 0"
