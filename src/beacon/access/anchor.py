"""Signed checkpoints of the access log, kept outside the database (ADR 0013).

After every append that commits, the chain's last sequence number and hash are appended to an
anchor file as one JSON line, with an HMAC under the log key. The database's users can rewrite
the database but not this file or the key, so verification can tell when the log was cut short
(the anchor saw entries the database no longer has) or rebuilt (the anchor's hash for an entry
is not the entry's hash). Each line is written with one ``write`` to a file opened for append,
so lines from several threads or processes never interleave.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class Checkpoint:
    chain: str
    seq: int
    hash: str
    at: str


def sign(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def _payload(chain: str, seq: int, hash_: str, at: str) -> str:
    return f"anchor|{chain}|{seq}|{hash_}|{at}"


def write(path: Path, key: bytes, chain: str, seq: int, hash_: str, at: datetime) -> None:
    stamp = at.isoformat(timespec="microseconds")
    line = json.dumps({"chain": chain, "seq": seq, "hash": hash_, "at": stamp,
                       "mac": sign(key, _payload(chain, seq, hash_, stamp))}, separators=(",", ":")) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def read(path: Path, key: bytes) -> tuple[list[Checkpoint], list[str]]:
    """The file's checkpoints whose signature holds, and a problem for each line that does not."""
    if not path.exists():
        return [], []
    good, bad = [], []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        try:
            item = json.loads(line)
            point = Checkpoint(str(item["chain"]), int(item["seq"]), str(item["hash"]), str(item["at"]))
            ok = hmac.compare_digest(str(item["mac"]), sign(key, _payload(point.chain, point.seq, point.hash, point.at)))
        except (ValueError, KeyError, TypeError):
            bad.append(f"anchor line {number} cannot be read")
            continue
        if ok:
            good.append(point)
        else:
            bad.append(f"anchor line {number} is not signed with the log key")
    return good, bad
