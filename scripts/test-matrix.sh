#!/usr/bin/env bash
# Runs the Matrix end-to-end tests (tests/matrix-e2e) against a real Synapse.
#
# Unless MATRIX_HOMESERVER_URL is already set (then the users below must exist
# there with these passwords), starts a throwaway Synapse via scripts/synapse.sh,
# registers the test users, runs vitest, and always stops Synapse again.
#
# If python3/pip is missing or the Synapse install fails, it fails (exit 1)
# and says why: a green run must mean the Matrix adapter was tested. To skip
# on purpose (a machine without Python), set COOPBOT_SKIP_MATRIX=1: it then
# prints "matrix e2e: SKIPPED (reason)" and exits 0.
#
# Exported to the tests:
#   MATRIX_HOMESERVER_URL, MATRIX_SERVER_NAME
#   MATRIX_BOT_USER / MATRIX_BOT_PASSWORD / MATRIX_BOT_USER_ID        (coopbot)
#   MATRIX_ALICE_*, MATRIX_BOB_*, MATRIX_CAROL_*                       (people)
#   MATRIX_ADMIN_*                                                     (coopadmin, server admin)
# Extra arguments are passed to vitest (e.g. -t 'smoke').
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SYNAPSE="$ROOT/scripts/synapse.sh"

skip() {
  if [ "${COOPBOT_SKIP_MATRIX:-}" = "1" ]; then
    echo "matrix e2e: SKIPPED on request (COOPBOT_SKIP_MATRIX=1): $1"
    exit 0
  fi
  echo "matrix e2e: FAILED: $1 (set COOPBOT_SKIP_MATRIX=1 to skip the Matrix tests on purpose)"
  exit 1
}

export MATRIX_SERVER_NAME="${MATRIX_SERVER_NAME:-localhost}"
export MATRIX_BOT_USER="${MATRIX_BOT_USER:-coopbot}"       MATRIX_BOT_PASSWORD="${MATRIX_BOT_PASSWORD:-coopbot-password}"
export MATRIX_ALICE_USER="${MATRIX_ALICE_USER:-alice}"     MATRIX_ALICE_PASSWORD="${MATRIX_ALICE_PASSWORD:-alice-password}"
export MATRIX_BOB_USER="${MATRIX_BOB_USER:-bob}"           MATRIX_BOB_PASSWORD="${MATRIX_BOB_PASSWORD:-bob-password}"
export MATRIX_CAROL_USER="${MATRIX_CAROL_USER:-carol}"     MATRIX_CAROL_PASSWORD="${MATRIX_CAROL_PASSWORD:-carol-password}"
export MATRIX_ADMIN_USER="${MATRIX_ADMIN_USER:-coopadmin}" MATRIX_ADMIN_PASSWORD="${MATRIX_ADMIN_PASSWORD:-coopadmin-password}"
for who in BOT ALICE BOB CAROL ADMIN; do
  user_var="MATRIX_${who}_USER"
  export "MATRIX_${who}_USER_ID=@${!user_var}:${MATRIX_SERVER_NAME}"
done

started=0
cleanup() {
  if [ "$started" = "1" ]; then
    bash "$SYNAPSE" stop || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "${MATRIX_HOMESERVER_URL:-}" ]; then
  command -v python3 >/dev/null 2>&1 || skip "python3 not found"
  python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' || skip "python3 >= 3.10 required, found $(python3 --version 2>&1)"
  python3 -m pip --version >/dev/null 2>&1 || skip "pip not available for python3"
  python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || skip "python3 venv/ensurepip module missing"
  bash "$SYNAPSE" install || skip "Synapse install failed (see output above)"

  export SYNAPSE_PORT="${SYNAPSE_PORT:-18008}"
  started=1
  if ! bash "$SYNAPSE" start; then
    echo "matrix e2e: FAILED (Synapse did not start)"
    exit 1
  fi
  export MATRIX_HOMESERVER_URL="http://127.0.0.1:$SYNAPSE_PORT"
  bash "$SYNAPSE" register "$MATRIX_BOT_USER" "$MATRIX_BOT_PASSWORD"
  bash "$SYNAPSE" register "$MATRIX_ALICE_USER" "$MATRIX_ALICE_PASSWORD"
  bash "$SYNAPSE" register "$MATRIX_BOB_USER" "$MATRIX_BOB_PASSWORD"
  bash "$SYNAPSE" register "$MATRIX_CAROL_USER" "$MATRIX_CAROL_PASSWORD"
  bash "$SYNAPSE" register "$MATRIX_ADMIN_USER" "$MATRIX_ADMIN_PASSWORD" --admin
else
  echo "matrix e2e: using existing homeserver $MATRIX_HOMESERVER_URL (users must already exist)"
fi

status=0
npx vitest run --dir tests/matrix-e2e --config vitest.matrix.config.ts "$@" || status=$?
exit "$status"
