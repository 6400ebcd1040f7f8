"""`plan` shows the decision and `run` carries it out: they agree on every action, a saved plan
is carried out only while it stands, and every change says which field made it."""

from __future__ import annotations

import json

import pytest
from runs.run_kit import SPEC, make_campaign, run_cli

from jogg_pipeline.cli import main

# Shared content (two videos with one name and the same settings), a template that fails at run
# time, a page with no product on it, and ordinary videos.
CAMPAIGN = """\
version: 1
campaign: nightly
quality: preview
vars:
  discount: 20
defaults:
  video_length: 15
  aspect_ratio: square
products:
  - url: pages/happy-booster-blush.html
    key: blush
    overrides:
      name: "{{ product.name }} – {{ vars.discount }}% off"
    videos:
      - name: short
      - name: same-a
        video_name: Blush teaser
      - name: same-b
        video_name: Blush teaser
      - name: broken
        video_name: "{{ product.colour }}"
  - url: pages/studio-wireless-headphones.html
    key: headphones
    videos:
      - name: short
      - name: wide
        aspect_ratio: landscape
  - url: pages/empty.html
    key: empty
"""


def plan(capsys, campaign, *args: str) -> dict:
    code = main(
        ["plan", str(campaign.spec), "--state-dir", str(campaign.state_dir), "--results",
         str(campaign.results), "--json", *args]
    )  # fmt: skip
    assert code == 0
    return json.loads(capsys.readouterr().out)["campaigns"][0]


def planned(document: dict) -> dict[str, list[str]]:
    return {video["id"]: video["actions"] for video in document["videos"]}


def sent(record: dict) -> int:
    """POST and PUT requests sent (the rate limit's count)."""
    counts = record["requests"]["sent"]
    return sum(n for route, n in counts.items() if route.startswith(("POST", "PUT")))


def run_and_compare(capsys, campaign, *, unforeseen: tuple[str, ...] = ()) -> dict:
    """Plan, run, and check the run did what the plan said, request for request. The videos in
    `unforeseen` meet a failure that only the product's extraction shows (the page has no
    product, a template reads a field the page lacks): the run takes the planned steps up to
    their video, which fails instead of being requested."""
    document = plan(capsys, campaign)
    result = run_cli(campaign)
    assert result.returncode in (0, 1), result.stderr
    record = campaign.last_record()
    done = record["actions"]
    for video_id, actions in planned(document).items():
        if video_id in unforeseen:
            assert done[video_id] == [*actions[:-1], "failed"], video_id
        else:
            assert done[video_id] == actions, video_id
    assert sent(record) == document["totals"]["posts"] - len(unforeseen)
    return document


@pytest.mark.slow
def test_plan_and_run_agree_through_a_campaigns_changes(tmp_path, capsys) -> None:
    campaign = make_campaign(tmp_path, CAMPAIGN)
    (campaign.folder / "pages" / "empty.html").write_text("<html><body></body></html>")

    first = run_and_compare(capsys, campaign, unforeseen=("blush/broken", "empty"))
    assert planned(first)["blush/same-b"] == ["create product", "update product", "wait"]
    assert planned(first)["blush/broken"] == ["create product", "update product", "create video"]
    manifest = {v["id"]: v for v in campaign.manifest_json()["videos"]}
    assert manifest["blush/same-a"]["project_id"] == manifest["blush/same-b"]["project_id"]
    assert manifest["blush/broken"]["status"] == "failed"

    # Nothing changed: failed videos stay failed, the failed product is tried again.
    second = run_and_compare(capsys, campaign, unforeseen=("empty",))
    assert planned(second) == {
        "blush/broken": ["failed"],
        "blush/same-a": ["up to date"],
        "blush/same-b": ["up to date"],
        "blush/short": ["up to date"],
        "empty": ["create product", "create video"],
        "headphones/short": ["up to date"],
        "headphones/wide": ["up to date"],
    }

    # A changed override and a changed setting.
    campaign.spec.write_text(
        CAMPAIGN.replace("discount: 20", "discount: 30").replace(
            "aspect_ratio: landscape", "aspect_ratio: portrait"
        )
    )
    third = run_and_compare(capsys, campaign, unforeseen=("empty",))
    assert planned(third)["blush/short"] == ["update product", "create video"]
    assert planned(third)["headphones/wide"] == ["create video"]
    assert planned(third)["headphones/short"] == ["up to date"]
    wide = next(v for v in third["videos"] if v["id"] == "headphones/wide")
    assert wide["changes"] == [{"field": "aspect_ratio", "old": 1, "new": 0}]


