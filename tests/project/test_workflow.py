"""The nightly GitHub Actions workflow: one source for the example and `init --github-actions`,
checked by a workflow linter, its scripts checked by bash, and its summary and commit steps run
for real against git repositories made here."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from project.project_kit import (
    EXAMPLE_WORKFLOW,
    PACKAGED_WORKFLOW,
    lint_workflow,
    load_workflow,
    step,
)

from jogg_pipeline.cli import main

SECRET = "${{ secrets.JOGG_API_KEY }}"


def test_the_example_is_the_file_init_writes(tmp_path, capsys) -> None:
    assert EXAMPLE_WORKFLOW.read_bytes() == PACKAGED_WORKFLOW.read_bytes()
    source = load_workflow(EXAMPLE_WORKFLOW)["env"]["JOGG_PIPELINE"]
    assert main(["init", "--dir", str(tmp_path), "--github-actions", "--source", source]) == 0
    written = tmp_path / ".github" / "workflows" / "nightly-videos.yml"
    example = EXAMPLE_WORKFLOW.read_text().splitlines()
    scaffolded = written.read_text().splitlines()
    # Only the comment on the source differs: the example asks for it, init was given it.
    assert [line for line in example if not line.startswith("  # ")] == [
        line for line in scaffolded if not line.startswith("  # ")
    ]


def test_the_linter_passes_the_example_and_a_scaffolded_workflow(tmp_path, capsys) -> None:
    assert main(["init", "--dir", str(tmp_path), "--github-actions"]) == 0
    scaffolded = tmp_path / ".github" / "workflows" / "nightly-videos.yml"
    for path in (EXAMPLE_WORKFLOW, scaffolded):
        result = lint_workflow(path)
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.strip() == "ok -- validation done"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (
            ("    runs-on: ubuntu-latest\n", "    runs_on: ubuntu-latest\n"),
            "'runs-on' is a required",
        ),
        (("        if: always()", "        iff: always()"), "Additional properties"),
        (("  cancel-in-progress: false", "  cancel-in-progress: nope"), "is not valid under any"),
    ],
    ids=["runs-on", "step-key", "concurrency"],
)
def test_the_linter_catches_a_broken_workflow(change, error, tmp_path) -> None:
    text = EXAMPLE_WORKFLOW.read_text()
    assert change[0] in text
    broken = tmp_path / "broken.yml"
    broken.write_text(text.replace(change[0], change[1]))
    result = lint_workflow(broken)
    assert result.returncode == 1
    assert error in result.stdout


def test_the_steps_do_what_the_night_needs() -> None:
    workflow = load_workflow(EXAMPLE_WORKFLOW)
    assert set(workflow["env"]) == {"JOGG_PIPELINE", "OPEN_PULL_REQUEST"}
    assert workflow["env"]["OPEN_PULL_REQUEST"] == "false"
    assert workflow["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert workflow["concurrency"] == {"group": "nightly-videos", "cancel-in-progress": False}
    steps = workflow["jobs"]["videos"]["steps"]
    what = [s.get("uses") or s["run"].strip().splitlines()[0] for s in steps]
    assert what == [
        "actions/checkout@v5",
        "actions/setup-python@v6",
        'python -m pip install --quiet "$JOGG_PIPELINE" || {',
        "actions/cache/restore@v5",
        "jogg-pipeline validate",
        "jogg-pipeline plan",
        "code=0",
        "actions/cache/save@v5",
        ': > "$RUNNER_TEMP/changes.md"',
        "actions/upload-artifact@v6",
        "git add results/",
    ]
    assert steps[0]["with"] == {"fetch-depth": 0}
    restore, save = steps[3], steps[7]
    assert restore["with"]["path"] == save["with"]["path"] == ".jogg"
    assert restore["with"]["key"] == save["with"]["key"]
    assert save["if"] == "always()"
    assert "restore" not in str(save) and "fail-on-cache-miss" not in str(restore)
    assert "jogg-pipeline run --wait 90m --download videos || code=$?" in steps[6]["run"]
    assert steps[9]["with"]["path"] == "videos/"
    with_key = [s.get("name") for s in steps if "JOGG_API_KEY" in str(s)]
    assert with_key == ["Show the plan and what it costs", "Make the videos"]
    assert all(s["env"]["JOGG_API_KEY"] == SECRET for s in steps if "JOGG_API_KEY" in str(s))
    commit = steps[10]["run"]
    assert commit.index("git pull --rebase") < commit.index('git push origin "HEAD:')
    # Scripts read values from the environment, never from `${{ }}` pasted into the shell.
    assert not [s["name"] for s in steps if "${{" in s.get("run", "")]


def test_every_script_is_valid_bash() -> None:
    for item in load_workflow(EXAMPLE_WORKFLOW)["jobs"]["videos"]["steps"]:
        if "run" in item:
            result = subprocess.run(
                ["bash", "-n", "-c", item["run"]], capture_output=True, text=True, check=False
            )
            assert result.returncode == 0, (item.get("name"), result.stderr)


# Running the steps: GitHub's shell for `run`, a clean git identity, jogg-pipeline on PATH.


def run_step(name: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = step(load_workflow(EXAMPLE_WORKFLOW), name)["run"]
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.com", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def manifest(status: str, name: str) -> str:
    """A campaign's manifest with one video, as `run` writes it."""
    video = {
        "id": "bottle/story",
        "product_key": "bottle",
        "url": "../pages/trail-bottle.html",
        "product_id": "NDE5MzQyMTE0OTQ2",
        "project_id": "56dae9feb9f74a2c9377621c93c36acc",
        "settings": {"aspect_ratio": 0, "video_length": "15", "video_name": "nightly bottle/story"},
        "status": status,
        "video_url": None,
        "cover_url": None,
        "duration": None,
        "error": None,
        "warnings": [],
    }
    product = {"url": "../pages/trail-bottle.html", "name": name, "media": 2, "overrides": {}}
    data = {
        "manifest_version": 1,
        "campaign": "nightly",
        "backend": "local",
        "spec": {"path": "specs/nightly.yaml", "sha256": "0" * 64},
        "products": {"bottle": {**product, "product_id": "NDE5MzQyMTE0OTQ2", "warnings": []}},
        "videos": [video],
        "summary": {"success": int(status == "success"), "failed": 0, "pending": 0},
    }
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


