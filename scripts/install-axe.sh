#!/usr/bin/env bash
# Install axe-core (from the npm registry, pinned by tests/browser/axe/package-lock.json) for the
# JupyterLab browser test's accessibility checks (colour contrast, labels). Needs Node/npm.
# Idempotent: `npm ci` runs only when the installed version differs from the lock file's.
set -euo pipefail
cd "$(dirname "$0")/../tests/browser/axe"

if ! command -v npm >/dev/null 2>&1; then
    echo "install-axe: npm is missing (install Node.js first)" >&2
    exit 1
fi
wanted=$(node -p 'require("./package-lock.json").packages["node_modules/axe-core"].version')
have=$(node -p 'try { require("./node_modules/axe-core/package.json").version } catch (e) { "" }')
if [ "$have" = "$wanted" ]; then
    echo "install-axe: axe-core $have already present"
    exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "install-axe: installed axe-core $(node -p 'require("./node_modules/axe-core/package.json").version')"
