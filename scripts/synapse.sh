#!/usr/bin/env bash
# Local Synapse homeserver for coopbot's Matrix end-to-end tests.
#
# Usage: scripts/synapse.sh install|start|stop|status|register <user> <password> [--admin]
#   status exits 0 when running, 3 when stopped.
#
# Environment:
#   COOPBOT_CACHE   cache root (default ~/.cache/coopbot); the venv lives in $COOPBOT_CACHE/synapse-venv
#   SYNAPSE_DIR     data dir, wiped on every start (default $COOPBOT_CACHE/synapse-data);
#                   holds homeserver.yaml + overrides.yaml, synapse.log, synapse.pid, the SQLite db
#   SYNAPSE_PORT    client API port on 127.0.0.1 (default 18008)
#   SYNAPSE_VERSION matrix-synapse version to pin (default below)
#   PYTHON          interpreter for the venv (default python3; needs >= 3.10)
#
# Measured on the dev machine (2 cores, Python 3.11.7, PyPI reachable, Synapse 1.163.2):
#   install, fresh venv:             20-23 s (22.6 s with no pip cache); the venv is ~240 MB
#   install, already there:          0.1 s
#   start (wipe, generate config + signing key, boot on SQLite, /versions answers): 2.7-3.2 s
#   register (one user):             ~0.8 s
#   stop:                            ~1.3 s
#   npm run test:matrix end to end (start, 5 users, 6 tests, stop): 20-30 s
set -euo pipefail

SYNAPSE_VERSION="${SYNAPSE_VERSION:-1.163.2}"
COOPBOT_CACHE="${COOPBOT_CACHE:-$HOME/.cache/coopbot}"
VENV="$COOPBOT_CACHE/synapse-venv"
SYNAPSE_DIR="${SYNAPSE_DIR:-$COOPBOT_CACHE/synapse-data}"
SYNAPSE_PORT="${SYNAPSE_PORT:-18008}"
PID_FILE="$SYNAPSE_DIR/synapse.pid"
LOG_FILE="$SYNAPSE_DIR/synapse.log"
SECRET_FILE="$SYNAPSE_DIR/registration_shared_secret"
BASE_URL="http://127.0.0.1:$SYNAPSE_PORT"
START_TIMEOUT="${SYNAPSE_START_TIMEOUT:-90}"

log() { printf 'synapse: %s\n' "$*" >&2; }
die() { printf 'synapse: error: %s\n' "$*" >&2; exit 1; }

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

find_python() {
  local py
  for py in "${PYTHON:-}" python3 python; do
    [ -n "$py" ] || continue
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
      command -v "$py"; return 0
    fi
  done
  return 1
}

installed_version() {
  [ -x "$VENV/bin/python" ] || return 1
  "$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("matrix-synapse"))' 2>/dev/null
}

cmd_install() {
  local t0 py
  t0="$(now)"
  if [ "$(installed_version || true)" = "$SYNAPSE_VERSION" ] && [ -x "$VENV/bin/register_new_matrix_user" ]; then
    log "matrix-synapse $SYNAPSE_VERSION already installed in $VENV (checked in $(elapsed "$t0") s)"
    return 0
  fi
  py="$(find_python)" || die "python3 >= 3.10 not found"
  "$py" -c 'import venv, ensurepip' 2>/dev/null || die "python venv/ensurepip module missing ($py)"
  mkdir -p "$COOPBOT_CACHE"
  if [ -e "$VENV" ] && ! "$VENV/bin/python" -c 'import pip' >/dev/null 2>&1; then
    log "venv $VENV is broken (its base interpreter moved?); recreating"
    rm -rf "$VENV"
  fi
  if [ ! -x "$VENV/bin/pip" ]; then
    rm -rf "$VENV"
    log "creating venv $VENV with $py"
    "$py" -m venv "$VENV" || die "could not create venv"
  fi
  log "pip install matrix-synapse==$SYNAPSE_VERSION (into $VENV)"
  "$VENV/bin/pip" install --disable-pip-version-check --quiet --upgrade "pip>=23" \
    || log "warning: could not upgrade pip; continuing with the venv's pip"
  "$VENV/bin/pip" install --disable-pip-version-check --quiet "matrix-synapse==$SYNAPSE_VERSION" \
    || die "pip install matrix-synapse==$SYNAPSE_VERSION failed"
  [ "$(installed_version || true)" = "$SYNAPSE_VERSION" ] || die "matrix-synapse $SYNAPSE_VERSION not importable after install"
  log "installed matrix-synapse $SYNAPSE_VERSION in $(elapsed "$t0") s"
}

