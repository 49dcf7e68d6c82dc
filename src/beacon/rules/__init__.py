"""Cited, dated published rules and the clocks that apply them.

Importing this package registers every rule in :mod:`beacon.rules.catalogue` (idempotently).
``python -m beacon.rules`` prints the reference document kept in docs/rules.md.
"""
from __future__ import annotations

from . import catalogue
from .clocks import (
    add_working_days,
    bank_holidays,
    deadline,
    is_overdue,
    is_working_day,
    last_day_beginning_with,
    working_day_deadline,
    working_days_between,
)
from .registry import (
    Registry,
    Rule,
    RuleConflict,
    RuleNotInForce,
    UnknownRule,
    all_rules,
    get,
    in_force,
    markdown_table,
    register,
    versions,
)

catalogue.register_all()

__all__ = [
    "Registry",
    "Rule",
    "RuleConflict",
    "RuleNotInForce",
    "UnknownRule",
    "add_working_days",
    "all_rules",
    "bank_holidays",
    "deadline",
    "get",
    "in_force",
    "is_overdue",
    "is_working_day",
    "last_day_beginning_with",
    "markdown_table",
    "register",
    "versions",
    "working_day_deadline",
    "working_days_between",
]
