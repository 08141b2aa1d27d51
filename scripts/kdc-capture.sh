#!/usr/bin/env bash
# Regenerates examples/tests/data/kerberos/*.json: WinRM bodies sealed by pyspnego/MIT krb5 and
# framed by pypsrp, in a throwaway realm (scripts/kdc-setup.sh + krb5kdc on loopback).
#   scripts/kdc-capture.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-examples/tests/data/kerberos}
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
bash scripts/kdc-setup.sh "$dir" "$port"
export KRB5_KDC_PROFILE="$dir/kdc.conf" KRB5_KTNAME="$dir/service.keytab"
KRB5_CONFIG="$dir/krb5.conf" /usr/sbin/krb5kdc -n -r WEFKIT.TEST &
kdc=$!
trap 'kill $kdc 2>/dev/null; rm -rf "$dir"' EXIT
sleep 1
mkdir -p "$out"
export KRB5_LIB="MIT krb5 $(dpkg-query -W -f='${Version}' libkrb5-3 2>/dev/null || echo ?)"
for e in aes256-cts-hmac-sha1-96:aes256 aes128-cts-hmac-sha1-96:aes128 arcfour-hmac:rc4; do
  mit=${e%%:*} short=${e##*:}
  export KRB5_CONFIG="$dir/krb5-$mit.conf" KRB5CCNAME="FILE:$dir/ccache-$mit"
  kinit user@WEFKIT.TEST <"$dir/user.password" >/dev/null
  python3 wsman-proto/tests/peers/krb_capture.py "$short.wefkit.test" "$out/pypsrp-$short.json"
done
