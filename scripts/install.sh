#!/usr/bin/env bash
# Installs everything djs needs on a fresh Debian 12 machine with Node 20, then builds it.
# Safe to run again: apt and npm skip what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(libsecret-1-dev pkg-config build-essential python3 gnome-keyring dbus libglib2.0-bin tmux cron)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "Installing system packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# keytar and better-sqlite3 compile from source here (their prebuilt downloads are unreachable).
npm ci --no-audit --no-fund
bash scripts/prune-native-build.sh node_modules
npm run build
