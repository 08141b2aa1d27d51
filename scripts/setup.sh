#!/usr/bin/env bash
# Installs what the tests need on a fresh machine. Idempotent: quick when all is present.
# Each area adds its own section; keep every step conditional on what is missing.
set -euo pipefail

apt_missing=()
need_pkg() { dpkg -s "$1" >/dev/null 2>&1 || apt_missing+=("$1"); }

# (Sections for test peers — Python packages, a Kerberos KDC — are added by the issues that
# need them.)

if ((${#apt_missing[@]})); then
  echo "setup: apt-get install ${apt_missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi
