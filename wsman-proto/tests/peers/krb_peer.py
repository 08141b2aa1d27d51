#!/usr/bin/env python3
"""Kerberos peer for wsman-proto's KDC tests: pyspnego (on python-gssapi / MIT krb5) as the
other side of a Kerberos or SPNEGO context, driven by JSON lines on stdin/stdout.

Requests (one JSON object per line) and answers:
  {"op": "client", "protocol": "kerberos"|"negotiate", "service": "HTTP", "hostname": "h"}
        -> {"token": b64}                       first initiator token
  {"op": "server", "protocol": "kerberos"|"negotiate"}
        -> {}                                   acceptor from the keytab in KRB5_KTNAME
  {"op": "step", "token": b64 | null}
        -> {"token": b64 | null, "complete": bool}
  {"op": "info"}
        -> {"session_key": hex, "enctype": int, "client_principal": str | null,
            "protocol": str}
  {"op": "wrap", "data": b64}
        -> {"header": b64, "data": b64, "padding_length": int}     wrap_winrm
  {"op": "unwrap", "header": b64, "data": b64}
        -> {"data": b64}                        unwrap_winrm
Every failure answers {"error": "..."} and the peer keeps running.
"""

import base64
import json
import sys

import gssapi
import gssapi.raw
import spnego

GSS_C_INQ_SSPI_SESSION_KEY = gssapi.OID.from_int_seq("1.2.840.113554.1.2.2.5.5")
ENCTYPE_OID_PREFIX = "1.2.840.113554.1.2.2.4."


def b64(data):
    return None if data is None else base64.b64encode(data).decode()


def unb64(text):
    return None if text is None else base64.b64decode(text)


def gss_context(ctx):
    """The python-gssapi SecurityContext under a pyspnego context (raw or inside SPNEGO)."""
    inner = getattr(ctx, "_context", None)
    if isinstance(inner, gssapi.raw.SecurityContext):
        return inner
    # pyspnego's Negotiate proxy keeps the chosen mechanism's context.
    for attr in ("_context_list",):
        lst = getattr(ctx, attr, None)
        if lst:
            for entry in lst.values():
                sub = entry[0] if isinstance(entry, tuple) else entry
                found = getattr(sub, "_context", None)
                if isinstance(found, gssapi.raw.SecurityContext):
                    return found
    return None


def bindings(req):
    """Optional "channel_bindings": base64 application data (TLS tls-server-end-point)."""
    app = req.get("channel_bindings")
    if app is None:
        return None
    from spnego.channel_bindings import GssChannelBindings
    return GssChannelBindings(application_data=unb64(app))


def main():
    ctx = None
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
            op = req["op"]
            if op == "client":
                ctx = spnego.client(
                    hostname=req["hostname"],
                    service=req.get("service", "HTTP"),
                    protocol=req["protocol"],
                    channel_bindings=bindings(req),
                )
                ans = {"token": b64(ctx.step())}
            elif op == "server":
                ctx = spnego.server(protocol=req["protocol"], channel_bindings=bindings(req))
                ans = {}
            elif op == "step":
                out = ctx.step(unb64(req.get("token")))
                ans = {"token": b64(out), "complete": bool(ctx.complete)}
            elif op == "info":
                key = ctx.session_key
                enctype = None
                raw = gss_context(ctx)
                if raw is not None:
                    res = gssapi.raw.inquire_sec_context_by_oid(raw, GSS_C_INQ_SSPI_SESSION_KEY)
                    if len(res) > 1:
                        # The second buffer is the DER body of the enctype OID.
                        arcs = decode_oid(res[1])
                        if arcs.startswith(ENCTYPE_OID_PREFIX):
                            enctype = int(arcs[len(ENCTYPE_OID_PREFIX):])
                principal = None
                try:
                    principal = ctx.client_principal
                except Exception:  # noqa: BLE001 - only the acceptor has one
                    principal = None
                ans = {
                    "session_key": key.hex(),
                    "enctype": enctype,
                    "client_principal": principal,
                    "protocol": ctx.negotiated_protocol,
                }
            elif op == "wrap":
                res = ctx.wrap_winrm(unb64(req["data"]))
                ans = {
                    "header": b64(res.header),
                    "data": b64(res.data),
                    "padding_length": res.padding_length,
                }
            elif op == "unwrap":
                data = ctx.unwrap_winrm(unb64(req["header"]), unb64(req["data"]))
                ans = {"data": b64(data)}
            else:
                ans = {"error": "unknown op %s" % op}
        except Exception as exc:  # noqa: BLE001 - reported to the Rust side
            ans = {"error": "%s: %s" % (type(exc).__name__, exc)}
        sys.stdout.write(json.dumps(ans) + "\n")
        sys.stdout.flush()


def decode_oid(body):
    """Dotted form of a DER OID body (without tag and length)."""
    if not body:
        return ""
    first = body[0]
    arcs = [str(min(first // 40, 2)), str(first - 40 * min(first // 40, 2))]
    value = 0
    for b in body[1:]:
        value = (value << 7) | (b & 0x7F)
        if not b & 0x80:
            arcs.append(str(value))
            value = 0
    return ".".join(arcs)


if __name__ == "__main__":
    main()