is_running() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

answers() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --max-time 2 "$BASE_URL/_matrix/client/versions" >/dev/null 2>&1
  else
    "$VENV/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2).read()' \
      "$BASE_URL/_matrix/client/versions" >/dev/null 2>&1
  fi
}

write_overrides() {
  # Loaded after the generated homeserver.yaml (Synapse merges -c files top-level, later wins).
  cat > "$SYNAPSE_DIR/overrides.yaml" <<YAML
server_name: "localhost"
public_baseurl: "$BASE_URL/"
pid_file: "$SYNAPSE_DIR/homeserver.pid"
listeners:
  - port: $SYNAPSE_PORT
    bind_addresses: ["127.0.0.1"]
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: "$SYNAPSE_DIR/homeserver.db"
log_config: "$SYNAPSE_DIR/log.config"
media_store_path: "$SYNAPSE_DIR/media_store"
registration_shared_secret: "$(cat "$SECRET_FILE")"
enable_registration: false
report_stats: false
enable_metrics: false
url_preview_enabled: false
# No federation: nothing listens for it, no key servers, nobody to talk to.
federation_domain_whitelist: []
trusted_key_servers: []
suppress_key_server_warning: true
presence:
  enabled: false
# Rate limits very high so tests only see M_LIMIT_EXCEEDED when they ask for it
# (per-user override: POST /_synapse/admin/v1/users/<id>/override_ratelimit).
rc_message: {per_second: 10000, burst_count: 100000}
rc_registration: {per_second: 10000, burst_count: 100000}
rc_registration_token_validity: {per_second: 10000, burst_count: 100000}
rc_login:
  address: {per_second: 10000, burst_count: 100000}
  account: {per_second: 10000, burst_count: 100000}
  failed_attempts: {per_second: 10000, burst_count: 100000}
rc_joins:
  local: {per_second: 10000, burst_count: 100000}
  remote: {per_second: 10000, burst_count: 100000}
rc_joins_per_room: {per_second: 10000, burst_count: 100000}
rc_invites:
  per_room: {per_second: 10000, burst_count: 100000}
  per_user: {per_second: 10000, burst_count: 100000}
  per_issuer: {per_second: 10000, burst_count: 100000}
rc_3pid_validation: {per_second: 10000, burst_count: 100000}
rc_admin_redaction: {per_second: 10000, burst_count: 100000}
rc_third_party_invite: {per_second: 10000, burst_count: 100000}
rc_media_create: {per_second: 10000, burst_count: 100000}
rc_room_creation: {per_second: 10000, burst_count: 100000}
rc_profile: {per_second: 10000, burst_count: 100000}
rc_federation:
  window_size: 1000
  sleep_limit: 10000
  sleep_delay: 0
  reject_limit: 10000
  concurrent: 1000
YAML
  cat > "$SYNAPSE_DIR/log.config" <<YAML
version: 1
formatters:
  precise:
    format: '%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(request)s - %(message)s'
handlers:
  file:
    class: logging.FileHandler
    formatter: precise
    filename: $LOG_FILE
    encoding: utf8
loggers:
  synapse.storage.SQL:
    level: WARNING
root:
  level: ${SYNAPSE_LOG_LEVEL:-INFO}
  handlers: [file]
disable_existing_loggers: false
YAML
}

