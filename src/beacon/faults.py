"""Fault injection for the crash tests: ``crash_point(name)`` kills the process outright (as
``kill -9`` would) when the environment says ``BEACON_CRASH_AT=name`` (or ``name:N`` for its N-th
passing). Inert otherwise: one dictionary lookup. The points name the moments of a unit of work
a crash must never leave half-done (tests/access/test_crash.py)."""
from __future__ import annotations

import os
import signal

_passed: dict[str, int] = {}


def crash_point(name: str) -> None:
    target = os.environ.get("BEACON_CRASH_AT")
    if not target:
        return
    point, _, nth = target.partition(":")
    if point != name:
        return
    _passed[name] = _passed.get(name, 0) + 1
    if _passed[name] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