@pytest.mark.slow
def test_a_saved_plan_is_carried_out_only_while_it_stands(tmp_path, capsys) -> None:
    campaign = make_campaign(tmp_path)
    saved = tmp_path / "plans" / "tonight.json"
    args = ["--state-dir", str(campaign.state_dir), "--results", str(campaign.results)]
    assert main(["plan", str(campaign.spec), *args, "--quality", "preview", "--only", "blush",
                 "-o", str(saved)]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert out.endswith(f"saved to {saved}; carry it out with: jogg-pipeline run --plan {saved}\n")

    # Its options come with it: only blush's videos, in preview quality.
    assert main(["run", "--plan", str(saved), "--quiet"]) == 0
    videos = {v["id"]: v for v in campaign.manifest_json()["videos"]}
    assert [i for i, v in videos.items() if v["status"] == "success"] == [
        "blush/short",
        "blush/wide",
    ]
    assert videos["blush/short"]["quality"] == "preview"
    capsys.readouterr()

    # Carried out, it no longer stands: what it planned is done.
    assert main(["run", "--plan", str(saved)]) == 2
    assert capsys.readouterr().err == (
        f"jogg-pipeline: error: the plan in {saved} no longer stands: nightly: blush/short was "
        "planned as 'create product, update product, create video', now 'up to date' (and 1 "
        f"more); nothing was sent; make a new one with `jogg-pipeline plan -o {saved}`\n"
    )
    assert main(["plan", str(campaign.spec), *args, "--quality", "preview", "-o", str(saved)]) == 0
    campaign.spec.write_text(SPEC.replace("% off", "% off today"))
    capsys.readouterr()
    assert main(["run", "--plan", str(saved)]) == 2
    assert capsys.readouterr().err.startswith(
        f"jogg-pipeline: error: the plan in {saved} no longer stands: nightly: its spec "
        "campaign/nightly.yaml changed; nothing was sent"
    )


def test_saved_plan_errors(tmp_path, capsys) -> None:
    missing = tmp_path / "nope.json"
    assert main(["run", "--plan", str(missing)]) == 2
    assert capsys.readouterr().err == f"jogg-pipeline: error: --plan {missing}: no such file\n"
    other = tmp_path / "other.json"
    other.write_text('{"campaigns": []}')
    assert main(["run", "--plan", str(other)]) == 2
    assert capsys.readouterr().err == (
        f"jogg-pipeline: error: --plan {other}: not a plan saved by `jogg-pipeline plan -o` "
        "(plan_version 1)\n"
    )
    folder_as_file = tmp_path / "file"
    folder_as_file.write_text("")
    campaign = make_campaign(tmp_path)
    assert main(["plan", str(campaign.spec), "-o", str(folder_as_file / "plan.json")]) == 2
    assert capsys.readouterr().err == (
        f"jogg-pipeline: error: cannot write {folder_as_file / 'plan.json'}: {folder_as_file} "
        "is a file, not a folder\n"
    )


def test_only_takes_ids_product_keys_and_globs(tmp_path, capsys) -> None:
    campaign = make_campaign(tmp_path)
    assert list(planned(plan(capsys, campaign, "--only", "blush"))) == ["blush/short", "blush/wide"]
    assert list(planned(plan(capsys, campaign, "--only", "*/wide"))) == [
        "blush/wide",
        "headphones/wide",
    ]
    assert list(planned(plan(capsys, campaign, "--only", "headphones/short", "blush/*"))) == [
        "blush/short",
        "blush/wide",
        "headphones/short",
    ]
    assert main(["plan", str(campaign.spec), "--only", "blsh"]) == 2
    assert capsys.readouterr().err == (
        "jogg-pipeline: error: --only 'blsh': no video matches it in the specs given; "
        "did you mean 'blush'?\n"
    )
    assert main(["plan", str(campaign.spec), "--only", "*/tall"]) == 2
    assert "--only '*/tall': no video matches it" in capsys.readouterr().err


@pytest.mark.slow
def test_quality_is_part_of_a_local_video(tmp_path, capsys) -> None:
    spec = "version: 1\ncampaign: nightly\nquality: preview\nproducts:\n" \
        "  - url: pages/glass-kettle.html\n    key: kettle\n"  # fmt: skip
    campaign = make_campaign(tmp_path, spec)
    result = run_cli(campaign)  # run_cli passes --quality preview: the same as the spec
    assert result.returncode == 0, result.stderr
    before = campaign.manifest_json()["videos"][0]
    assert before["quality"] == "preview"

    campaign.spec.write_text(spec.replace("quality: preview", "quality: hd"))
    document = plan(capsys, campaign)
    assert planned(document) == {"kettle": ["create video"]}
    assert document["videos"][0]["changes"] == [{"field": "quality", "old": "preview", "new": "hd"}]
    assert document["totals"]["credits"] is None  # the local engine costs nothing
    command = ["run", str(campaign.spec), "--state-dir", str(campaign.state_dir), "--results",
               str(campaign.results), "--quiet"]  # fmt: skip
    assert main(command) == 0
    after = campaign.manifest_json()["videos"][0]
    assert after["quality"] == "hd"
    assert after["project_id"] != before["project_id"]


@pytest.mark.slow
def test_a_removed_override_puts_the_extracted_value_back(tmp_path, capsys) -> None:
    campaign = make_campaign(tmp_path)
    assert run_cli(campaign, "--only", "blush/short").returncode == 0
    name = campaign.manifest_json()["products"]["blush"]["name"]
    assert name.endswith(" – 20% off")
    campaign.spec.write_text(
        SPEC.replace('      name: "{{ product.name }} – {{ vars.discount }}% off"\n', "")
    )
    capsys.readouterr()
    main(["plan", str(campaign.spec), "--state-dir", str(campaign.state_dir), "--only", "blush",
          "--quality", "preview"])  # fmt: skip
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:3] == [
        "  product blush: update product",
        f'    ~ name: "{name}" -> "{name.removesuffix(" – 20% off")}"',
    ]
    assert run_cli(campaign, "--only", "blush/short").returncode == 0
    product = campaign.manifest_json()["products"]["blush"]
    assert product["name"] == name.removesuffix(" – 20% off")
    assert product["overrides"] == {}
