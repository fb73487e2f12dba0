#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring, so the keychain tests
# use a real Secret Service without touching the user's own keyring.
set -euo pipefail
if [ -z "${DJS_KEYRING_SESSION:-}" ]; then
  exec env DJS_KEYRING_SESSION=1 dbus-run-session -- "$0" "$@"
fi
keyring_data=$(mktemp -d)
trap 'rm -rf "$keyring_data"' EXIT
export XDG_DATA_HOME="$keyring_data"
echo -n djs-test-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null
# Without this wait about one run in five fails: the daemon is not on the bus yet.
gdbus wait --session --timeout 10 org.freedesktop.secrets
export DJS_KEYCHAIN_AVAILABLE=1
"$@"
