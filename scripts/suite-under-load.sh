#!/usr/bin/env bash
# The whole suite (npm test), RUNS times in a row, while busy loops keep every
# core at 100%: the check that green still means green on a busy machine.
#   bash scripts/suite-under-load.sh [RUNS] [extra vitest args]
# Prints one line per run and exits non-zero if any run failed. Logs go to
# $LOAD_LOG_DIR (default: a temp dir, printed).
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
shift || true
logs=${LOAD_LOG_DIR:-$(mktemp -d -t coopbot-load-XXXX)}
mkdir -p "$logs"

burners=()
stop_burners() { for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null; done; }
trap stop_burners EXIT
# One spinning process per core: the "another process keeps both cores busy" of issue 15.
for _ in $(seq "$(nproc)"); do
  node -e 'for (;;) {}' &
  burners+=($!)
done
echo "suite-under-load: $runs runs, ${#burners[@]} busy loops, logs in $logs"

failed_runs=0
for i in $(seq "$runs"); do
  start=$(date +%s)
  npm test -- "$@" > "$logs/run-$i.log" 2>&1
  rc=$?
  summary=$(sed 's/\x1b\[[0-9;]*m//g' "$logs/run-$i.log" | grep -E '^ +Tests ' | tail -1 | sed 's/^ *//')
  echo "run $i: exit $rc, $(( $(date +%s) - start ))s, ${summary:-no summary} (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  [ "$rc" -eq 0 ] || failed_runs=$((failed_runs + 1))
done
echo "suite-under-load: $((runs - failed_runs)) of $runs runs passed"
[ "$failed_runs" -eq 0 ]
