#!/usr/bin/env python3
"""A stand-in for `ntlm_auth --helper-protocol=ntlm-server-1` (winbind is not available in CI):
same line protocol, and it really verifies NTLMv2 responses — with pyspnego's MS-NLMP
primitives, against the accounts given as DOMAIN:USER:PASSWORD arguments."""
import sys

from spnego._ntlm_raw.crypto import hmac_md5, ntowfv1, ntowfv2

accounts = {}
for a in sys.argv[1:]:
    d, u, p = a.split(":", 2)
    accounts[(d.upper(), u.upper())] = p

req = {}
for line in sys.stdin:
    line = line.rstrip("\n")
    if line != ".":
        k, _, v = line.partition(": ")
        req[k] = v
        continue
    pw = accounts.get((req.get("NT-Domain", "").upper(), req.get("Username", "").upper()))
    nt = bytes.fromhex(req.get("NT-Response", ""))
    ok = False
    if pw is not None and len(nt) > 24:
        key = ntowfv2(req["Username"], ntowfv1(pw), req["NT-Domain"])
        proof = hmac_md5(key, bytes.fromhex(req["LANMAN-Challenge"]) + nt[16:])
        if proof == nt[:16]:
            ok = True
            sys.stdout.write("Authenticated: Yes\nUser-Session-Key: %s\n.\n" % hmac_md5(key, proof).hex().upper())
    if not ok:
        sys.stdout.write("Authenticated: No\nAuthentication-Error: Logon failure (0xc000006d)\n.\n")
    sys.stdout.flush()
    req = {}
