#!/usr/bin/env bash
# tools/prometheus: starts Debian's Prometheus on 127.0.0.1 with the five local scrape targets (the portal's too) and the alert
# rules of deploy/monitoring/rules, reports status, and stops it. Uses a private CCHC_HOME and a free port.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
home=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export CCHC_HOME=$home CCHC_PROMETHEUS_PORT=$port
cleanup() { "$root/tools/prometheus" stop >/dev/null 2>&1 || true; rm -rf "$home"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$root/tools/prometheus" start
"$root/tools/prometheus" start | grep -q "already running" || fail "a second start is not a no-op"
python3 - "$port" "$root/deploy/monitoring/rules/cchc.rules.yml" <<'PY'
import json, sys, time, urllib.request, yaml
port, path = sys.argv[1], sys.argv[2]
get = lambda p: json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}{p}", timeout=5))
source = yaml.safe_load(open(path))
want = sorted(r.get("alert") or r.get("record") for g in source["groups"] for r in g["rules"])
scraped, loaded = [], []
for _ in range(100):  # target discovery runs shortly after start-up
    loaded = sorted(r["name"] for g in get("/api/v1/rules")["data"]["groups"] for r in g["rules"])
    scraped = sorted((t["labels"]["job"], t["scrapeUrl"]) for t in get("/api/v1/targets")["data"]["activeTargets"])
    if len(scraped) == 4 and loaded == want:
        break
    time.sleep(0.1)
assert loaded == want, f"loaded rules {loaded} != {want}"
jobs = [j for j, _ in scraped]
assert jobs == ["document-service", "news-service", "notification-service", "portal-service", "scoring-service"], scraped
assert all(u.startswith("http://127.0.0.1:946") for _, u in scraped), scraped
print(f"prometheus: {len(loaded)} rules loaded, targets {scraped}")
PY
ss -ltn | grep -q "127.0.0.1:$port " || fail "not listening on 127.0.0.1:$port only"
[[ -d "$home/prometheus/data" ]] || fail "no data under \$CCHC_HOME/prometheus"
"$root/tools/prometheus" stop
"$root/tools/prometheus" status | grep -q "not running" || fail "still running after stop"
echo "tools/prometheus: start, status, stop ok"
