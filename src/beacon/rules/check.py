"""One audit rule's verdict on one record: the shape every audit in ``beacon.assurance`` returns."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    rule_id: str
    title: str
    applies: bool
    met: bool
    detail: str
