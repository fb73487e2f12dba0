#!/usr/bin/env bash
# Compiling keytar and better-sqlite3 from source leaves ~15 MB of object files beside each addon;
# only the .node files are loaded at run time. Usage: scripts/prune-native-build.sh [node_modules]
set -euo pipefail
modules="${1:-node_modules}"
for addon in "$modules/better-sqlite3" "$modules/keytar"; do
  rm -rf "$addon/build/Release/obj" "$addon/build/Release/obj.target" "$addon/build/Release/.deps" \
    "$addon/build/Release/test_extension.node"
done
