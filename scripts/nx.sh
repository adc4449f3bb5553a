#!/usr/bin/env bash
# Runs Nx fully offline: no Nx Cloud, no daemon (see nx.json).
set -euo pipefail
export NX_NO_CLOUD=true NX_DAEMON=false NX_SKIP_NX_CACHE="${NX_SKIP_NX_CACHE:-false}"
cd "$(dirname "$0")/.."
exec npx --no-install nx "$@"
