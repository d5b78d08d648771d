#!/usr/bin/env bash
# System packages the tests use, installed from Debian only when missing (quiet when all are there):
# chromium for the status page's browser tests, the PostgreSQL server binaries for the
# cluster tests (they start real servers), libfaketime to shift one node's clock, and
# systemd for systemd-analyze, the import tests' reference for OnCalendar= instants.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
[ -e /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 ] || missing+=(faketime)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
