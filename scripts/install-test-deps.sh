#!/usr/bin/env bash
# System packages the tests use: Debian's chromium (the status page's browser tests). Quiet when already there.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
