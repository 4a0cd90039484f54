#!/usr/bin/env bash
# Gives the browser tests Debian's Chromium (run as root on a Debian CI machine): installs the
# `chromium` package when /usr/bin/chromium is missing. The browser tests fail, never skip, without it.
set -euo pipefail

log() { echo "ci-chromium: $*" >&2; }

if [[ -x /usr/bin/chromium ]]; then
  log "$(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y chromium >&2; then
  log "first install attempt failed: refreshing the package lists"
  apt-get update >&2
  apt-get install -y chromium >&2
fi
log "installed $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
