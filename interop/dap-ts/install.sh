#!/usr/bin/env bash
# Installs the pinned @divviup/dap client from package-lock.json, but only when
# node_modules is missing or older than the lock file. The stamp is written
# after a successful `npm ci` only, so a failed install is retried next time.
# Usage: interop/dap-ts/install.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

stamp=node_modules/.npm-ci-done
if [[ ! -f "$stamp" || package-lock.json -nt "$stamp" ]]; then
  npm ci --no-audit --no-fund
  touch "$stamp"
fi
