"""The criteria library loader: the real 2007 library is sound, its reference is current, and
every kind of bad file is refused with a message that names the file and the path inside it."""
from __future__ import annotations

from pathlib import Path

import pytest

from beacon.inspection import criteria
from beacon.inspection.criteria import (
    CriteriaError,
    check,
    criteria_check_command,
    load_all,
    load_library,
)
from beacon.inspection.types import Level, Standard

ROOT = Path(__file__).resolve().parents[2]
HMIC_2007 = ROOT / "criteria" / "hmic-2007.yaml"

PROGRAMMED = ("neighbourhood_policing", "performance_management", "pvp_overview", "child_abuse",
              "domestic_violence", "public_protection", "missing_persons")


# --- the real library ------------------------------------------------------------------------

def test_the_2007_library_loads_and_passes_check():
    assert check(HMIC_2007) == []
    lib = load_library(HMIC_2007)
    assert (lib.id, lib.version, lib.effective_from) == ("hmic-2007", "1.0.0", "2006-04-01")
    assert tuple(f.id for f in lib.frameworks if f.kind == "programmed") == PROGRAMMED
    assert len([f for f in lib.frameworks if f.kind == "risk_based"]) == 8
    assert not lib.framework("pvp_overview").graded
    assert {lib.framework(f).area for f in PROGRAMMED[2:]} == {"Protecting vulnerable people"}
    for fw in lib.frameworks:
        assert all(c.framework_id == fw.id and c.source and c.typical_evidence for c in fw.criteria)
        if fw.kind == "programmed" and fw.graded:
            assert 12 <= len(fw.criteria) <= 21, fw.id
            ids = {c.id for c in fw.criteria}
            prefix = fw.criteria[0].id.split(".")[0]
            assert {f"{prefix}.e.beacon-practice", f"{prefix}.e.evaluated-innovation"} <= ids, fw.id
        if fw.kind == "risk_based":
            assert 3 <= len(fw.criteria) <= 5 and fw.description
            assert all("placeholders" in c.source for c in fw.criteria)


def test_the_critical_criteria_are_dominant():
    lib = load_library(HMIC_2007)
    dominant = {c.id for f in lib.frameworks for c in f.criteria if c.dominant}
    assert {"ca.f.referral-safeguards", "ca.f.joint-investigation-criteria", "mp.f.high-risk-supervised-to-criteria",
            "pp.f.risk-management-plans-current", "dv.f.risk-identified-every-incident"} <= dominant
    for f in lib.frameworks:
        for c in f.criteria:
            assert not c.dominant or (c.level is Level.FAIR and c.significant)
            assert isinstance(c.standard, Standard)


def test_load_all_finds_the_library_from_any_directory(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)          # "criteria" falls back to the project's directory
    assert "hmic-2007" in [lib.id for lib in load_all()]


def test_load_all_refuses_the_same_id_and_version_twice(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(GOOD)
    with pytest.raises(CriteriaError) as err:
        load_all(tmp_path)
    assert "b.yaml: id: library 't' version 1.0.0 is also defined in" in str(err.value)


def test_reference_docs_are_current():
    assert (ROOT / "docs" / "criteria.md").read_text() == criteria.libraries_markdown(load_all(ROOT / "criteria")), \
        "docs/criteria.md is stale: run `python -m beacon.inspection.criteria > docs/criteria.md`"


def test_check_command_summarises_or_lists_problems(tmp_path, capsys):
    assert criteria_check_command([str(HMIC_2007)]) == 0
    out = capsys.readouterr().out
    assert "hmic-2007 1.0.0" in out and "child_abuse" in out and "D 2" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("level: good", "level: superb"))
    assert criteria_check_command([str(HMIC_2007), str(bad)]) == 1
    assert "frameworks[0].criteria[1].level: 'superb' is not one of fair, good, excellent" in capsys.readouterr().out


# --- bad files -------------------------------------------------------------------------------

GOOD = """\
id: t
title: Test library
version: "1.0.0"
effective_from: "2006-04-01"
schema: 1
frameworks:
  - id: fw
    prefix: fw
    title: Test framework
    kind: programmed
    area: Test
    criteria:
      - id: fw.f.first
        level: fair
        significant: true
        standard: training
        text: The force trains its staff.
        typical_evidence: [Training records]
        source: "Test – Strengths: 'quote'"
      - id: fw.g.second
        level: good
        standard: training
        text: The force evaluates its training.
        typical_evidence: [Evaluation reports]
        source: "Test – Areas for improvement: 'quote'"
"""


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "x.yaml"
    path.write_text(text)
    with pytest.raises(CriteriaError) as err:
        load_library(path)
    assert err.value.problems == check(path)
    assert all(p.startswith(f"{path}: ") for p in err.value.problems)
    return [p.removeprefix(f"{path}: ") for p in err.value.problems]


