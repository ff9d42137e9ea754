#!/usr/bin/env bash
# `make test` several times in a row (default 5) while stress-ng keeps every core busy: the suite must pass
# on a loaded machine, so its browser tests wait for conditions, never for fixed times.
#   tools/stress-test.sh [RUNS]        (RUNS=5; STRESS_CPUS=N to load N cores instead of all)
# Installs stress-ng with apt-get when run as root and it is missing. Prints one line per run and a
# summary; exits 1 if any run failed. Logs go to .bench/stress/run-N.log.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
cpus="${STRESS_CPUS:-$(nproc)}"
if ! command -v stress-ng >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing stress-ng with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends stress-ng >/dev/null
  else
    echo "stress-ng is missing: sudo apt-get install stress-ng" >&2
    exit 1
  fi
fi
logs=.bench/stress
mkdir -p "$logs"
stress-ng --cpu "$cpus" --cpu-method all --quiet &
stress=$!
trap 'kill "$stress" 2>/dev/null || true; wait "$stress" 2>/dev/null || true' EXIT
failed=0
for n in $(seq 1 "$runs"); do
  start=$(date +%s)
  if make test >"$logs/run-$n.log" 2>&1; then status=passed; else status=FAILED; failed=$((failed + 1)); fi
  took=$(( $(date +%s) - start ))
  summary=$(grep -E '^[0-9]+ (passed|failed)|[0-9]+ passed' "$logs/run-$n.log" | tail -1 || true)
  printf 'run %d/%d: %s in %d s, load %s — %s\n' "$n" "$runs" "$status" "$took" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" "${summary:-no pytest summary; see $logs/run-$n.log}"
done
echo "$((runs - failed)) of $runs runs passed with stress-ng --cpu $cpus running"
[ "$failed" = 0 ]
