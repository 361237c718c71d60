#!/usr/bin/env bash
# The README's first command after `npm ci`: `npm start` must come up (in browser mode where
# there is no Electron binary) and serve the app. Run by .ci/run on a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'kill -- -$pid 2>/dev/null || true; rm -f "$log"' EXIT
set -m
npm start -- --no-open >"$log" 2>&1 &
pid=$!
set +m
for _ in $(seq 1 120); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/[^ ]*' "$log" | head -1 || true)
  [[ -n "$url" ]] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "npm start exited early"; exit 1; }
  sleep 1
done
[[ -n "${url:-}" ]] || { cat "$log"; echo "npm start did not serve within 120 s"; exit 1; }
code=$(curl -s -L -b /dev/null -o /dev/null -w '%{http_code}' "$url")
[[ "$code" == 200 ]] || { echo "GET $url answered $code"; exit 1; }
echo "first start ok: $(grep -m1 'No Electron\|serving' "$log" | cut -c1-100)"
