#!/usr/bin/env bash
# Runs the benches, counts the instructions of the same cases with callgrind, times the CLI
# against jq, and prints the markdown report of benches/REPORT.md.
#
# Usage, from the repository root, on a quiet machine (it takes several minutes):
#
#     bash benches/report.sh > benches/REPORT.md
#
# Progress and the raw criterion output go to stderr and target/bench-extract.log; the report
# itself goes to stdout. REPORT_SKIP_BENCH=1 reuses the last criterion estimates.
set -euo pipefail

cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
criterion="$target/criterion"

log() { printf '%s\n' "$*" >&2; }

need() { # need COMMAND PACKAGE: install PACKAGE with apt-get when COMMAND is missing.
    if ! command -v "$1" > /dev/null 2>&1 && ! [ -x "$1" ]; then
        log "installing $2"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq && $sudo apt-get install -y -qq "$2" > /dev/null
    fi
}

# --- 1. criterion ---------------------------------------------------------------------------

mkdir -p "$target"
if [ -n "${REPORT_SKIP_BENCH:-}" ]; then
    log "REPORT_SKIP_BENCH set: reusing the estimates already in $criterion"
else
    log "running cargo bench --bench extract (log: $target/bench-extract.log)"
    cargo bench --bench extract > "$target/bench-extract.log" 2>&1 || {
        tail -n 40 "$target/bench-extract.log" >&2
        exit 1
    }
fi

printf 'Machine: %s cores, %s, %s; %s\n\n' "$(nproc)" \
    "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
    "$(rustc --version)" "$(date -u '+%Y-%m-%d %H:%M UTC')"

python3 - "$criterion" <<'PY'
import json, os, sys

root = sys.argv[1]

def safe(name):
    # criterion's make_filename_safe
    for c in '?"/\\*<>:|^':
        name = name.replace(c, "_")
    return name

def ns(*ids):
    # A group, a function, and for `BenchmarkId::new` a parameter: one directory each.
    path = os.path.join(root, *map(safe, ids), "new", "estimates.json")
    try:
        with open(path) as f:
            return json.load(f)["median"]["point_estimate"]
    except FileNotFoundError:
        return None

def mark(ok):
    return "✓" if ok else "✗"

def fmt(x, digits=1):
    return "n/a" if x is None else f"{x:,.{digits}f}"

def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b

def check(value, target, at_least):
    if value is None:
        return "n/a"
    ok = value >= target if at_least else value <= target
    return f"{value:.2f}x {mark(ok)}"