cmd_start() {
  local t0 pid waited
  t0="$(now)"
  cmd_install
  cmd_stop >/dev/null 2>&1 || true
  if answers; then
    die "something already answers on $BASE_URL (another Synapse?); set SYNAPSE_PORT"
  fi
  # Wipe only a dir this script made (marker file) or an empty one: SYNAPSE_DIR may be mistyped.
  if [ -d "$SYNAPSE_DIR" ] && [ -n "$(ls -A "$SYNAPSE_DIR")" ] && [ ! -f "$SYNAPSE_DIR/.coopbot-synapse" ]; then
    die "$SYNAPSE_DIR is not empty and was not made by this script; refusing to delete it"
  fi
  rm -rf "$SYNAPSE_DIR"
  mkdir -p "$SYNAPSE_DIR"
  touch "$SYNAPSE_DIR/.coopbot-synapse"
  "$VENV/bin/python" -c 'import secrets; print(secrets.token_hex(32))' > "$SECRET_FILE"
  log "generating config in $SYNAPSE_DIR"
  (cd "$SYNAPSE_DIR" && "$VENV/bin/python" -m synapse.app.homeserver \
      --server-name localhost \
      --config-path "$SYNAPSE_DIR/homeserver.yaml" \
      --data-directory "$SYNAPSE_DIR" \
      --generate-config --report-stats=no >"$SYNAPSE_DIR/generate.log" 2>&1) \
    || { cat "$SYNAPSE_DIR/generate.log" >&2; die "config generation failed"; }
  write_overrides
  log "starting on $BASE_URL"
  # exec: the background subshell becomes the Synapse process, so $! is its pid.
  (cd "$SYNAPSE_DIR" && exec nohup "$VENV/bin/python" -m synapse.app.homeserver \
      -c "$SYNAPSE_DIR/homeserver.yaml" -c "$SYNAPSE_DIR/overrides.yaml" \
      >"$SYNAPSE_DIR/stdout.log" 2>&1 </dev/null) &
  echo $! > "$PID_FILE"
  pid="$(cat "$PID_FILE")"
  waited=0
  while ! answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "Synapse exited during start-up; log tail:"
      tail -n 40 "$SYNAPSE_DIR/stdout.log" "$LOG_FILE" >&2 2>/dev/null || true
      rm -f "$PID_FILE"
      exit 1
    fi
    if [ "$waited" -ge "$((START_TIMEOUT * 4))" ]; then
      log "Synapse did not answer $BASE_URL/_matrix/client/versions within ${START_TIMEOUT}s; log tail:"
      tail -n 40 "$SYNAPSE_DIR/stdout.log" "$LOG_FILE" >&2 2>/dev/null || true
      cmd_stop >/dev/null 2>&1 || true
      exit 1
    fi
    sleep 0.25
    waited=$((waited + 1))
  done
  log "Synapse $SYNAPSE_VERSION up on $BASE_URL (pid $pid) in $(elapsed "$t0") s"
}

cmd_stop() {
  local pid i
  if ! [ -f "$PID_FILE" ]; then
    log "not running (no pid file)"
    return 0
  fi
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 80); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid ignored SIGTERM for 20 s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "stopped (pid $pid)"
  else
    log "not running (stale pid file)"
  fi
  rm -f "$PID_FILE"
}

cmd_status() {
  if is_running; then
    if answers; then
      echo "running (pid $(cat "$PID_FILE")) on $BASE_URL"
    else
      echo "process running (pid $(cat "$PID_FILE")) but $BASE_URL does not answer"
    fi
    return 0
  fi
  echo "stopped"
  return 3
}

cmd_register() {
  [ $# -ge 2 ] || die "usage: $0 register <user> <password> [--admin]"
  local user="$1" password="$2" admin="--no-admin"
  shift 2
  if [ "${1:-}" = "--admin" ]; then admin="--admin"; fi
  [ -f "$SECRET_FILE" ] || die "no shared secret in $SECRET_FILE: start Synapse first"
  "$VENV/bin/register_new_matrix_user" \
    --user "$user" --password "$password" "$admin" \
    --shared-secret "$(cat "$SECRET_FILE")" \
    "$BASE_URL" >/dev/null \
    || die "registering $user failed"
  if [ "$admin" = "--admin" ]; then log "registered @$user:localhost (admin)"; else log "registered @$user:localhost"; fi
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  register) shift; cmd_register "$@" ;;
  *) echo "usage: $0 install|start|stop|status|register <user> <password> [--admin]" >&2; exit 2 ;;
esac
