#!/usr/bin/env bash
# The systemd unit in examples/ is checked with `systemd-analyze verify`
# (tests/ops/built-cli.test.ts). Installs systemd's tools when missing; fails
# loudly when it can't, so that test never skips in silence.
set -euo pipefail
if command -v systemd-analyze >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
  echo "systemd-analyze is not installed and this user can't install it (apt-get install systemd)" >&2
  exit 1
fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq systemd >/dev/null
command -v systemd-analyze
