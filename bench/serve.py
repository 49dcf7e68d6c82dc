"""Serve the real Beacon app for the benchmark: ``python bench/serve.py DATABASE_URL PORT``.

Runs ``beacon serve`` itself (``beacon.cli.serve``: ``create_app()`` over
``BEACON_DATABASE_URL``, whatever it does before ``uvicorn.run``, one worker) on 127.0.0.1 with
a throwaway session secret, so the benchmark measures the app as it is deployed.
``BENCH_PATCH=module:function[,module:function...]`` names functions called with no arguments
first (used to try a change to ``src/`` without editing it). ``BENCH_SRC=DIR`` serves the code in
another source tree (e.g. an older commit's ``src/``) instead of this checkout's.
"""
from __future__ import annotations

import importlib
import inspect
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, os.environ.get("BENCH_SRC") or str(ROOT / "src"))


def main() -> None:
    url, port = sys.argv[1], int(sys.argv[2])
    os.environ["BEACON_DATABASE_URL"] = url
    os.environ.setdefault("BEACON_SECRET_KEY", "benchmark-only-not-a-secret")
    for patch in filter(None, os.environ.get("BENCH_PATCH", "").split(",")):
        module, func = patch.split(":")
        getattr(importlib.import_module(module), func)()
    from beacon import cli

    # Called as a function, typer's options keep their OptionInfo defaults: pass each its own default
    # (e.g. proxy_headers, forwarded_allow_ips), whichever of them this version of ``serve`` has.
    kwargs = {name: getattr(p.default, "default", p.default)
              for name, p in inspect.signature(cli.serve).parameters.items() if name not in ("host", "port")}
    cli.serve(host="127.0.0.1", port=port, **kwargs)


if __name__ == "__main__":
    main()
