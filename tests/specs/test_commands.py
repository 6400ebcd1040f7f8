"""The spec commands as a user runs them: validate, init, convert, schema; exit codes and output."""

from __future__ import annotations

import json

import pytest
from specs.corpus import EXAMPLES, REPO
from support.cli import run_in_process as run_cli

from jogg_pipeline.cli import main
from jogg_pipeline.spec.validate import check_spec


def test_validate_examples_and_specs_folders_are_clean() -> None:
    result = run_cli("validate", str(EXAMPLES), str(REPO / "specs"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) >= 4
    assert (
        f"{REPO / 'specs' / 'spring-sale.yaml'}: ok: campaign spring-sale, 2 products, 4 videos, "
        "backend local" in lines
    )


def test_validate_json_lists_problems_and_videos(write_spec, capsys) -> None:
    bad = write_spec("bad.yaml", "version: 1\ncampaign: c\nproducts: []\n")
    assert main(["validate", "--json", str(bad), str(EXAMPLES / "kitchen-launch.toml")]) == 2
    report = json.loads(capsys.readouterr().out)
    first, second = report["files"]
    assert first["valid"] is False and first["errors"] == 1
    assert first["problems"] == [
        {
            "line": 3,
            "column": 11,
            "severity": "error",
            "message": "products: list at least one product",
        }
    ]
    assert second["valid"] is True and second["videos"] == ["kettle/youtube", "kettle/feed"]


def test_validate_missing_path_is_a_usage_error(tmp_path) -> None:
    result = run_cli("validate", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert (
        result.stderr == f"jogg-pipeline: error: {tmp_path / 'nope.yaml'}: no such file or folder\n"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("validate", str(empty))
    assert result.stderr == (
        f"jogg-pipeline: error: {empty}: no spec files (.yaml, .yml, .toml) in this folder\n"
    )


def test_validate_unknown_file_type(write_spec, capsys) -> None:
    path = write_spec("spec.json", "{}")
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"{path}:1:1: error: unknown spec file type '.json'; use .yaml, .yml or .toml\n"
    )


def test_bad_usage_exits_2_with_argparse_message(tmp_path) -> None:
    result = run_cli("validate", "--backend", "cloud")
    assert result.returncode == 2
    assert "argument --backend: invalid choice: 'cloud'" in result.stderr
    assert run_cli("frobnicate").returncode == 2
    outside = run_cli("validate", cwd=tmp_path)  # no SPEC and no project around
    assert outside.returncode == 2
    assert outside.stderr.startswith("jogg-pipeline: error: no SPEC given and no specs/ folder in ")


def test_every_command_has_help() -> None:
    for command in ("validate", "schema", "init", "convert"):
        result = run_cli(command, "--help")
        assert result.returncode == 0 and "usage: jogg-pipeline" in result.stdout


@pytest.mark.parametrize("fmt", ["yaml", "toml"])
def test_init_writes_a_valid_commented_starter(fmt, tmp_path) -> None:
    result = run_cli("init", f"summer-sale.{fmt}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / f"summer-sale.{fmt}").read_text()
    assert "#" in text and "summer-sale" in text
    assert run_cli("validate", f"summer-sale.{fmt}", cwd=tmp_path).returncode == 0
    again = run_cli("init", f"summer-sale.{fmt}", cwd=tmp_path)
    assert again.returncode == 2
    assert (
        again.stderr
        == f"jogg-pipeline: error: summer-sale.{fmt} exists; use --force to overwrite it\n"
    )


def test_init_refuses_a_mismatched_format(tmp_path) -> None:
    result = run_cli("init", "a.yaml", "--format", "toml", cwd=tmp_path)
    assert result.returncode == 2
    assert (
        result.stderr
        == "jogg-pipeline: error: a.yaml: the file name does not match --format toml\n"
    )


def test_convert_both_ways_keeps_the_meaning(tmp_path) -> None:
    source = EXAMPLES / "global-launch.yaml"
    elsewhere = tmp_path / "converted"
    elsewhere.mkdir()
    out = elsewhere / "global-launch.toml"
    result = run_cli("convert", str(source), "--to", "toml", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"wrote {out}\n"
    text = out.read_text()
    assert 'campaign = "global-launch"' in text
    assert "pages/studio-wireless-headphones.html" in text and "../" in text
    back = tmp_path / "back.yaml"
    assert run_cli("convert", str(out), "--to", "yaml", "-o", str(back)).returncode == 0
    plans = [check_spec(p).expanded for p in (source, out, back)]
    assert all(plan is not None for plan in plans)
    assert plans[0].videos == plans[1].videos == plans[2].videos
    fetched = [[(p.key, p.fetch_url, p.vars, p.overrides) for p in plan.products] for plan in plans]
    assert fetched[0] == fetched[1] == fetched[2]
    refused = run_cli("convert", str(source), "--to", "toml", "-o", str(out))
    assert refused.returncode == 2
    assert refused.stderr == f"jogg-pipeline: error: {out} exists; use --force to overwrite it\n"


def test_convert_refuses_an_invalid_spec(write_spec, capsys) -> None:
    path = write_spec("bad.yaml", "version: 1\ncampaign: c\nproducts: []\n")
    assert main(["convert", str(path), "--to", "toml"]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"{path}:3:11: error: products: list at least one product\n"
    assert captured.out == ""


def test_convert_to_toml_refuses_null(write_spec, capsys) -> None:
    path = write_spec(
        "n.yaml",
        "version: 1\ncampaign: c\nvars:\n  x: null\nproducts:\n  - url: https://a.example/x\n",
    )
    assert main(["convert", str(path), "--to", "toml"]) == 2
    assert capsys.readouterr().err == (
        "jogg-pipeline: error: vars.x is null, which TOML cannot express; remove it\n"
    )
