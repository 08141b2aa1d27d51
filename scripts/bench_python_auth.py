#!/usr/bin/env python3
"""Baseline for wsman-proto/benches/auth.rs: pyspnego's NTLM wrap_winrm + unwrap_winrm.

Establishes an NTLM context between a pyspnego client and a pyspnego server (NTLM_USER_FILE),
then times `client.wrap_winrm(msg)` followed by `server.unwrap_winrm(header, data)` for a
message of --size bytes, best of --repeat rounds of --iterations each (like timeit).

Prints one JSON object: {"impl": "pyspnego", "size": n, "seconds_per_op": s, "mib_per_s": x, ...}.

Usage: python3 scripts/bench_python_auth.py [--size 102400] [--iterations 200] [--repeat 5]
"""
import argparse
import json
import os
import sys
import tempfile
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=100 * 1024)
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    try:
        import spnego
    except ImportError as e:
        print(json.dumps({"error": "pyspnego missing: %s (run scripts/setup.sh)" % e}))
        return 2

    with tempfile.NamedTemporaryFile("w", delete=False) as f:
        f.write("WEF:bench:Bench-Pw1\n")
        user_file = f.name
    try:
        os.environ["NTLM_USER_FILE"] = user_file
        c = spnego.client("WEF\\bench", "Bench-Pw1", hostname="collector", protocol="ntlm", options=spnego.NegotiateOptions.use_ntlm)
        s = spnego.server(protocol="ntlm", options=spnego.NegotiateOptions.use_ntlm)
        tok = c.step()
        while tok:
            tok = s.step(tok)
            if tok:
                tok = c.step(tok)
        assert c.complete and s.complete
    finally:
        os.unlink(user_file)

    msg = bytes((i * 31) & 0xFF for i in range(a.size))
    best = float("inf")
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        for _ in range(a.iterations):
            w = c.wrap_winrm(msg)
            s.unwrap_winrm(w.header, w.data)
        best = min(best, (time.perf_counter() - t0) / a.iterations)
    print(json.dumps({
        "impl": "pyspnego",
        "version": getattr(spnego, "__version__", None) or __import__("importlib.metadata").metadata.version("pyspnego"),
        "python": sys.version.split()[0],
        "size": a.size,
        "seconds_per_op": best,
        "mib_per_s": a.size / best / (1 << 20),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
