#!/usr/bin/env python3
"""Baseline for wsman-proto/benches/kerberos.rs: python-gssapi (MIT krb5) Kerberos wrap + unwrap.

Establishes a Kerberos context between a pyspnego client and server (python-gssapi underneath)
in the realm named by KRB5_CONFIG / KRB5_KTNAME / KRB5CCNAME, or, when KRB5_CONFIG is unset,
in a throwaway realm made by scripts/kdc-setup.sh with krb5kdc started (and stopped) here.
Then, for a message of --size bytes, best of --repeat rounds of --iterations each, times:

  python-gssapi   gssapi.raw.wrap_iov(HEADER|DATA|PADDING) + gssapi.raw.unwrap_iov(HEADER|DATA|DATA)
                  (the WinRM layout, as pyspnego does it, without pyspnego's Python layer)
  pyspnego        ctx.wrap_winrm + ctx.unwrap_winrm

Prints one JSON object: {"enctype": n, "size": n, "results": [{"impl", "seconds_per_op", ...}]}.

Usage: python3 scripts/bench_python_kerberos.py [--size 102400] [--iterations 100] [--repeat 5]
       [--hostname aes256.wefkit.test]
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version

HERE = os.path.dirname(os.path.abspath(__file__))


def own_realm():
    """Creates a realm, starts krb5kdc, kinit; returns a cleanup function."""
    d = tempfile.mkdtemp(prefix="wefkit-krb-bench-")
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    subprocess.run(["bash", os.path.join(HERE, "kdc-setup.sh"), d, str(port)], check=True)
    env = dict(os.environ, KRB5_CONFIG=d + "/krb5.conf", KRB5_KDC_PROFILE=d + "/kdc.conf")
    kdc = subprocess.Popen(["/usr/sbin/krb5kdc", "-n", "-r", "WEFKIT.TEST"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.05)
    os.environ["KRB5_CONFIG"] = d + "/krb5.conf"
    os.environ["KRB5_KTNAME"] = d + "/service.keytab"
    os.environ["KRB5CCNAME"] = "FILE:" + d + "/ccache"
    with open(d + "/user.password", "rb") as f:
        subprocess.run(["kinit", "user@WEFKIT.TEST"], input=f.read() + b"\n", check=True,
                       stdout=subprocess.DEVNULL)

    def cleanup():
        kdc.kill()
        kdc.wait()
        shutil.rmtree(d, ignore_errors=True)

    return cleanup


def best_of(fn, iterations, repeat):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(iterations):
            fn()
        best = min(best, (time.perf_counter() - t0) / iterations)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=100 * 1024)
    ap.add_argument("--iterations", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--hostname", default="aes256.wefkit.test")
    a = ap.parse_args()
    try:
        import gssapi.raw as graw
        from gssapi.raw import IOV, IOVBufferType
        import spnego
    except ImportError as e:
        print(json.dumps({"error": "python-gssapi/pyspnego missing: %s (run scripts/setup.sh)" % e}))
        return 2

    cleanup = own_realm() if "KRB5_CONFIG" not in os.environ else (lambda: None)
    try:
        c = spnego.client(hostname=a.hostname, service="HTTP", protocol="kerberos")
        s = spnego.server(protocol="kerberos")
        tok = c.step()
        while not (c.complete and s.complete):
            tok = s.step(tok)
            if tok:
                tok = c.step(tok)
        cctx, sctx = c._context, s._context
        res = graw.inquire_sec_context_by_oid(
            cctx, __import__("gssapi").OID.from_int_seq("1.2.840.113554.1.2.2.5.5"))
        enctype = res[1][-1] if len(res) > 1 else None

        msg = bytes((i * 31) & 0xFF for i in range(a.size))

        def raw_round():
            iov = IOV(IOVBufferType.header, msg, IOVBufferType.padding, std_layout=False)
            graw.wrap_iov(cctx, iov, confidential=True)
            header, data, pad = iov[0].value, iov[1].value, iov[2].value or b""
            iov2 = IOV((IOVBufferType.header, False, header), data + pad,
                       (IOVBufferType.data, False, b""), std_layout=False)
            graw.unwrap_iov(sctx, iov2)
            assert iov2[1].value[: len(msg)] == msg

        def pyspnego_round():
            w = c.wrap_winrm(msg)
            s.unwrap_winrm(w.header, w.data)

        raw_round()
        pyspnego_round()
        results = []
        for name, fn, ver in [
            ("python-gssapi", raw_round, "python-gssapi " + version("gssapi")),
            ("pyspnego", pyspnego_round, "pyspnego " + version("pyspnego")),
        ]:
            sec = best_of(fn, a.iterations, a.repeat)
            results.append({
                "impl": name,
                "version": ver,
                "seconds_per_op": sec,
                "mib_per_s": a.size / sec / (1 << 20),
            })
        print(json.dumps({
            "enctype": enctype,
            "size": a.size,
            "python": sys.version.split()[0],
            "results": results,
        }))
    finally:
        cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
