"""The demo inspection's typed evidence and assessments load strictly from their data file: each
mistake fails naming the file, the entry and the problem (issue 9, item 3)."""
from __future__ import annotations

import copy

import pytest
import yaml

from beacon.demo import inspection as demo
from beacon.demo.inspection_data import InspectionDataError, load
from beacon.inspection.service import library

LIB = library("hmic-2007")


def _computed():
    out: dict[str, set[str]] = {}
    from beacon.inspection import service
    for key, kind, _ in demo.COMPUTED:
        out.setdefault(service.COMPUTED_KINDS[kind].framework_id, set()).add(key)
    return out


@pytest.fixture
def raw():
    return yaml.safe_load(demo.GWENT_DATA.read_text(encoding="utf-8"))


def _load(tmp_path, data):
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return load(path, LIB, _computed())


def test_the_gwent_file_loads_and_assesses_every_criterion():
    data = demo.gwent_data()
    assert set(data.frameworks) == set(demo.FRAMEWORKS)
    for fid in demo.FRAMEWORKS:
        assert set(data.frameworks[fid].assessments) == {c.id for c in LIB.framework(fid).criteria}
    assert data.frameworks["public_protection"].moderation
    assert len(data.frameworks["neighbourhood_policing"].practice) == 3


@pytest.mark.parametrize("change, message", [
    (lambda d: d["frameworks"]["missing_persons"]["evidence"][0].update(colour="red"),
     "frameworks.missing_persons.evidence.0.colour: Extra inputs are not permitted"),
    (lambda d: d["frameworks"]["missing_persons"]["evidence"][0].update(method="seance"),
     "frameworks.missing_persons.evidence.0.method"),
    (lambda d: d["frameworks"]["missing_persons"]["evidence"][0].update(finding="triumph"),
     "frameworks.missing_persons.evidence.0.finding"),
    (lambda d: d["frameworks"]["missing_persons"]["evidence"][0].update(gathered_on="2007-13-01"),
     "frameworks.missing_persons.evidence.0.gathered_on"),
    (lambda d: d["frameworks"]["missing_persons"]["evidence"][0].update(criteria=["mp.f.no-such-thing"]),
     "not criteria of missing_persons: mp.f.no-such-thing"),
    (lambda d: next(iter(d["frameworks"]["missing_persons"]["assessments"].values())).update(result="great"),
     "assessments"),
    (lambda d: d["frameworks"]["missing_persons"]["assessments"].pop("mp.f.chief-officer-lead"),
     "criteria not assessed: mp.f.chief-officer-lead"),
    (lambda d: d["frameworks"]["missing_persons"]["assessments"]["mp.f.chief-officer-lead"].update(evidence=["nope"]),
     "assessments.mp.f.chief-officer-lead: no evidence nope"),
    (lambda d: d["frameworks"].update(no_such_framework=copy.deepcopy(d["frameworks"]["pvp_overview"])),
     "frameworks.no_such_framework: not a framework"),
    (lambda d: d.update(library="hmic-2099"), "library: 'hmic-2099' is not 'hmic-2007'"),
])
def test_a_mistake_fails_naming_the_entry(tmp_path, raw, change, message):
    data = copy.deepcopy(raw)
    change(data)
    with pytest.raises(InspectionDataError) as err:
        _load(tmp_path, data)
    assert "broken.yaml" in str(err.value) and message in str(err.value), str(err.value)


def test_a_repeated_evidence_key_fails(tmp_path, raw):
    data = copy.deepcopy(raw)
    first = data["frameworks"]["missing_persons"]["evidence"][0]
    data["frameworks"]["missing_persons"]["evidence"].append(copy.deepcopy(first))
    with pytest.raises(InspectionDataError, match=f"evidence keys appear more than once: {first['key']}"):
        _load(tmp_path, data)
