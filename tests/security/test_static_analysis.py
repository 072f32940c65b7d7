"""bandit (static analysis of our Python, run locally: no network) finds nothing of medium or high
severity, and every low-severity finding is answered in docs/security.md (rule and file named in its
table). A new finding fails here until it is fixed or answered there."""

import json
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = ["portal", "bases", "reviews", "assessments"]


def bandit_findings():
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-c", "pyproject.toml", "-r", *PACKAGES, "-q", "-f", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr  # 1: findings reported
    report = json.loads(result.stdout)
    assert report["errors"] == []
    assert report["metrics"]["_totals"]["loc"] > 10000  # the packages were really scanned
    return report["results"]


def test_bandit_finds_nothing_serious_and_every_finding_is_answered():
    findings = bandit_findings()
    serious = [f for f in findings if f["issue_severity"] in ("MEDIUM", "HIGH")]
    assert serious == [], [(f["test_id"], f["filename"], f["line_number"], f["issue_text"]) for f in serious]
    answered = [
        line for line in (ROOT / "docs" / "security.md").read_text().splitlines() if line.startswith("| B")
    ]
    unanswered = [
        f"{f['test_id']} {f['filename']}:{f['line_number']} {f['issue_text']}"
        for f in findings
        if not any(f["test_id"] in line and f"`{f['filename']}`" in line for line in answered)
    ]
    assert unanswered == []
