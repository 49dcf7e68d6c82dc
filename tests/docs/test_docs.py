"""Documentation that is generated from code must not go stale (after datasette's test_docs)."""
from __future__ import annotations

from pathlib import Path

from beacon import config
from beacon.rules import get as get_rule

ROOT = Path(__file__).resolve().parents[2]


def test_settings_reference_is_current():
    assert (ROOT / "docs" / "settings.md").read_text() == config.settings_markdown(), \
        "docs/settings.md is stale: run `python -m beacon.config > docs/settings.md`"


def test_every_setting_has_help_and_a_positive_default():
    for s in config.SETTINGS:
        assert len(s.help) > 20, s.name
        assert config.coerce_setting(s.name, s.default) == s.default


def test_settings_that_name_a_rule_name_a_real_one():
    from datetime import date

    for s in config.SETTINGS:
        if s.rule:
            assert get_rule(s.rule, date(2026, 11, 27)) or get_rule(s.rule, date(2007, 1, 1))


def test_readme_quick_start_is_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
