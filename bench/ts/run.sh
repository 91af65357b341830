#!/usr/bin/env bash
# Runs the @divviup/prio3 benchmark; arguments are passed to bench.mjs
# (e.g. --quick, --cases count,sum-8). JSON goes to stdout, the table to stderr.
set -euo pipefail
cd "$(dirname "$0")"

# Install the locked dependencies when node_modules is missing or older than
# the lock file (npm records the installed tree in node_modules/.package-lock.json).
if [ ! -f node_modules/.package-lock.json ] ||
   [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2
fi

exec node bench.mjs "$@"
