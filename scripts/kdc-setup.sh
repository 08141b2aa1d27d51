#!/usr/bin/env bash
# Creates a throwaway MIT Kerberos realm for wsman-proto's Kerberos tests (no KDC started:
# the test harness runs `krb5kdc -n` itself and kills it by PID).
#
#   scripts/kdc-setup.sh DIR PORT
#
# DIR (created, must be empty or absent) receives krb5.conf, kdc.conf, the database, the
# stash, service.keytab (HTTP/ and HOST/ principals), user.password and a credential cache
# krb5-<enctype>.conf variants. The KDC is to listen on 127.0.0.1:PORT (UDP and TCP).
#
# Principals (all with generated random passwords / keys):
#   user@WEFKIT.TEST                       client (AES256, AES128, RC4 keys)
#   HTTP/host.wefkit.test, HOST/host.wefkit.test     AES256, AES128 and RC4 keys
#   HTTP/aes256.wefkit.test  HTTP/aes128.wefkit.test  HTTP/rc4.wefkit.test
#                                          one enctype each, session_enctypes forced to it
set -euo pipefail
dir=${1:?usage: kdc-setup.sh DIR PORT}
port=${2:?usage: kdc-setup.sh DIR PORT}
realm=WEFKIT.TEST
for tool in kdb5_util kadmin.local krb5kdc kinit; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || {
    echo "kdc-setup: $tool not found (install krb5-kdc krb5-admin-server krb5-user: scripts/setup.sh)" >&2
    exit 2
  }
done
export PATH="$PATH:/usr/sbin"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
enctypes="aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 arcfour-hmac"

cat >"$dir/krb5.conf" <<CONF
[libdefaults]
    default_realm = $realm
    dns_lookup_realm = false
    dns_lookup_kdc = false
    dns_canonicalize_hostname = false
    rdns = false
    allow_weak_crypto = true
    allow_rc4 = true
    permitted_enctypes = $enctypes
    default_tkt_enctypes = $enctypes
    default_tgs_enctypes = $enctypes
    udp_preference_limit = 1
    ticket_lifetime = 2h
    forwardable = false
[realms]
    $realm = {
        kdc = 127.0.0.1:$port
    }
[domain_realm]
    .wefkit.test = $realm
    wefkit.test = $realm
CONF

cat >"$dir/kdc.conf" <<CONF
[kdcdefaults]
    kdc_ports = $port
    kdc_tcp_ports = $port
[realms]
    $realm = {
        database_name = $dir/principal
        key_stash_file = $dir/stash
        acl_file = $dir/kadm5.acl
        supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal arcfour-hmac:normal
        max_life = 2h
    }
[logging]
    kdc = FILE:$dir/kdc.log
    admin_server = FILE:$dir/kadmin.log
CONF
: >"$dir/kadm5.acl"

# Per-enctype client configurations: the client asks for a TGT, service tickets and (through
# RFC 4537 enctype negotiation) acceptor subkeys of that enctype only. Use each with its own
# credential cache.
for e in aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 arcfour-hmac; do
  sed -e "s/^    default_tgs_enctypes = .*/    default_tgs_enctypes = $e/" \
      -e "s/^    default_tkt_enctypes = .*/    default_tkt_enctypes = $e/" "$dir/krb5.conf" >"$dir/krb5-$e.conf"
done

export KRB5_CONFIG="$dir/krb5.conf" KRB5_KDC_PROFILE="$dir/kdc.conf"
gen() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
kdb5_util -r "$realm" create -s -P "$(gen)" >"$dir/kdb5_util.log" 2>&1
user_pw=$(gen)
printf '%s' "$user_pw" >"$dir/user.password"
kadm() { kadmin.local -r "$realm" -q "$1" >>"$dir/kadmin.local.log" 2>&1; }
kadm "addprinc -pw $user_pw user"
for p in HTTP/host.wefkit.test HOST/host.wefkit.test; do
  kadm "addprinc -randkey $p"
done
kadm "addprinc -randkey -e aes256-cts-hmac-sha1-96:normal HTTP/aes256.wefkit.test"
kadm "addprinc -randkey -e aes128-cts-hmac-sha1-96:normal HTTP/aes128.wefkit.test"
kadm "addprinc -randkey -e arcfour-hmac:normal HTTP/rc4.wefkit.test"
kadm "setstr HTTP/aes256.wefkit.test session_enctypes aes256-cts-hmac-sha1-96"
kadm "setstr HTTP/aes128.wefkit.test session_enctypes aes128-cts-hmac-sha1-96"
kadm "setstr HTTP/rc4.wefkit.test session_enctypes arcfour-hmac"
kadm "ktadd -k $dir/service.keytab -norandkey HTTP/host.wefkit.test HOST/host.wefkit.test HTTP/aes256.wefkit.test HTTP/aes128.wefkit.test HTTP/rc4.wefkit.test"
for p in HTTP/host.wefkit.test HTTP/aes256.wefkit.test HTTP/rc4.wefkit.test; do
  grep -q "$p" <(klist -k "$dir/service.keytab" 2>/dev/null) || {
    echo "kdc-setup: $p missing from the keytab (see $dir/kadmin.local.log)" >&2
    exit 1
  }
done
