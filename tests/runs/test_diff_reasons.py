"""`diff` says why: each changed video with what made it new (settings, product fields), status
and error, warnings; each product's own changes; as text, markdown and JSON; and the old
manifests read from git with --since."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from jogg_pipeline.cli import main

IN_DOUBT_MSG = (
    "the request was sent but its answer was lost, so the video may exist already; "
    "run with --retry-in-doubt to send it again"
)
VOICE = "voice en-US-ChristopherNeural is played by the local voice Guy (en-US, male)"


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def product(key: str, **fields: Any) -> dict[str, Any]:
    name = {"blush": "Happy Booster Blush", "headphones": "Studio Wireless Headphones"}[key]
    entry = {
        "url": f"pages/{key}.html",
        "product_id": f"P-{key}",
        "name": f"{name} – 20% off",
        "price": "24.00 USD",
        "media": 3,
        "overrides": {"name": f"{name} – 20% off"},
        "extracted": {
            "name": name,
            "description": "A soft powder blush.",
            "target_audience": "",
            "media": [{"type": 1, "url": f"images/{key}-{i}.jpg"} for i in range(3)],
            "details": {"price": "24.00", "currency": "USD"},
        },
        "warnings": [],
        "error": None,
    }
    entry.update(fields)
    return entry


def video(video_id: str, **fields: Any) -> dict[str, Any]:
    key = video_id.split("/")[0]
    entry = {
        "id": video_id,
        "product_key": key,
        "url": f"pages/{key}.html",
        "product_id": f"P-{key}",
        "project_id": f"J-{video_id.replace('/', '-')}",
        "settings": {
            "aspect_ratio": 0,
            "video_length": "15",
            "language": "english",
            "video_name": f"nightly {video_id}",
        },
        "quality": "preview",
        "status": "success",
        "video_url": f".jogg/engine/files/projects/{video_id}/video.mp4",
        "cover_url": f".jogg/engine/files/projects/{video_id}/cover.jpg",
        "duration": 15.0,
        "error": None,
        "warnings": [],
    }
    entry.update(fields)
    return entry


def manifest(videos: list[dict[str, Any]], products: dict[str, Any] | None) -> dict[str, Any]:
    document: dict[str, Any] = {
        "manifest_version": 1,
        "campaign": "nightly",
        "backend": "local",
        "spec": {"path": "specs/nightly.yaml", "sha256": "0" * 64},
        "videos": sorted(videos, key=lambda v: v["id"]),
        "summary": {"success": len(videos), "failed": 0, "pending": 0},
    }
    if products is not None:
        document["products"] = products
    return document


def baseline() -> dict[str, Any]:
    return manifest(
        [video("blush/short"), video("blush/wide"), video("headphones/short")],
        {"blush": product("blush"), "headphones": product("headphones")},
    )


def write(path: Path, document: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return path


def videos_of(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {v["id"]: v for v in document["videos"]}


def test_a_changed_override_names_the_product_field_behind_each_new_video(tmp_path, capsys) -> None:
    old = baseline()
    new = copy.deepcopy(old)
    blush = new["products"]["blush"]
    blush["name"] = blush["overrides"]["name"] = "Happy Booster Blush – 30% off"
    videos_of(new)["blush/short"]["project_id"] = "J-2"
    videos_of(new)["blush/wide"]["project_id"] = "J-3"
    old_path, new_path = write(tmp_path / "old.json", old), write(tmp_path / "new.json", new)

    code, out, _ = cli(capsys, "diff", str(old_path), str(new_path), "--exit-code")
    assert code == 1
    assert out.splitlines() == [
        "nightly: 2 videos changed; 1 product changed",
        '~ product blush: name "Happy Booster Blush – 20% off" -> "Happy Booster Blush – 30% off"',
        '~ blush/short: new video: product name "Happy Booster Blush – 20% off" -> '
        '"Happy Booster Blush – 30% off"',
        '~ blush/wide: new video: product name "Happy Booster Blush – 20% off" -> '
        '"Happy Booster Blush – 30% off"',
    ]
    assert cli(capsys, "diff", str(new_path), str(new_path), "--exit-code")[:2] == (
        0,
        "nightly: no changes\n",
    )


def test_settings_status_errors_and_warnings_of_videos(tmp_path, capsys) -> None:
    old = manifest(
        [
            video("blush/short", status="pending", video_url=None, duration=None),
            video("blush/wide", status="pending", video_url=None),
            video("headphones/short", warnings=[VOICE]),
            video("headphones/wide"),
            video("kettle/short", status="pending"),
            video("old/one"),
        ],
        None,
    )
    new = copy.deepcopy(old)
    changed = videos_of(new)
    changed["blush/short"].update(status="success", video_url="v.mp4", duration=15.0)
    changed["blush/wide"].update(
        status="failed", error={"step": "render", "code": 50000, "msg": "render failed: no font"}
    )
    changed["headphones/short"]["warnings"] = []
    changed["headphones/wide"].update(project_id="J-9", quality="hd", warnings=[VOICE])
    changed["headphones/wide"]["settings"]["aspect_ratio"] = 1
    changed["kettle/short"]["error"] = {"step": "create_video", "code": "in_doubt"}
    changed["kettle/short"]["error"]["msg"] = IN_DOUBT_MSG
    new["videos"] = [v for v in new["videos"] if v["id"] != "old/one"] + [video("new/one")]
    old_path, new_path = write(tmp_path / "old.json", old), write(tmp_path / "new.json", new)

    code, out, _ = cli(capsys, "diff", str(old_path), str(new_path))
    assert code == 0
    assert out.splitlines() == [
        "nightly: 1 video added, 1 video removed, 5 videos changed",
        "+ new/one (success)",
        "- old/one (success)",
        "~ blush/short: status pending -> success",
        '~ blush/wide: status pending -> failed (render 50000: "render failed: no font")',
        f'~ headphones/short: warning gone: "{VOICE}"',
        '~ headphones/wide: new video: aspect_ratio 0 -> 1, quality "preview" -> "hd"; '
        f'new warning: "{VOICE}"',
        '~ kettle/short: error create_video in_doubt: "the request was sent but its answer was '
        'lost, so t…ready; run with --retry-in-doubt to send it again"',
    ]


def test_products_added_removed_and_changed_and_what_their_videos_say(tmp_path, capsys) -> None:
    old = baseline()
    old["products"]["kettle"] = product("blush", url="pages/kettle.html", name="Glass Kettle")
    new = copy.deepcopy(old)
    del new["products"]["kettle"]
    new["products"]["lamp"] = product("blush", url="pages/lamp.html", name="Desk | Lamp")
    blush = new["products"]["blush"]
    blush.update(product_id="P-blush-2", price="22.00 USD", media=2, warnings=["no price found"])
    blush["overrides"]["target_audience"] = "Spring makeup lovers"
    blush["extracted"]["description"] = (
        "A soft powder blush that gives a natural flush of colour and lasts all day long, "
        "now in a new shade."
    )
    blush["extracted"]["media"].pop()
    blush["extracted"]["details"]["price"] = "22.00"
    new["products"]["headphones"]["error"] = {
        "step": "update_product",
        "code": 40000,
        "msg": "media[0]: not a URL",
    }
    videos_of(new)["blush/short"]["project_id"] = "J-new"
    old_path, new_path = write(tmp_path / "old.json", old), write(tmp_path / "new.json", new)

    code, out, _ = cli(capsys, "diff", str(old_path), str(new_path))
    assert code == 0
    blush_reasons = (
        'product_id "P-blush" -> "P-blush-2" (extracted again); price "24.00 USD" -> "22.00 USD";'
        ' media 3 -> 2; overrides.target_audience none -> "Spring makeup lovers"; '
        'extracted.description "A soft powder blush." -> "A soft powder blush that gives'
        '…day long, now in a new shade."; extracted.details.price "24.00" -> "22.00";'
        ' extracted.media 3 -> 2; new warning: "no price found"'
    )
    assert out.splitlines() == [
        "nightly: 1 video changed; 1 product added, 1 product removed, 2 products changed",
        '+ product lamp: "Desk | Lamp"',
        '- product kettle: "Glass Kettle"',
        f"~ product blush: {blush_reasons}",
        '~ product headphones: error update_product 40000: "media[0]: not a URL"',
        '~ blush/short: new video: product_id "P-blush" -> "P-blush-2", product price "24.00 USD"'
        ' -> "22.00 USD", product media 3 -> 2, product overrides.target_audience none -> '
        '"Spring makeup lovers", product extracted.description "A soft powder blush." -> "A soft'
        ' powder blush that gives…day long, now in a new shade.", product '
        'extracted.details.price "24.00" -> "22.00", product extracted.media 3 -> 2',
    ]


def test_a_new_url_is_a_new_product_and_old_manifests_still_diff(tmp_path, capsys) -> None:
    old = manifest([video("blush/short")], None)  # a manifest from before products/warnings
    for entry in old["videos"]:
        del entry["warnings"], entry["quality"]
    new = baseline()
    videos_of(new)["blush/short"].update(
        url="pages/blush-v2.html", product_id="P-9", project_id="J-9", warnings=[VOICE]
    )
    old_path, new_path = write(tmp_path / "old.json", old), write(tmp_path / "new.json", new)

    code, out, _ = cli(capsys, "diff", str(old_path), str(new_path))
    assert code == 0
    assert out.splitlines() == [
        "nightly: 2 videos added, 1 video changed",
        "+ blush/wide (success)",
        "+ headphones/short (success)",
        '~ blush/short: new video: product url "pages/blush.html" -> "pages/blush-v2.html", '
        'product_id "P-blush" -> "P-9"',
    ]

    old = baseline()
    new = copy.deepcopy(old)
    new["products"]["blush"].update(url="pages/blush-v2.html", product_id="P-9")
    videos_of(new)["blush/short"]["project_id"] = "J-9"
    old_path, new_path = write(tmp_path / "old.json", old), write(tmp_path / "new.json", new)
    code, out, _ = cli(capsys, "diff", str(old_path), str(new_path))
    assert (code, out.splitlines()[0]) == (0, "nightly: 1 video changed; 1 product changed")
    assert out.splitlines()[1:] == [
        '~ product blush: url "pages/blush.html" -> "pages/blush-v2.html"; '
        'product_id "P-blush" -> "P-9"',
        '~ blush/short: new video: product url "pages/blush.html" -> "pages/blush-v2.html", '
        'product_id "P-blush" -> "P-9"',
    ]


def test_markdown_for_a_pull_request_escapes_what_users_wrote(tmp_path, capsys) -> None:
    old = baseline()
    new = copy.deepcopy(old)
    new["products"]["blush"]["name"] = "Blush | *bold* <b>now</b> @team #1 $5"
    videos_of(new)["blush/short"].update(status="failed", error=None)
    new["videos"].append(video("lamp/tall_one"))
    old_path, new_path = write(tmp_path / "old.json", old), write(tmp_path / "new.json", new)

    code, out, _ = cli(capsys, "diff", str(old_path), str(new_path), "--format", "markdown")
    assert code == 0
    assert out.splitlines() == [
        "## Campaign nightly",
        "",
        "1 video added, 1 video changed; 1 product changed.",
        "",
        "| change | item | details |",
        "| --- | --- | --- |",
        '| changed | product blush | name "Happy Booster Blush – 20% off" -> "Blush \\| \\*bold\\*'
        ' \\<b\\>now\\</b\\> \\@team \\#1 \\$5" |',
        "| added | lamp/tall\\_one | success |",
        "| changed | blush/short | status success -> failed |",
    ]
    code, out, _ = cli(capsys, "diff", str(old_path), str(old_path), "--format", "markdown")
    assert out == "## Campaign nightly\n\nNo changes.\n"


def test_json_gives_each_reason_as_data(tmp_path, capsys) -> None:
    old = baseline()
    new = copy.deepcopy(old)
    new["products"]["blush"]["media"] = 2
    changed = videos_of(new)["blush/short"]
    changed["project_id"] = "J-2"
    changed["settings"]["language"] = "spanish"
    old_path, new_path = write(tmp_path / "old.json", old), write(tmp_path / "new.json", new)

    code, out, _ = cli(capsys, "diff", str(old_path), str(new_path), "--json")
    document = json.loads(out)
    assert code == 0
    assert document["summary"] == {
        "videos": {"added": 0, "removed": 0, "changed": 1},
        "products": {"added": 0, "removed": 0, "changed": 1},
    }
    assert document["changed"] == [
        {
            "id": "blush/short",
            "new_video": True,
            "reasons": [
                {"kind": "video", "field": "project_id", "old": "J-blush-short", "new": "J-2"},
                {"kind": "setting", "field": "language", "old": "english", "new": "spanish"},
                {"kind": "product", "field": "media", "old": 3, "new": 2},
            ],
            "settings": {"language": {"old": "english", "new": "spanish"}},
        }
    ]
    assert document["products"]["changed"] == [
        {"key": "blush", "reasons": [{"kind": "product", "field": "media", "old": 3, "new": 2}]}
    ]
    assert (document["old"], document["new"]) == (str(old_path), str(new_path))
    assert cli(capsys, "diff", str(old_path), str(new_path), "--format", "json")[1] == out


def test_diff_takes_two_manifests_or_since(tmp_path, capsys) -> None:
    path = write(tmp_path / "m.json", baseline())
    code, _, err = cli(capsys, "diff", str(path))
    assert (code, err) == (
        2,
        "jogg-pipeline: error: diff takes two manifests, OLD and NEW, or --since REV and the "
        "manifests to compare with that revision (got 1)\n",
    )


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Nightly", "-c", "user.email=nightly@example.com", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A campaign repository in git with one committed manifest; the tests run in it."""
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "--quiet")
    write(folder / "results" / "nightly.json", baseline())
    git(folder, "add", ".")
    git(folder, "commit", "--quiet", "-m", "nightly")
    monkeypatch.chdir(folder)
    return folder


