#!/usr/bin/env bash
# `npm test` after the build: the unit and real-broker projects, and beside them the paging
# project (test/ops/paging.kafka.test.ts), which spends ~16 minutes waiting out alert `for:`
# durations and needs almost no CPU. It gets a broker of its own (scripts/kafka on
# FAULTLINE_PAGING_TEST_PORT) so that the tests that stop, kill and restart the shared broker do
# not disturb it; with KAFKA_BROKERS set, both use that broker. Exit status: non-zero if either
# run failed. Extra arguments go to the main run (e.g. a file filter).
set -uo pipefail
cd "$(dirname "$0")/../.."

paging_log=$(mktemp -t faultline-paging.XXXXXX)
KAFKA_TEST_PORT=${FAULTLINE_PAGING_TEST_PORT:-19080} npx vitest run --project paging >"$paging_log" 2>&1 &
paging_pid=$!
trap 'kill "$paging_pid" 2>/dev/null; rm -f "$paging_log"' EXIT

npx vitest run --project unit --project kafka "$@"
main=$?

echo
echo "== paging project (ran beside the others; waiting for it if still running)"
wait "$paging_pid"
paging=$?
cat "$paging_log"
if ((main != 0 || paging != 0)); then
  echo "tests failed: main run exit $main, paging run exit $paging" >&2
  exit 1
fi
