"""The closure rule: a log closed as domestic or child protection creates exactly one PPU work item and
one address warning, in the same transaction, however and however often the closure arrives."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from beacon.cases.incidents import importer, service
from beacon.cases.incidents.models import AddressWarning, Incident, WorkItem
from beacon.cases.incidents.schemas import LogRecord
from tests.incidents.conftest import as_csv, closed, log


def rows(sessions, model):
    with sessions() as s:
        return s.scalars(select(model).order_by(model.id)).all()


def receive(run, now, body, as_user="officer.a"):
    return run(service.receive, LogRecord.model_validate(body), now, as_user=as_user)


def test_closure_in_an_import_creates_one_work_item_and_one_warning(run, sessions, now):
    run(importer.import_file, as_csv([closed(1)]), "csv", "a.csv", now)
    run(importer.import_file, as_csv([closed(1)]), "csv", "a.csv", now)
    [item] = rows(sessions, WorkItem)
    [warning] = rows(sessions, AddressWarning)
    [incident] = rows(sessions, Incident)
    assert (item.incident_id, item.kind, item.division_id, item.status, item.created_at) == \
        (incident.id, "domestic", incident.division_id, "open", now)
    assert (warning.location_id, warning.kind, warning.incident_id) == (incident.location_id, "domestic", incident.id)
    assert "CC26/000001" in warning.reason


def test_closure_arriving_later_on_the_live_feed(run, sessions, now):
    run(importer.import_file, as_csv([log(1)]), "csv", "a.csv", now)
    assert rows(sessions, WorkItem) == []
    incident, outcome = receive(run, now, closed(1, "child_protection"))
    assert outcome == "updated" and incident.closing_code == "child_protection"
    [item] = rows(sessions, WorkItem)
    assert item.incident_id == incident.id and item.kind == "child_protection"
    assert len(rows(sessions, AddressWarning)) == 1
    # the feed sends it again: nothing more
    _, outcome = receive(run, now, closed(1, "child_protection"))
    assert outcome == "unchanged"
    assert len(rows(sessions, WorkItem)) == 1 and len(rows(sessions, AddressWarning)) == 1


def test_a_closing_code_is_recognised_however_it_is_written(run, sessions, now):
    incident, outcome = receive(run, now, closed(1, " Child-Protection "))
    assert outcome == "created" and incident.closing_code == "child_protection"
    assert [w.kind for w in rows(sessions, WorkItem)] == ["child_protection"]


def test_other_closings_create_nothing(run, sessions, now):
    receive(run, now, closed(1, "ASB - advice given"))
    receive(run, now, closed(2, "domestic appliance fire"))
    assert rows(sessions, WorkItem) == [] and rows(sessions, AddressWarning) == []


def test_re_closing_as_the_other_kind_keeps_one_work_item_and_adds_a_warning(run, sessions, now):
    receive(run, now, closed(1, "domestic"))
    receive(run, now, closed(1, "child_protection"))
    assert len(rows(sessions, WorkItem)) == 1
    assert sorted(w.kind for w in rows(sessions, AddressWarning)) == ["child_protection", "domestic"]


def test_a_later_incident_at_the_address_shows_the_warning(run, sessions, now, world):
    receive(run, now, closed(1, "domestic", address="7 Warning Way, Testtown"))
    later, _ = receive(run, now, log(2, address="7 warning way, TESTTOWN", postcode="np20 1aa"))
    with sessions() as s:
        d = service.detail(s, world.users["officer.a"], s.get(Incident, later.id))
        assert [w.kind for w in d.warnings] == ["domestic"] and "CC26/000001" in d.warnings[0].reason
        assert service.warnings_for(s, d.location) == d.warnings


def test_two_closures_at_one_address_give_two_warnings_newest_first(run, sessions, now, clock):
    receive(run, now, closed(1, "domestic", address="7 Warning Way, Testtown"))
    later = now.replace(hour=4)
    receive(run, later, closed(2, "child_protection", address="7 Warning Way, Testtown",
                               closed_at="2026-11-27T03:30:00+00:00"))
    with sessions() as s:
        location_id = s.scalars(select(Incident.location_id)).first()
        assert [w.kind for w in service.warnings_for(s, location_id)] == ["child_protection", "domestic"]


def test_the_work_item_is_in_the_same_transaction_as_the_log(sessions, world, now):
    """If anything after the closure fails, neither the log nor its work item is kept."""
    from beacon.access.unit_of_work import transaction

    with pytest.raises(RuntimeError):
        with transaction(sessions) as s:
            service.receive(s, world.users["officer.a"], LogRecord.model_validate(closed(1)), now)
            raise RuntimeError("later failure in the same unit of work")
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Incident)) == 0
        assert s.scalar(select(func.count()).select_from(WorkItem)) == 0


def test_the_live_feed_refuses_another_division(run, now):
    from beacon.errors import Forbidden

    with pytest.raises(Forbidden):
        receive(run, now, closed(1, division="B"))


def test_queue_is_oldest_first_and_excludes_done(run, sessions, now):
    from beacon.cases.incidents.schemas import WorkItemUpdateIn

    receive(run, now.replace(hour=1), closed(1, closed_at="2026-11-27T00:30:00+00:00"))
    receive(run, now, closed(2))
    rows_, total, _ = run(service.work_queue, as_user="ppu.a")
    assert [i.log_ref for _, i in rows_] == ["CC26/000001", "CC26/000002"] and total == 2
    first = rows_[0][0]
    run(service.update_work_item, first.id, WorkItemUpdateIn(version=first.version, status="done"), as_user="ppu.a")
    rows_, total, _ = run(service.work_queue, as_user="ppu.a")
    assert [i.log_ref for _, i in rows_] == ["CC26/000002"] and total == 1
