#!/usr/bin/env bash
# Runs every test of the solution. Installs what the tests need first (Chromium for end-to-end tests, poppler-utils
# for PDF signature checks) when it is missing and the machine allows it.
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdfsig >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "Installing test prerequisites: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

dotnet build Portal.sln -c Release
dotnet test Portal.sln -c Release --no-build --logger "console;verbosity=normal" "$@"
