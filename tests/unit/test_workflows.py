"""CI: every workflow is a valid GitHub workflow (checked offline against GitHub's schema, vendored by
check-jsonschema), the tiers run where the README says, and the deploy waits for the tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers.book import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
CHECKER = Path(sys.executable).parent / "check-jsonschema"


def load(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_each_workflow_is_valid(path):
    result = subprocess.run(
        [str(CHECKER), "--builtin-schema", "vendor.github-workflows", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dependabot_is_valid():
    path = ROOT / ".github" / "dependabot.yml"
    result = subprocess.run(
        [str(CHECKER), "--builtin-schema", "vendor.dependabot", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    ecosystems = {u["package-ecosystem"] for u in yaml.safe_load(path.read_text(encoding="utf-8"))["updates"]}
    assert ecosystems == {"pip", "npm", "github-actions"}


def runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job.get("steps", []))


def test_every_change_runs_the_quick_tiers():
    workflow = load("tests.yml")
    assert {"pull_request", "push"} <= set(triggers(workflow))
    assert "make test-quick" in runs(workflow["jobs"]["quick"])


def test_the_slow_tier_runs_nightly():
    workflow = load("nightly.yml")
    assert "schedule" in triggers(workflow)
    assert "make test-slow" in runs(workflow["jobs"]["slow"])


def test_the_deploy_needs_the_tests_and_builds_the_pdf_with_the_real_address():
    jobs = load("pages.yml")["jobs"]
    assert jobs["tests"]["uses"] == "./.github/workflows/tests.yml"
    assert jobs["build"]["needs"] == "tests" and jobs["deploy"]["needs"] == "build"
    step = next(s for s in jobs["build"]["steps"] if "make" in s.get("run", ""))
    assert step["run"].strip() == "make pdf", "make pdf builds the site, the PDF, and links it"
    assert "steps.pages.outputs.base_url" in step["env"]["BOOK_URL"], "the address comes from the repository"


def test_ci_runs_the_readmes_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_a_plain_pytest_run_collects_every_tier():
    """pytest leaves out folders named "build" unless told otherwise: make test must run the build tier too."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q"], cwd=ROOT, capture_output=True, text=True
    )
    tiers = {line.split("/")[1] for line in result.stdout.splitlines() if line.startswith("tests/")}
    assert tiers == {"unit", "build", "browser", "slow"}, tiers
