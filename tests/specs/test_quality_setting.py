"""`quality`: the local engine's render quality as a spec setting."""

from __future__ import annotations

import jsonschema
import pytest

from jogg_pipeline.cli import main
from jogg_pipeline.spec.schema import spec_schema
from jogg_pipeline.spec.validate import check_spec

SPEC = "version: 1\ncampaign: c\n{quality}products:\n  - url: https://shop.example/p\n"


@pytest.mark.parametrize(("written", "planned"), [("hd", "hd"), ("Preview", "preview"), ("", None)])
def test_the_plan_carries_the_quality(write_spec, written: str, planned: str | None) -> None:
    path = write_spec("s.yaml", SPEC.format(quality=f"quality: {written}\n" if written else ""))
    result = check_spec(path)
    assert result.expanded is not None and result.problems == []
    assert result.expanded.quality == planned


def test_the_same_in_toml(write_spec) -> None:
    path = write_spec(
        "s.toml",
        'version = 1\ncampaign = "c"\nquality = "full"\n\n[[products]]\nurl = "https://a.example/p"\n',
    )
    plan = check_spec(path).expanded
    assert plan is not None and plan.quality == "full"


def test_an_unknown_quality_is_an_error_with_a_suggestion(write_spec, capsys) -> None:
    path = write_spec("s.yaml", SPEC.format(quality="quality: hdd\n"))
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"{path}:3:10: error: quality: 'hdd' is not a valid quality; did you mean 'hd'? "
        "(one of: full, hd, preview)\n"
    )


def test_with_the_jogg_backend_it_is_a_warning(write_spec, capsys) -> None:
    path = write_spec("s.yaml", SPEC.format(quality="backend: jogg\nquality: preview\n"))
    assert main(["validate", str(path)]) == 0
    warning = f"{path}:4:10: warning: quality applies to the local engine only; the jogg backend "
    assert capsys.readouterr().err == warning + "ignores it\n"
    local = write_spec("local.yaml", SPEC.format(quality="quality: preview\n"))
    assert main(["validate", str(local)]) == 0
    assert capsys.readouterr().err == ""
    assert main(["validate", "--backend", "jogg", str(local)]) == 0
    assert capsys.readouterr().err == (
        f"{local}:3:10: warning: quality applies to the local engine only; the jogg backend "
        "ignores it\n"
    )


def test_the_schema_knows_it() -> None:
    schema = spec_schema()
    base = {"version": 1, "campaign": "c", "products": [{"url": "https://a.example/p"}]}
    jsonschema.validate(base | {"quality": "hd"}, schema)
    jsonschema.validate(base | {"quality": "HD"}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(base | {"quality": "4k"}, schema)
    assert (
        "The jogg backend ignores it." in schema["properties"]["quality"]["anyOf"][0]["description"]
    )
