"""docs/rules.md must match the registry."""
from __future__ import annotations

from pathlib import Path

from beacon.rules import all_rules, markdown_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_docs_rules_md_is_up_to_date():
    expected = markdown_table()
    actual = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    assert actual == expected, (
        "docs/rules.md is out of date with the rule registry; regenerate it with "
        "`python -m beacon.rules > docs/rules.md`"
    )


def test_table_lists_every_rule_version():
    table = markdown_table()
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert len(rows) == len(all_rules())
    for rule in all_rules():
        assert f"| `{rule.id}` | {rule.title} |" in table


def test_a_rules_published_value_is_its_settings_default():
    """The registry's value and the setting it names are in the same unit (da.repeat_victim once
    said 12, months, against a setting of 365 days)."""
    from beacon import config

    defaults = config.defaults()
    wrong = [(r.id, r.setting, r.value, defaults[r.setting]) for r in all_rules()
             if r.setting in defaults and r.value is not None and r.value != defaults[r.setting]]
    assert not wrong, wrong