def test_the_minimal_library_is_sound(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(GOOD)
    assert check(path) == []
    assert load_library(path).framework("fw").criteria[0].significant


BAD = {
    "missing required field": (GOOD.replace("        text: The force trains its staff.\n", ""),
                               "frameworks[0].criteria[0].text: required field is missing"),
    "unknown key": (GOOD.replace("        level: good\n", "        level: good\n        colour: red\n"),
                    "frameworks[0].criteria[1].colour: unknown key 'colour' (allowed: id, level,"),
    "duplicate id": (GOOD.replace("fw.g.second", "fw.f.first").replace("level: good", "level: fair\n        significant: false"),
                     "frameworks[0].criteria[1].id: duplicate criterion id 'fw.f.first' (also frameworks[0].criteria[0])"),
    "unknown level": (GOOD.replace("level: good", "level: superb"),
                      "frameworks[0].criteria[1].level: 'superb' is not one of fair, good, excellent"),
    "unknown standard": (GOOD.replace("standard: training", "standard: vibes", 1),
                         "frameworks[0].criteria[0].standard: 'vibes' is not one of leadership_and_accountability,"),
    "dominant on a Good criterion": (GOOD.replace("level: good", "level: good\n        dominant: true"),
                                     "frameworks[0].criteria[1].dominant: only Fair criteria can be dominant"),
    "dominant without significant": (GOOD.replace("significant: true", "significant: false\n        dominant: true"),
                                     "frameworks[0].criteria[0].dominant: a dominant criterion must also be significant"),
    "significant on a Good criterion": (GOOD.replace("level: good", "level: good\n        significant: true"),
                                        "frameworks[0].criteria[1].significant: only Fair criteria can be significant"),
    "significant missing on Fair": (GOOD.replace("        significant: true\n", ""),
                                    "frameworks[0].criteria[0].significant: required on a Fair criterion"),
    "bad version": (GOOD.replace('"1.0.0"', '"1.0"'),
                    "version: '1.0' is not a semantic version MAJOR.MINOR.PATCH"),
    "unquoted version": (GOOD.replace('"1.0.0"', "1.0"), "version: 1.0 must be a quoted string MAJOR.MINOR.PATCH"),
    "wrong schema": (GOOD.replace("schema: 1", "schema: 2"),
                     "schema: this Beacon reads criteria schema 1; the file says 2"),
    "no significant Fair criterion": (GOOD.replace("significant: true", "significant: false"),
                                      "frameworks[0].criteria: graded framework 'fw' has no significant Fair criterion"),
    "no Good criterion": (GOOD.replace("fw.g.second", "fw.e.second").replace("level: good", "level: excellent"),
                          "frameworks[0].criteria: graded framework 'fw' has no Good criterion"),
    "bad date": (GOOD.replace("2006-04-01", "2006-02-30"), "effective_from: '2006-02-30' is not a real ISO date"),
    "malformed YAML": (GOOD.replace("    prefix: fw", "   prefix: [fw"), "line 8, column 4: YAML syntax error:"),
    "duplicate key": (GOOD.replace("        level: good\n", "        level: good\n        level: fair\n"),
                      "frameworks[0].criteria[1].level: duplicate key 'level' (line 22; first at line 21)"),
    "id with wrong prefix": (GOOD.replace("fw.g.second", "xx.g.second"),
                             "frameworks[0].criteria[1].id: 'xx.g.second' must start with the framework prefix 'fw'"),
    "id with wrong level letter": (GOOD.replace("fw.g.second", "fw.e.second"),
                                   "frameworks[0].criteria[1].id: 'fw.e.second': level letter 'e' does not match level 'good'"),
    "id not matching the pattern": (GOOD.replace("fw.g.second", "Second"),
                                    "frameworks[0].criteria[1].id: 'Second' does not match PREFIX.LEVEL.slug"),
    "unknown kind": (GOOD.replace("kind: programmed", "kind: adhoc"),
                     "frameworks[0].kind: 'adhoc' is not one of programmed, risk_based"),
    "empty text": (GOOD.replace("text: The force trains its staff.", "text: '  '"),
                   "frameworks[0].criteria[0].text: must not be empty"),
    "wrong type": (GOOD.replace("significant: true", "significant: 'yes'"),
                   "frameworks[0].criteria[0].significant: Input should be a valid boolean"),
    "not a mapping": ("- just\n- a list\n", "(top level): expected a mapping"),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_files_are_refused_naming_the_path(tmp_path, case):
    text, expected = BAD[case]
    problems = _problems(tmp_path, text)
    assert any(expected in p for p in problems), problems


def test_duplicate_framework_ids_are_refused(tmp_path):
    second = GOOD.split("frameworks:\n", 1)[1].replace("prefix: fw", "prefix: fx").replace("fw.", "fx.")
    problems = _problems(tmp_path, GOOD + second)
    assert "frameworks[1].id: duplicate framework id 'fw' (also frameworks[0])" in problems


def test_dominant_is_refused_in_an_ungraded_framework(tmp_path):
    text = GOOD.replace("area: Test", "area: Test\n    graded: false").replace(
        "significant: true", "significant: true\n        dominant: true")
    assert _problems(tmp_path, text) == [
        "frameworks[0].criteria[0].dominant: framework 'fw' is not graded, so nothing can be dominant in it"]


def test_an_unquoted_date_is_accepted_as_that_date(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(GOOD.replace('"2006-04-01"', "2006-04-01"))
    assert load_library(path).effective_from == "2006-04-01"


def test_every_problem_is_reported_at_once(tmp_path):
    text = GOOD.replace("level: good", "level: superb").replace("standard: training", "standard: vibes", 1)
    problems = _problems(tmp_path, text)
    assert len(problems) == 2
