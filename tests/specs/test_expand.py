"""Expansion: which videos a campaign asks for, their ids and resolved wire settings."""

from __future__ import annotations

import pytest

from jogg_pipeline.spec.expand import merge_settings
from jogg_pipeline.spec.model import BUILTIN_DEFAULTS
from jogg_pipeline.spec.problems import SpecError
from jogg_pipeline.spec.templates import TemplateError, render
from jogg_pipeline.spec.validate import check_spec, load_campaign


def plan_of(write_spec, source: str, name: str = "spec.yaml"):
    result = check_spec(write_spec(name, source))
    assert result.problems == [] and result.expanded is not None, result.problems
    return result.expanded


def test_smallest_spec_gets_the_api_example_defaults(write_spec) -> None:
    plan = plan_of(
        write_spec, "version: 1\ncampaign: c\nproducts:\n  - url: https://a.example/p/x\n"
    )
    assert [v.id for v in plan.videos] == ["x"]
    assert dict(plan.videos[0].settings) == dict(sorted(BUILTIN_DEFAULTS.items()))
    assert plan.backend == "local"


def test_aliases_normalise_to_the_wire_form(write_spec) -> None:
    plan = plan_of(
        write_spec,
        "version: 1\ncampaign: c\ndefaults:\n  aspect_ratio: '16:9'\n  video_length: 30\n"
        "  language: Traditional Chinese\n  script_style: top 3 REASONS\n  avatar_type: Custom\n"
        "  template_id: 12\n  template_type: CUSTOM\nproducts:\n  - url: https://a.example/x\n",
    )
    settings = plan.videos[0].settings
    assert settings["aspect_ratio"] == 1
    assert settings["video_length"] == "30"
    assert settings["language"] == "traditional-chinese"
    assert settings["script_style"] == "Top 3 reasons"
    assert settings["avatar_type"] == 1
    assert settings["template_type"] == "custom"
    assert settings["template_id"] == 12
    assert "visual_style" not in settings  # the template replaces the built-in visual style


def test_variant_switches_layout_and_matrix_multiplies(write_spec) -> None:
    plan = plan_of(
        write_spec,
        "version: 1\ncampaign: c\ndefaults:\n  visual_style: FullScreen\n"
        "matrix:\n  language: [english, spanish]\n  caption: [true, false]\n"
        "products:\n  - url: https://a.example/x\n    key: k\n    videos:\n"
        "      - name: styled\n      - template_id: 7\n",
    )
    ids = [v.id for v in plan.videos]
    assert ids == [
        "k/styled/english/captions",
        "k/styled/english/no-captions",
        "k/styled/spanish/captions",
        "k/styled/spanish/no-captions",
        "k/1/english/captions",
        "k/1/english/no-captions",
        "k/1/spanish/captions",
        "k/1/spanish/no-captions",
    ]
    templated = plan.videos[-1].settings
    assert templated["template_id"] == 7 and "visual_style" not in templated
    assert templated["language"] == "spanish" and templated["caption"] is False
    assert plan.videos[0].settings["visual_style"] == "FullScreen"


def test_product_vars_merge_over_campaign_vars(write_spec) -> None:
    plan = plan_of(
        write_spec,
        "version: 1\ncampaign: c\nvars: {a: 1, b: 2}\nproducts:\n"
        "  - url: https://a.example/x\n    vars: {b: 3}\n    overrides:\n"
        "      name: '{{ vars.a }}-{{ vars.b }}'\n",
    )
    product = plan.products[0]
    assert product.vars == {"a": 1, "b": 3}
    assert render(product.overrides["name"], {"vars": product.vars}) == "1-3"


def test_keys_derive_from_urls_and_local_files(write_spec, tmp_path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "Summer Dress.html").write_text("<html></html>")
    plan = plan_of(
        write_spec,
        "version: 1\ncampaign: c\nproducts:\n  - url: https://www.amazon.com/dp/B004HYNCA0\n"
        "  - url: https://shop.example.com/products/happy-booster-blush?variant=3\n"
        "  - url: https://shop.example.com/\n  - url: pages/Summer Dress.html\n",
    )
    assert [p.key for p in plan.products] == [
        "b004hynca0",
        "happy-booster-blush",
        "shop.example.com",
        "summer-dress",
    ]
    assert plan.products[3].fetch_url == (tmp_path / "pages" / "Summer Dress.html").as_uri()


def test_toml_and_yaml_mean_the_same(write_spec) -> None:
    yaml = plan_of(
        write_spec,
        "version: 1\ncampaign: c\ndefaults:\n  aspect_ratio: square\nproducts:\n"
        "  - url: https://a.example/x\n    videos:\n      - name: a\n      - name: b\n"
        "        video_length: 60\n",
    )
    toml = plan_of(
        write_spec,
        'version = 1\ncampaign = "c"\n[defaults]\naspect_ratio = "square"\n[[products]]\n'
        'url = "https://a.example/x"\n[[products.videos]]\nname = "a"\n[[products.videos]]\n'
        'name = "b"\nvideo_length = 60\n',
        name="spec.toml",
    )
    assert yaml.videos == toml.videos


def test_backend_option_overrides_the_spec(write_spec) -> None:
    path = write_spec("s.yaml", "version: 1\ncampaign: c\nproducts:\n  - url: page.html\n")
    (path.parent / "page.html").write_text("<html></html>")
    assert load_campaign(path).backend == "local"
    with pytest.raises(SpecError) as failure:
        load_campaign(path, backend="jogg")
    assert str(failure.value) == (
        f"{path}:4:10: error: products[0].url: the local file 'page.html' works only with the "
        "local backend; the jogg backend needs a web URL"
    )


def test_unknown_product_field_in_a_template_is_a_warning(write_spec) -> None:
    path = write_spec(
        "s.yaml",
        "version: 1\ncampaign: c\nproducts:\n  - url: https://a.example/x\n    overrides:\n"
        "      name: '{{ product.colour }}'\n",
    )
    result = check_spec(path)
    assert result.ok
    assert [p.render(path) for p in result.problems] == [
        f"{path}:6:13: warning: products[0].overrides.name: product.colour is not a field any "
        "backend is known to return; the run stops with an error if the product lacks it"
    ]


def test_templates_render_in_a_sandbox_with_strict_names() -> None:
    assert render("{{ product.name | upper }}", {"product": {"name": "blush"}}) == "BLUSH"
    with pytest.raises(TemplateError, match="undefined name in template: 'dict object' has no"):
        render("{{ product.colour }}", {"product": {"name": "blush"}})
    with pytest.raises(TemplateError, match="template not allowed"):
        render("{{ product.__class__.__mro__ }}", {"product": "x"})
    with pytest.raises(TemplateError, match="template not allowed"):
        render("{{ items.append(1) }}", {"items": []})


def test_merge_drops_the_inherited_layout() -> None:
    assert merge_settings([{"visual_style": "A"}, {"template_id": 3}]) == {"template_id": 3}
    assert merge_settings([{"template_id": 3}, {"visual_style": "B"}]) == {"visual_style": "B"}
