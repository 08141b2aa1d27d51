#!/usr/bin/env bash
# Installs what the tests need on a fresh machine. Idempotent: quick when all is present.
# Each area adds its own section; keep every step conditional on what is missing.
set -euo pipefail

apt_missing=()
need_pkg() { dpkg -s "$1" >/dev/null 2>&1 || apt_missing+=("$1"); }

# (Sections for test peers — Python packages, a Kerberos KDC — are added by the issues that
# need them.)

# --- Python peers for the NTLM / SPNEGO / framing tests (wsman-proto/tests/ntlm_peers.rs):
# pyspnego (independent MS-NLMP + SPNEGO) and pypsrp (its WinRM multipart/encrypted framing).
command -v python3 >/dev/null 2>&1 || need_pkg python3
command -v pip3 >/dev/null 2>&1 || python3 -m pip --version >/dev/null 2>&1 || need_pkg python3-pip
install_python_peers() {
  python3 -c 'import spnego, pypsrp' >/dev/null 2>&1 && return 0
  echo "setup: pip install pyspnego pypsrp"
  python3 -m pip install -q pyspnego pypsrp 2>/dev/null \
    || python3 -m pip install -q --break-system-packages pyspnego pypsrp
}
# --- end Python peers

# --- Kerberos (wsman-proto `kerberos` feature and tests/kerberos_kdc.rs): MIT KDC tools for the
# throwaway realm (scripts/kdc-setup.sh), GSSAPI headers + libclang for libgssapi-sys's bindgen,
# and python-gssapi / pyspnego[kerberos] as the peer (built against libkrb5-dev).
for pkg in krb5-kdc krb5-admin-server krb5-user libkrb5-dev libclang-dev pkg-config gcc; do
  need_pkg "$pkg"
done
install_kerberos_peers() {
  python3 -c 'import gssapi, krb5, spnego' >/dev/null 2>&1 && return 0
  echo "setup: pip install gssapi pyspnego[kerberos]"
  python3 -m pip install -q gssapi 'pyspnego[kerberos]' 2>/dev/null \
    || python3 -m pip install -q --break-system-packages gssapi 'pyspnego[kerberos]'
}
# --- end Kerberos

if ((${#apt_missing[@]})); then
  echo "setup: apt-get install ${apt_missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi

install_python_peers
install_kerberos_peers