@pytest.fixture
def repos(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A remote with last night's manifests, a checkout of it, and another commit pushed to the
    remote since the checkout: what the commit step meets."""
    remote, work, other = tmp_path / "remote.git", tmp_path / "work", tmp_path / "other"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(remote))
    git(tmp_path, "clone", "--quiet", str(remote), str(work))
    (work / "results").mkdir()
    (work / "results" / "nightly.json").write_text(manifest("pending", "Bottle"))
    git(work, "add", ".")
    git(work, "commit", "--quiet", "-m", "Last night")
    git(work, "push", "--quiet", "origin", "HEAD:main")
    git(tmp_path, "clone", "--quiet", str(remote), str(other))
    (other / "README.md").write_text("# Campaigns\n")
    git(other, "add", ".")
    git(other, "commit", "--quiet", "-m", "A readme")
    git(other, "push", "--quiet", "origin", "HEAD:main")

    runner = tmp_path / "runner"
    runner.mkdir()
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path / "home"),  # no identity but what the step sets
        "GIT_CONFIG_NOSYSTEM": "1",
        "RUNNER_TEMP": str(runner),
        "GITHUB_STEP_SUMMARY": str(runner / "summary.md"),
        "GITHUB_REF_NAME": "main",
        "OPEN_PULL_REQUEST": "false",
        "GH_TOKEN": "",
    }
    return remote, work, env


def test_the_summary_and_commit_steps_record_the_night(repos, tmp_path, capsys) -> None:
    remote, work, env = repos
    tonight = manifest("success", "Bottle – 15% off")
    (work / "results" / "nightly.json").write_text(tonight)
    (work / "results" / "launch.json").write_text(manifest("pending", "Kettle"))  # new tonight
    (work / "videos").mkdir()
    (work / "videos" / "story.mp4").write_bytes(b"not for git")

    summary = run_step("Summarize what changed", work, env)
    assert summary.returncode == 0, summary.stderr
    old, new = tmp_path / "old.json", work / "results" / "nightly.json"
    old.write_text(manifest("pending", "Bottle"))
    assert main(["diff", str(old), str(new), "--format", "markdown"]) == 0
    expected = capsys.readouterr().out + "\n"
    assert "Bottle – 15% off" in expected
    assert Path(env["GITHUB_STEP_SUMMARY"]).read_text() == expected  # launch.json: nothing to diff

    commit = run_step("Commit the manifests", work, env)
    assert commit.returncode == 0, commit.stderr
    log = git(remote, "log", "--format=%s|%an", "main").splitlines()
    assert re.fullmatch(r"Nightly videos: \d{4}-\d{2}-\d{2}\|github-actions\[bot\]", log[0])
    assert [entry.split("|")[0] for entry in log[1:]] == ["A readme", "Last night"]
    assert git(remote, "show", "main:results/nightly.json") == tonight
    tree = git(remote, "ls-tree", "-r", "--name-only", "main").split()
    assert tree == ["README.md", "results/launch.json", "results/nightly.json"]

    again = run_step("Commit the manifests", work, env)
    assert again.returncode == 0, again.stderr
    assert again.stdout == "The manifests did not change.\n"
    assert len(git(remote, "log", "--format=%s", "main").splitlines()) == 3
