#!/usr/bin/env python3
"""Records WinRM Kerberos-sealed bodies made by independent peers, for `wefkit decrypt kerberos`
tests: a pyspnego (python-gssapi / MIT krb5) Kerberos context on each side and pypsrp's
WinRMEncryption framing (HTTP-Kerberos-session-encrypted, TAB before part headers,
OriginalContent Length = plaintext + padding as pypsrp counts it).

Run inside a realm made by scripts/kdc-setup.sh with krb5kdc running (see
scripts/kdc-capture.sh), with KRB5_CONFIG/KRB5CCNAME selecting the enctype:

    krb_capture.py HOSTNAME OUT.json

Writes {"enctype", "key_hex" (GSS_C_INQ_SSPI_SESSION_KEY: the wrap-token key),
"content_type", "client_to_server": [{"body_b64", "plaintext_b64"}], "server_to_client": [...]}.
"""

import base64
import json
from importlib.metadata import version
import os
import sys

import gssapi
import gssapi.raw
import spnego
from pypsrp.encryption import WinRMEncryption

INQ_KEY = gssapi.OID.from_int_seq("1.2.840.113554.1.2.2.5.5")
CONTENT_TYPE = (
    'multipart/encrypted;protocol="application/HTTP-Kerberos-session-encrypted";'
    'boundary="Encrypted Boundary"'
)


def handshake(hostname):
    client = spnego.client(hostname=hostname, service="HTTP", protocol="kerberos")
    server = spnego.server(protocol="kerberos")
    token = client.step()
    while not (client.complete and server.complete):
        token = server.step(token)
        if token:
            token = client.step(token)
    return client, server


def enctype_of(ctx):
    res = gssapi.raw.inquire_sec_context_by_oid(ctx._context, INQ_KEY)
    body = res[1]
    return body[-1]  # 1.2.840.113554.1.2.2.4.<enctype>, enctype < 128


def message(i, size):
    text = "<s:Envelope n='%d'>%s</s:Envelope>" % (i, "x" * size)
    return b"\xff\xfe" + text.encode("utf-16-le")


def main():
    hostname, out_path = sys.argv[1], sys.argv[2]
    client, server = handshake(hostname)
    record = {
        "generator": "pyspnego %s, python-gssapi %s, pypsrp %s (WinRMEncryption), %s"
        % (version("pyspnego"), version("gssapi"), version("pypsrp"), os.environ.get("KRB5_LIB", "MIT krb5")),
        "enctype": enctype_of(client),
        "key_hex": client.session_key.hex(),
        "content_type": CONTENT_TYPE,
        "client_to_server": [],
        "server_to_client": [],
    }
    enc_c = WinRMEncryption(client, WinRMEncryption.KERBEROS)
    enc_s = WinRMEncryption(server, WinRMEncryption.KERBEROS)
    for i, size in enumerate([0, 40, 3000]):
        plain = message(i, size)
        _, body = enc_c.wrap_message(plain)
        assert enc_s.unwrap_message(body, "Encrypted Boundary")[: len(plain)] == plain
        record["client_to_server"].append(
            {"body_b64": base64.b64encode(body).decode(), "plaintext_b64": base64.b64encode(plain).decode()}
        )
    for i, size in enumerate([10, 2000]):
        plain = message(100 + i, size)
        _, body = enc_s.wrap_message(plain)
        assert enc_c.unwrap_message(body, "Encrypted Boundary")[: len(plain)] == plain
        record["server_to_client"].append(
            {"body_b64": base64.b64encode(body).decode(), "plaintext_b64": base64.b64encode(plain).decode()}
        )
    with open(out_path, "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