urls = ["seed", "meta_ad", "google_ads", "encoded", "hash_router", "plain"]
print("## `tracking_params` against its peers (median ns per URL)")
print()
print("| URL | bytes | wegly | url | form_urlencoded | memchr_floor "
      "| url/wegly (≥10x) | form_urlencoded/wegly (≥4x) | wegly/memchr_floor (≤3x) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for name in urls:
    group = f"extract/{name}"
    try:
        size = len(open(f"benches/data/{name}.txt").read().strip())
    except FileNotFoundError:
        size = None
    w, u, f, m = (ns(group, fn) for fn in ("wegly", "url", "form_urlencoded", "memchr_floor"))
    print(f"| {name} | {size} | {fmt(w)} | {fmt(u)} | {fmt(f)} | {fmt(m)} "
          f"| {check(ratio(u, w), 10, True)} | {check(ratio(f, w), 4, True)} "
          f"| {check(ratio(w, m), 3, False)} |")

print()
print("## `CreateDealRequest::from_json` against plain serde structs (median ns per payload)")
print()
print("| payload | bytes | wegly | serde_typed | wegly/serde_typed (≤1.3x) |")
print("|---|---:|---:|---:|---:|")
for name in ["seed", "large"]:
    group = f"create_deal/{name}"
    size = os.path.getsize(f"benches/data/{name}_deal.json")
    w, s = ns(group, "wegly"), ns(group, "serde_typed")
    print(f"| {name} | {size} | {fmt(w)} | {fmt(s)} | {check(ratio(w, s), 1.3, False)} |")

print()
print("The seed request built in Rust (`CreateDealRequest::builder`, typed values parsed once) against")
print("the same values moved into the plain structs, and against `from_json` of its JSON:")
print()
print("| request | builder | plain structs | from_json | builder/plain | builder/from_json |")
print("|---|---:|---:|---:|---:|---:|")
b, p, j = (ns("builder/seed", fn) for fn in ("wegly", "plain_struct", "from_json"))
print(f"| seed | {fmt(b)} | {fmt(p)} | {fmt(j)} | {fmt(ratio(b, p), 2)}x | {fmt(ratio(b, j), 2)}x |")

print()
print("## `tracking_params` scaling (synthetic URLs)")
print()
sizes = [("1KiB", 1 << 10), ("64KiB", 64 << 10), ("1MiB", 1 << 20)]
per_byte = {}
print("| size | median ns | ns/byte | MB/s |")
print("|---|---:|---:|---:|")
for label, size in sizes:
    t = ns("scaling", "wegly", label)
    per_byte[label] = None if t is None else t / size
    mbs = None if t is None else size / t * 1e3
    print(f"| {label} | {fmt(t)} | {fmt(per_byte[label], 3)} | {fmt(mbs, 0)} |")
print()
r = ratio(per_byte["1MiB"], per_byte["1KiB"])
print(f"(ns/byte at 1 MiB) / (ns/byte at 1 KiB) (≤1.2): {check(r, 1.2, False)}")
print()
PY

# --- 2. instruction counts ---------------------------------------------------------------------
# Times on a shared machine move by tens of percent from one run to the next; instruction
# counts do not. Each case runs under callgrind with 1 and with 1001 iterations, and the
# difference over 1000 is the cost of one iteration.

need valgrind valgrind
log "counting instructions with callgrind"
counts_bin="$(cargo bench --features arrow --bench counts --no-run 2>&1 | sed -n 's/.*Executable .*(\(.*\))$/\1/p' | tail -n 1)"
[ -x "$counts_bin" ] || { log "no counts bench binary"; exit 1; }
refs() { # refs ARGS...: the instructions callgrind counts for one run of the counts bench.
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$counts_bin" "$@" 2>&1 \
        | sed -n 's/.*refs: *//p' | tr -d ,
}
counts="$target/bench-counts.tsv"
: > "$counts"
for case in "extract seed" "extract meta_ad" "extract google_ads" "extract encoded" \
    "extract hash_router" "extract plain"; do
    for function in wegly from_url normalized url form_urlencoded memchr_floor; do
        # shellcheck disable=SC2086 # $case is two words on purpose.
        one="$(refs $case "$function" 1)"
        many="$(refs $case "$function" 1001)"
        printf '%s\t%s\t%s\n' "$case" "$function" "$(( (many - one) / 1000 ))" >> "$counts"
    done
done
for url in seed meta_ad google_ads encoded hash_router plain; do
    # `Marketing::channel` on the URL normalized outside the measured loop.
    one="$(refs channel "$url" wegly 1)"
    many="$(refs channel "$url" wegly 1001)"
    printf 'channel %s\twegly\t%s\n' "$url" "$(( (many - one) / 1000 ))" >> "$counts"
done
for payload in seed large long_url; do
    functions="wegly serde_typed"
    # The builder and its plain-struct floor build the seed request only.
    [ "$payload" = seed ] && functions="$functions builder plain_struct"
    for function in $functions; do
        one="$(refs create_deal "$payload" "$function" 1)"
        many="$(refs create_deal "$payload" "$function" 1001)"
        printf 'create_deal %s\t%s\t%s\n' "$payload" "$function" "$(( (many - one) / 1000 ))" \
            >> "$counts"
    done
done

for function in marketing all from_url; do
    # The Arrow kernel over one batch of 1,000 URLs of the corpus: a count per batch.
    one="$(refs kernel corpus "$function" 1)"
    many="$(refs kernel corpus "$function" 11)"
    printf 'kernel corpus\t%s\t%s\n' "$function" "$(( (many - one) / 10 ))" >> "$counts"
done

python3 - "$counts" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    case, function, n = line.rstrip("\n").split("\t")
    rows.setdefault(case, {})[function] = int(n)
mark = lambda ok: "✓" if ok else "✗"
print("## Instructions per call (callgrind; deterministic, unlike the times above)")
print()
print("| URL | wegly | url | form_urlencoded | memchr_floor | url/wegly (≥10x) "
      "| form_urlencoded/wegly (≥4x) | wegly/memchr_floor (≤3x) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for case, f in rows.items():
    if not case.startswith("extract "):
        continue
    w, u, fu, m = f["wegly"], f["url"], f["form_urlencoded"], f["memchr_floor"]
    print(f"| {case.split()[1]} | {w:,} | {u:,} | {fu:,} | {m:,} | {u / w:.2f}x {mark(u / w >= 10)} "
          f"| {fu / w:.2f}x {mark(fu / w >= 4)} | {w / m:.2f}x {mark(w / m <= 3)} |")
print()
print("`Marketing::from_url` (the normalized object and its click ids) and `Normalized::from_url`")
print("(the same with its warnings) against the iterator they are built on, and against `url`'s")
print("parse alone:")
print()
print("| URL | from_url | normalized | tracking_params | from_url/tracking_params (≤2x) "
      "| normalized/tracking_params | url/from_url |")
print("|---|---:|---:|---:|---:|---:|---:|")
for case, f in rows.items():
    if not case.startswith("extract "):
        continue
    n, z, w, u = f["from_url"], f["normalized"], f["wegly"], f["url"]
    print(f"| {case.split()[1]} | {n:,} | {z:,} | {w:,} | {n / w:.2f}x {mark(n <= 2 * w)} "
          f"| {z / w:.2f}x | {u / n:.2f}x |")
print()
print("| payload | wegly | serde_typed | wegly/serde_typed (≤1.3x) |")
print("|---|---:|---:|---:|")
for case, f in rows.items():
    if not case.startswith("create_deal "):
        continue
    w, s = f["wegly"], f["serde_typed"]
    print(f"| {case.split()[1]} | {w:,} | {s:,} | {w / s:.2f}x {mark(w / s <= 1.3)} |")
print()
seed = rows.get("create_deal seed", {})
if "builder" in seed:
    b, p, j = seed["builder"], seed["plain_struct"], seed["wegly"]
    print("| request | builder | plain structs | from_json | builder/plain | builder/from_json |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| seed | {b:,} | {p:,} | {j:,} | {b / p:.2f}x | {b / j:.2f}x |")
    print()
kernel = rows.get("kernel corpus", {})
if kernel:
    m, a, f = (kernel[name] / 1000 for name in ("marketing", "all", "from_url"))
    print("The Arrow kernel per URL (one batch of 1,000 URLs of the corpus), against the loop of")
    print("`Marketing::from_url` over the same URLs (no Arrow, a fresh object a row):")
    print()
    print("| kernel, `fields=[\"marketing\"]` | kernel, all fields | `from_url` loop | marketing/loop |")
    print("|---:|---:|---:|---:|")
    print(f"| {m:,.0f} | {a:,.0f} | {f:,.0f} | {m / f:.2f}x |")
    print()
print("| URL | `Marketing::channel` | `tracking_params` | channel/tracking_params (≤20%) |")
print("|---|---:|---:|---:|")
for case, f in rows.items():
    if not case.startswith("channel "):
        continue
    name = case.split()[1]
    c, t = f["wegly"], rows[f"extract {name}"]["wegly"]
    print(f"| {name} | {c:,} | {t:,} | {100 * c / t:.1f}% {mark(c <= 0.2 * t)} |")
print()
PY

# --- 3. the command-line tool -----------------------------------------------------------------

log "building the CLI"
cargo build --release --features cli >&2
bin="$target/release/wegly-attribution"
need jq jq
need /usr/bin/time time

sample=examples/deals.ndjson
big="$target/bench-deals.ndjson"
small="$target/bench-deals-10mb.ndjson"
# jq stops at the first malformed line, so it reads the same records without those.
big_jq="$target/bench-deals-jq.ndjson"

# The bundled sample (83 realistic payloads, some invalid on purpose) repeated to 60 MB and 10 MB.
python3 - "$sample" "$big" "$small" "$big_jq" <<'PY'
import json, sys
sample, big, small, big_jq = sys.argv[1:]
data = open(sample, "rb").read()
if not data.endswith(b"\n"):
    data += b"\n"
valid = []
for line in data.splitlines(keepends=True):
    try:
        json.loads(line)
        valid.append(line)
    except ValueError:
        pass  # blank or malformed
valid = b"".join(valid)
for path, chunk, size in [(big, data, 60_000_000), (small, data, 10_000_000),
                          (big_jq, valid, 60_000_000)]:
    with open(path, "wb") as f:
        f.write(chunk * -(-size // len(chunk)))
PY

records() { grep -c '[^[:space:]]' "$1"; }

# measure NAME COMMAND...: runs COMMAND under /usr/bin/time -v three times; prints
# "seconds kbytes status" of the fastest run (other processes only ever slow a run down).
measure() {
    local out="$target/time-$1.txt"
    shift
    local status=0 run
    for run in 1 2 3; do
        status=0
        /usr/bin/time -v -o "$out.$run" "$@" > /dev/null 2> "$out.stderr" || status=$?
    done
    python3 - "$out" "$status" <<'PY'
import re, sys
best = None
for run in (1, 2, 3):
    text = open(f"{sys.argv[1]}.{run}").read()
    wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", text).group(1)
    secs = 0.0
    for part in wall.split(":"):
        secs = secs * 60 + float(part)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    if best is None or secs < best[0]:
        best = (secs, rss)
print(best[0], best[1], sys.argv[2])
PY
}

log "checking that -j 1 and -j 2 write the same bytes"
if cmp -s <("$bin" normalize -j 1 --summary none "$big") <("$bin" normalize -j 2 --summary none "$big"); then
    same=yes
else
    same=NO
fi
log "timing $bin normalize -j 1 and -j 2 on $(du -h "$big" | cut -f1)"
read -r j1_s j1_kb j1_status < <(measure j1 "$bin" normalize -j 1 "$big")
read -r j2_s j2_kb j2_status < <(measure j2 "$bin" normalize -j 2 "$big")
read -r small_s small_kb small_status < <(measure j2-small "$bin" normalize -j 2 "$small")
log "timing jq -c ."
read -r jq_s jq_kb jq_status < <(measure jq jq -c . "$big_jq")

python3 - "$big" "$small" "$big_jq" "$(records "$big")" "$(records "$small")" \
    "$(records "$big_jq")" "$j1_s" "$j1_kb" "$j1_status" "$j2_s" "$j2_kb" "$j2_status" \
    "$small_s" "$small_kb" "$small_status" "$jq_s" "$jq_kb" "$jq_status" "$(jq --version)" \
    "$same" "$(cat /proc/loadavg)" <<'PY'
import os, sys
(big, small, big_jq, n_big, n_small, n_jq, j1_s, j1_kb, j1_st, j2_s, j2_kb, j2_st, small_s,
 small_kb, small_st, jq_s, jq_kb, jq_st, jq_version, same, loadavg) = sys.argv[1:]
n_big, n_small, n_jq = int(n_big), int(n_small), int(n_jq)
j1_s, j2_s, small_s, jq_s = float(j1_s), float(j2_s), float(small_s), float(jq_s)
j1_kb, j2_kb, small_kb, jq_kb = int(j1_kb), int(j2_kb), int(small_kb), int(jq_kb)
mb = lambda p: os.path.getsize(p) / 1e6
rate = lambda n, s: n / s if s else float("inf")
print("## CLI: `wegly-attribution normalize` against `jq -c .`")
print()
print("Fastest of three runs each; the input is `examples/deals.ndjson` repeated.")
print()
print("| run | input | records | exit | wall s | records/s | MB/s | max RSS MiB |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
rows = [
    ("`wegly-attribution normalize -j 1`", big, n_big, j1_st, j1_s, j1_kb),
    ("`wegly-attribution normalize -j 2`", big, n_big, j2_st, j2_s, j2_kb),
    ("`wegly-attribution normalize -j 2`", small, n_small, small_st, small_s, small_kb),
    (f"`jq -c .` ({jq_version})", big_jq, n_jq, jq_st, jq_s, jq_kb),
]
for name, path, n, st, s, kb in rows:
    mbs = mb(path) / s if s else float("inf")
    print(f"| {name} | {mb(path):.1f} MB | {n:,} | {st} | {s:.2f} | {rate(n, s):,.0f} "
          f"| {mbs:.1f} | {kb / 1024:.1f} |")
print()
speedup = rate(n_big, j2_s) / rate(n_big, j1_s)
mark = lambda ok: "✓" if ok else "✗"
print(f"- records/s, `-j 2` / `-j 1`: {speedup:.2f}x {mark(speedup >= 1.6)} (target ≥1.6x on 2 cores; "
      f"load average at the end: {' '.join(loadavg.split()[:3])}, which other processes "
      "on the machine lower)")
print(f"- `-j 1` and `-j 2` write the same bytes: {same}")
print(f"- records/s, `-j 1` / jq: {rate(n_big, j1_s) / rate(n_jq, jq_s):.2f}x; "
      f"`-j 2` / jq: {rate(n_big, j2_s) / rate(n_jq, jq_s):.2f}x")
print(f"- max RSS of `-j 2` at {mb(big):.0f} MB / at {mb(small):.0f} MB: "
      f"{j2_kb / small_kb:.2f}x ({'flat' if j2_kb <= 1.5 * small_kb else 'NOT flat'})")
print("- exit status 1 is expected for ours: the sample holds invalid records.")
print("- jq reads the same sample without its malformed line (it stops at the first one).")
PY

# --- Arrow and Python -------------------------------------------------------------------------

# The wheel in .ci/python's virtualenv; built (with the package's tests) when absent.
if ! [ -x .venv-ci/bin/python ] || ! .venv-ci/bin/python -c 'import wegly_attribution' 2>/dev/null; then
    log "building the Python package (bash .ci/python)"
    bash .ci/python >&2
fi
log "timing normalize_urls against a Rust loop and a hand-written Spark UDF"
echo
.venv-ci/bin/python benches/python_bench.py 1000000 2> "$target/bench-python.log"