def test_since_reads_the_old_manifest_from_git(repo, capsys, monkeypatch) -> None:
    new = baseline()
    videos_of(new)["blush/short"]["status"] = "pending"
    write(repo / "results" / "nightly.json", new)
    sale = manifest([video("blush/short")], {"blush": product("blush")})
    sale["campaign"] = "sale"
    write(repo / "results" / "sale.json", sale)  # not in git yet: all of it is new

    code, out, _ = cli(
        capsys, "diff", "--since", "HEAD", "results/nightly.json", "results/sale.json"
    )
    assert code == 0
    assert out.splitlines() == [
        "nightly: 1 video changed",
        "~ blush/short: status success -> pending",
        "",
        "sale: 1 video added; 1 product added",
        '+ product blush: "Happy Booster Blush – 20% off"',
        "+ blush/short (success)",
    ]
    # From a subfolder, and after a commit: HEAD~1 is the first manifest.
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "second night")
    (repo / "specs").mkdir()
    monkeypatch.chdir(repo / "specs")
    code, out, _ = cli(
        capsys, "diff", "--since", "HEAD~1", str(repo / "results" / "nightly.json"), "--json"
    )
    document = json.loads(out)["diffs"][0]
    assert document["old"] == f"HEAD~1:{repo / 'results' / 'nightly.json'}"
    assert [c["reasons"][0]["new"] for c in document["changed"]] == ["pending"]
    monkeypatch.chdir(repo)
    assert cli(capsys, "diff", "--since", "HEAD", "results/nightly.json", "--exit-code")[:2] == (
        0,
        "nightly: no changes\n",
    )


