"""Templates that fail only at run time say where they stand in the spec and what the product
has; templates that read an empty product field render, with a warning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jogg_pipeline.cli import main
from jogg_pipeline.run.content import (
    desired_product,
    render_overrides,
    render_settings,
    template_warnings,
)
from jogg_pipeline.spec.expand import ExpandedCampaign, ExpandedProduct, ExpandedVideo
from jogg_pipeline.spec.templates import TemplateError
from jogg_pipeline.spec.validate import load_campaign

SPEC = """\
version: 1
campaign: sale
defaults:
  override_script: "{{ product.name }}: {{ product.description }}"
products:
  - url: https://shop.example/p/blush
    key: blush
    overrides:
      name: "{{ product.name }} by {{ product.details.brand }}"
      description: "{{ product.description }}"
      media:
        - type: 1
          url: "https://cdn.example/{{ product.details.sku }}.jpg"
    videos:
      - name: short
        video_name: "{{ product.colour }}"
      - name: long
        video_length: 30
"""

PRODUCT_HAS = "description, details, media, name, product_id, target_audience, url"


def extracted(**details: str) -> dict[str, Any]:
    """A product as the runner keeps it: the engine's answer, warnings included."""
    return {
        "product_id": "NTQ0MTkzNjg",
        "url": "https://shop.example/p/blush",
        "name": "Blush",
        "description": "",
        "target_audience": "",
        "media": [],
        "details": {"price": "24.00", "currency": "USD", **details},
        "warnings": ["no description found on the page"],
    }


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ExpandedCampaign:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "sale.yaml").write_text(SPEC, encoding="utf-8")
    return load_campaign(Path("specs/sale.yaml"))


def test_the_plan_knows_where_each_template_stands(plan: ExpandedCampaign) -> None:
    (product,) = plan.products
    assert product.sources == {
        "name": "specs/sale.yaml:9:13",
        "description": "specs/sale.yaml:10:20",
        "media[0].url": "specs/sale.yaml:13:16",
    }
    short, long = plan.videos
    assert short.sources == {
        "override_script": "specs/sale.yaml:4:20",
        "video_name": "specs/sale.yaml:16:21",
    }
    assert long.sources == {"override_script": "specs/sale.yaml:4:20"}


def test_a_missing_product_field_names_the_spec_position_and_the_fields(
    plan: ExpandedCampaign,
) -> None:
    product = plan.products[0]
    with pytest.raises(TemplateError) as failure:
        render_overrides(product, "sale", extracted())
    assert str(failure.value) == (
        "specs/sale.yaml:9:13: products[0].overrides.name: 'dict object' has no attribute "
        f"'brand' (product.details has: currency, price; product has: {PRODUCT_HAS})"
    )
    with pytest.raises(TemplateError) as failure:
        render_overrides(product, "sale", extracted(brand="Physicians Formula"))
    assert str(failure.value) == (
        "specs/sale.yaml:13:16: products[0].overrides.media[0].url: 'dict object' has no "
        "attribute 'sku' (product.details has: brand, currency, price; product has: "
        f"{PRODUCT_HAS})"
    )
    no_details = {k: v for k, v in extracted().items() if k != "details"}
    with pytest.raises(TemplateError) as failure:
        render_overrides(product, "sale", no_details)
    assert str(failure.value) == (
        "specs/sale.yaml:9:13: products[0].overrides.name: 'dict object' has no attribute "
        "'details' (product has: description, media, name, product_id, target_audience, url)"
    )


def test_a_video_template_names_its_setting_and_position(plan: ExpandedCampaign) -> None:
    product = plan.products[0]
    page = extracted(brand="Physicians Formula", sku="B004")
    content = desired_product(page, render_overrides(product, "sale", page))
    short, long = plan.videos
    with pytest.raises(TemplateError) as failure:
        render_settings(short, product, "sale", content)
    assert str(failure.value) == (
        "specs/sale.yaml:16:21: video_name: 'dict object' has no attribute 'colour' "
        f"(product has: {PRODUCT_HAS})"
    )
    settings = render_settings(long, product, "sale", content)
    assert settings["override_script"] == "Blush by Physicians Formula: "
    assert settings["video_name"] == "sale blush/long"


def test_plans_made_without_sources_still_name_the_field() -> None:
    product = ExpandedProduct(
        index=2,
        key="lamp",
        url="https://shop.example/lamp",
        fetch_url="https://shop.example/lamp",
        vars={},
        overrides={"name": "{{ vars.badge }} {{ product.name }}"},
    )
    with pytest.raises(TemplateError) as failure:
        render_overrides(product, "sale", extracted())
    # Not a product field: nothing to list.
    assert (
        str(failure.value) == "products[2].overrides.name: 'dict object' has no attribute 'badge'"
    )
    video = ExpandedVideo("lamp", "lamp", None, {}, {"override_script": "{{ product.size.cm }}"})
    with pytest.raises(TemplateError) as failure:
        render_settings(video, product, "sale", extracted())
    assert str(failure.value) == (
        f"override_script: 'dict object' has no attribute 'size' (product has: {PRODUCT_HAS})"
    )
    video = ExpandedVideo("lamp", "lamp", None, {}, {"video_name": "{{ product.name | nope }}"})
    with pytest.raises(TemplateError) as failure:
        render_settings(video, product, "sale", extracted())
    assert str(failure.value) == "video_name: template failed: No filter named 'nope'."


def test_the_engines_warnings_are_not_a_product_field() -> None:
    product = ExpandedProduct(0, "b", "u", "u", {}, {"name": "{{ product.warnings }}"})
    with pytest.raises(TemplateError, match="has no attribute 'warnings'"):
        render_overrides(product, "sale", extracted())


def test_empty_fields_a_template_reads_are_warnings(plan: ExpandedCampaign) -> None:
    product = plan.products[0]
    page = extracted(brand="", sku="B004")
    assert template_warnings(product, page) == [
        "products[0].overrides.name reads product.details.brand, which the page does not have",
        "products[0].overrides.description reads product.description, which the page does not have",
    ]
    content = desired_product(page, render_overrides(product, "sale", page))
    short, long = plan.videos
    assert template_warnings(product, content, long) == [
        "override_script reads product.description, which the page does not have"
    ]
    # A field the product lacks altogether is an error when rendering, not a warning.
    assert template_warnings(product, content, short) == [
        "override_script reads product.description, which the page does not have"
    ]
    full = extracted(brand="Physicians Formula", sku="B004") | {"description": "Soft."}
    assert template_warnings(product, full) == []
    emptied = full | {"media": [], "details": {}}
    media = ExpandedProduct(
        0, "b", "u", "u", {}, {"name": "{% for m in product.media %}{% endfor %}"}
    )
    assert template_warnings(media, emptied) == [
        "products[0].overrides.name reads product.media, which the page does not have"
    ]
    assert template_warnings(product, emptied) == [
        "products[0].overrides.name reads product.details, which the page does not have",
        "products[0].overrides.media[0].url reads product.details, which the page does not have",
    ]


def test_an_unknown_filter_is_found_by_validate_not_at_run_time(write_spec, capsys) -> None:
    path = write_spec(
        "s.yaml",
        "version: 1\ncampaign: c\nproducts:\n  - url: https://a.example/p\n    overrides:\n"
        "      name: '{{ product.name | shout }}'\n",
    )
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"{path}:6:13: error: products[0].overrides.name: template syntax error: "
        "No filter named 'shout'.\n"
    )
