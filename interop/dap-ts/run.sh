#!/usr/bin/env bash
# Regenerates the DAP-09 fixtures with the pinned @divviup/dap client.
# Usage: interop/dap-ts/run.sh [out-dir] [gen-fixtures.mjs options]
# (default out-dir: interop/fixtures/dap09-ts)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

./install.sh
exec node gen-fixtures.mjs "$@"