def test_since_refuses_what_git_cannot_answer(repo, tmp_path, capsys) -> None:
    code, _, err = cli(capsys, "diff", "--since", "nope", "results/nightly.json")
    assert (code, err) == (
        2,
        "jogg-pipeline: error: --since nope: no such revision in the git repository of "
        "results/nightly.json\n",
    )
    outside = write(tmp_path / "elsewhere" / "nightly.json", baseline())
    code, _, err = cli(capsys, "diff", "--since", "HEAD", str(outside))
    assert (code, err) == (
        2,
        f"jogg-pipeline: error: {outside}: not in a git repository, so --since cannot read its "
        "old version\n",
    )
    (repo / "results" / "nightly.json").write_text("{}")
    git(repo, "commit", "--quiet", "-am", "broken")
    write(repo / "results" / "nightly.json", baseline())
    code, _, err = cli(capsys, "diff", "--since", "HEAD", "results/nightly.json")
    assert (code, err) == (
        2,
        "jogg-pipeline: error: HEAD:results/nightly.json: not a jogg-pipeline manifest "
        "(no manifest_version and videos)\n",
    )
    (repo / "results" / "nightly.json").write_bytes(b'{"campaign": "caf\xe9"}')
    git(repo, "commit", "--quiet", "-am", "latin-1")
    write(repo / "results" / "nightly.json", baseline())
    code, _, err = cli(capsys, "diff", "--since", "HEAD", "results/nightly.json")
    assert (code, err) == (
        2,
        "jogg-pipeline: error: HEAD:results/nightly.json: cannot read it ('utf-8' codec can't "
        "decode byte 0xe9 in position 17: invalid continuation byte)\n",
    )


def test_since_says_when_git_cannot_read_the_old_manifest(repo, capsys, monkeypatch) -> None:
    blob = git(repo, "rev-parse", "HEAD:results/nightly.json").strip()
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()  # a damaged repository
    code, _, err = cli(capsys, "diff", "--since", "HEAD", "results/nightly.json")
    assert (code, err) == (
        2,
        "jogg-pipeline: error: HEAD:results/nightly.json: git cannot read it (bad object "
        "HEAD:./nightly.json)\n",
    )
    monkeypatch.setenv("PATH", str(repo / "results"))  # no git on the PATH
    code, _, err = cli(capsys, "diff", "--since", "HEAD", "results/nightly.json")
    assert (code, err) == (
        2,
        "jogg-pipeline: error: --since reads manifests from git, and no git command was found\n",
    )
    (repo / "results" / "git").write_text("not a program")  # on the PATH, but not executable
    code, _, err = cli(capsys, "diff", "--since", "HEAD", "results/nightly.json")
    assert (code, err) == (
        2,
        f"jogg-pipeline: error: --since: cannot run git in {repo / 'results'} (Permission "
        "denied)\n",
    )
