"""The vulnerability check fails on a known vulnerability, and says plainly when nothing was audited
(pip-audit reports "No known vulnerabilities found" when the service answered for no package)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "audit-dependencies"


def judged(tmp_path, dependencies: list[dict]) -> subprocess.CompletedProcess:
    report = tmp_path / "audit.json"
    report.write_text(json.dumps({"dependencies": dependencies, "fixes": []}))
    return subprocess.run([sys.executable, str(SCRIPT), "--report", str(report)], capture_output=True, text=True)


def test_a_known_vulnerability_fails_the_build_naming_it_and_its_fix(tmp_path):
    done = judged(tmp_path, [
        {"name": "fastapi", "version": "0.165.0", "vulns": []},
        {"name": "weasyprint", "version": "69.0", "vulns": [
            {"id": "GHSA-r543-q48m-4c9j", "fix_versions": ["70.0"], "aliases": ["CVE-2026-55073"],
             "description": "URL fetcher bypass"}]},
    ])
    assert done.returncode == 1
    assert "weasyprint 69.0: GHSA-r543-q48m-4c9j (CVE-2026-55073); fixed in 70.0" in done.stderr


def test_a_vulnerability_is_found_even_when_other_packages_were_skipped(tmp_path):
    done = judged(tmp_path, [
        {"name": "alembic", "skip_reason": "Dependency not found on PyPI and could not be audited: alembic (1.20.1)"},
        {"name": "weasyprint", "version": "69.0", "vulns": [{"id": "PYSEC-0", "fix_versions": []}]},
    ])
    assert done.returncode == 1 and "no fixed release yet" in done.stderr


def test_when_the_service_answered_for_no_package_it_warns_and_does_not_fail(tmp_path):
    skipped = [{"name": n, "skip_reason": f"Dependency not found on PyPI and could not be audited: {n} (1.0)"}
               for n in ("alembic", "fastapi")]
    done = judged(tmp_path, skipped)
    assert done.returncode == 0
    assert "NOT audited" in done.stderr and "none of the 2 packages" in done.stderr


@pytest.mark.parametrize("dependencies,words", [
    ([{"name": "fastapi", "version": "0.165.0", "vulns": []}], "No known vulnerabilities in the 1 locked"),
    ([{"name": "fastapi", "version": "0.165.0", "vulns": []}, {"name": "x", "skip_reason": "not found"}],
     "1 were NOT audited: x"),
])
def test_a_clean_audit_passes_and_says_what_it_covered(tmp_path, dependencies, words):
    done = judged(tmp_path, dependencies)
    assert done.returncode == 0 and words in done.stdout + done.stderr
