#!/usr/bin/env python3
"""pyspnego (+ pypsrp's WinRM framing) as an independent NTLM / SPNEGO peer for wsman-proto tests.

Speaks JSON lines on stdin/stdout, one request -> one response. Bytes are base64.

  {"cmd": "client", "protocol": "ntlm"|"negotiate", "username": "DOM\\user", "password": "...",
   "lm_compat_level": n (optional; 1 = NTLMv1 with extended session security)}
  {"cmd": "server", "protocol": "ntlm"|"negotiate", "user_file": "/path"}   (NTLM_USER_FILE)
  Both "client" and "server" take an optional "channel_bindings": b64 application data (the
  GssChannelBindings of a TLS channel: b"tls-server-end-point:" + certificate hash).
  {"cmd": "step", "token": b64|null}            -> {"token": b64|null, "complete": bool}
  {"cmd": "wrap", "data": b64}                  -> {"header": b64, "data": b64, "padding": n}
  {"cmd": "unwrap", "header": b64, "data": b64} -> {"data": b64}
  {"cmd": "wrap_body", "data": b64}             -> {"content_type": str, "body": b64}  (pypsrp)
  {"cmd": "unwrap_body", "body": b64}           -> {"data": b64}                       (pypsrp)

Errors answer {"error": "<type>: <message>"}. If pyspnego or pypsrp cannot be imported the first
line written is such an error, so the Rust side fails loudly instead of skipping.
"""
import base64
import json
import os
import sys
import time


def out(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


try:
    import spnego
    from pypsrp.encryption import WinRMEncryption
except Exception as e:  # noqa: BLE001
    out({"error": "import failed: %s: %s (run scripts/setup.sh)" % (type(e).__name__, e)})
    sys.exit(2)

out({"ready": True, "pyspnego": getattr(spnego, "__version__", "?")})

b64e = lambda b: base64.b64encode(b).decode()  # noqa: E731
b64d = lambda s: base64.b64decode(s) if s is not None else None  # noqa: E731

ctx = None
enc = None
PROTO = {"ntlm": "ntlm", "negotiate": "negotiate"}


def bindings(req):
    app = req.get("channel_bindings")
    if app is None:
        return None
    from spnego.channel_bindings import GssChannelBindings
    return GssChannelBindings(application_data=b64d(app))


def handle(req):
    global ctx, enc
    cmd = req["cmd"]
    if cmd == "client":
        if req.get("lm_compat_level") is not None:
            # pyspnego (like gss-ntlmssp) reads it when the context is created: 0-2 = NTLMv1.
            os.environ["LM_COMPAT_LEVEL"] = str(req["lm_compat_level"])
        else:
            os.environ.pop("LM_COMPAT_LEVEL", None)
        ctx = spnego.client(
            req["username"],
            req["password"],
            hostname="collector",
            service="HTTP",
            protocol=PROTO[req["protocol"]],
            options=spnego.NegotiateOptions.use_ntlm if req["protocol"] == "ntlm" else spnego.NegotiateOptions.use_negotiate,
            channel_bindings=bindings(req),
        )
        enc = WinRMEncryption(ctx, WinRMEncryption.SPNEGO)
        return {"ok": True}
    if cmd == "server":
        os.environ["NTLM_USER_FILE"] = req["user_file"]
        ctx = spnego.server(
            protocol=PROTO[req["protocol"]],
            options=spnego.NegotiateOptions.use_ntlm if req["protocol"] == "ntlm" else spnego.NegotiateOptions.use_negotiate,
            channel_bindings=bindings(req),
        )
        enc = WinRMEncryption(ctx, WinRMEncryption.SPNEGO)
        return {"ok": True}
    if cmd == "step":
        t = ctx.step(b64d(req.get("token")))
        return {"token": b64e(t) if t else None, "complete": bool(ctx.complete)}
    if cmd == "wrap":
        r = ctx.wrap_winrm(b64d(req["data"]))
        return {"header": b64e(r.header), "data": b64e(r.data), "padding": r.padding_length}
    if cmd == "unwrap":
        return {"data": b64e(ctx.unwrap_winrm(b64d(req["header"]), b64d(req["data"])))}
    if cmd == "wrap_body":
        _, body = enc.wrap_message(b64d(req["data"]))
        ct = 'multipart/encrypted;protocol="%s";boundary="Encrypted Boundary"' % WinRMEncryption.SPNEGO
        return {"content_type": ct, "body": b64e(body)}
    if cmd == "unwrap_body":
        return {"data": b64e(enc.unwrap_message(b64d(req["body"]), "Encrypted Boundary"))}
    raise ValueError("unknown command %r" % cmd)


for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    try:
        out(handle(json.loads(line)))
    except Exception as e:  # noqa: BLE001
        out({"error": "%s: %s" % (type(e).__name__, e)})
