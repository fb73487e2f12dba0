#!/usr/bin/env bash
# SPEC §12: the installed size of djs's runtime dependencies (target: node_modules < 80 MB).
# Installs the production dependencies from package-lock.json into a temporary folder, as
# scripts/install.sh would, and reports the size. Usage: bash bench/install-size.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$repo/package.json" "$repo/package-lock.json" "$work/"
(cd "$work" && npm ci --omit=dev --ignore-scripts=false --no-audit --no-fund >/dev/null 2>&1)
bash "$repo/scripts/prune-native-build.sh" "$work/node_modules"
size_kb=$(du -sk "$work/node_modules" | cut -f1)
size_mb=$((size_kb / 1024))
verdict=$([ "$size_mb" -lt 80 ] && echo ok || echo OVER)
echo "node_modules (production dependencies): ${size_mb} MB  ${verdict} (target < 80 MB)"
echo "with the development tools (npm ci):    $(du -sh "$repo/node_modules" | cut -f1) (typescript, vitest, eslint, prettier)"
