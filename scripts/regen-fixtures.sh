#!/usr/bin/env bash
# Regenerates the Go-workload pprof fixtures:
#   resources/samples/fleet-controller-cpu.pb.gz, resources/samples/heap.pb.gz
#   test/fixtures/workload-out/        (every profile type from -write)
#   test/fixtures/continuous-workload/ (Fleet-style continuous CPU profiles)
# Needs only a Go toolchain (>= 1.19, standard library only, no network).
# Profiles are sampled from a live run, so every regeneration differs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

SAMPLE_SECONDS="${SAMPLE_SECONDS:-5}"
WRITE_SECONDS="${WRITE_SECONDS:-3}"
CONT_PERIOD="${CONT_PERIOD:-2s}"
CONT_COUNT="${CONT_COUNT:-8}"
SAMPLE_MAX_BYTES=$((100 * 1024))

command -v go >/dev/null 2>&1 || { echo "regen-fixtures: 'go' not found on PATH" >&2; exit 1; }

export GOPROXY=off GOFLAGS= GOTOOLCHAIN=local CGO_ENABLED=0

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "==> building test/fixtures/workload"
(cd test/fixtures/workload && go vet . && go build -trimpath -buildvcs=false -o "$tmp/workload" .)
wl="$tmp/workload"

check() { # check FILE: must parse with go tool pprof
  go tool pprof -top "$1" >/dev/null 2>&1 || { echo "regen-fixtures: $1 does not parse" >&2; exit 1; }
}

echo "==> resources/samples (${SAMPLE_SECONDS}s CPU)"
"$wl" -write "$tmp/sample" -seconds "$SAMPLE_SECONDS"
mkdir -p resources/samples
cp "$tmp/sample/cpu.pb.gz" resources/samples/fleet-controller-cpu.pb.gz
cp "$tmp/sample/heap.pb.gz" resources/samples/heap.pb.gz
size=$(wc -c < resources/samples/fleet-controller-cpu.pb.gz)
if [ "$size" -gt "$SAMPLE_MAX_BYTES" ]; then
  echo "regen-fixtures: sample CPU profile is $size bytes (> $SAMPLE_MAX_BYTES)" >&2
  exit 1
fi
for f in resources/samples/fleet-controller-cpu.pb.gz resources/samples/heap.pb.gz; do check "$f"; done
go tool pprof -tags resources/samples/fleet-controller-cpu.pb.gz 2>/dev/null | grep -q 'controller:' \
  || { echo "regen-fixtures: sample CPU profile has no controller labels" >&2; exit 1; }

echo "==> test/fixtures/workload-out (${WRITE_SECONDS}s CPU)"
rm -rf test/fixtures/workload-out
"$wl" -write test/fixtures/workload-out -seconds "$WRITE_SECONDS"
for f in test/fixtures/workload-out/*.pb.gz; do check "$f"; done

echo "==> test/fixtures/continuous-workload (${CONT_COUNT} x ${CONT_PERIOD})"
rm -rf test/fixtures/continuous-workload
"$wl" -continuous test/fixtures/continuous-workload -period "$CONT_PERIOD" -count "$CONT_COUNT" -component fleetcontroller
for f in test/fixtures/continuous-workload/*.pb.gz; do check "$f"; done

echo "==> done"
ls -l resources/samples test/fixtures/workload-out test/fixtures/continuous-workload
