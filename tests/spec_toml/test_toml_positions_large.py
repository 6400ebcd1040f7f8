"""A large generated campaign: every path found at its line and column. How long it takes is
measured, not asserted: `python benchmarks/spec_validation.py` times the positions of a
10,000-product TOML spec (its `toml-positions` step)."""

from __future__ import annotations

from jogg_pipeline.spec.toml_positions import Located, Position, toml_positions

LINES_BEFORE_PRODUCTS = 5
LINES_PER_PRODUCT = 15


def campaign_toml(products: int) -> str:
    """A campaign spec whose products each have a url, a key, overrides and two videos."""
    parts = ['version = 1\ncampaign = "big-sale"\n\n[defaults]\nvideo_length = 15\n']
    for number in range(products):
        parts.append(
            "\n[[products]]\n"
            f'url = "https://shop.example.com/products/item-{number}"\n'
            f'key = "item-{number}"\n'
            "\n[products.overrides]\n"
            'name = "{{ product.name }} – {{ vars.discount }}% off"\n'
            f"target_audience = 'Shoppers of item {number}'\n"
            "\n[[products.videos]]\n"
            'name = "short"\n'
            "\n[[products.videos]]\n"
            'name = "long"\n'
            "video_length = 30\n"
        )
    return "".join(parts)


def test_every_product_path_is_found_at_its_line() -> None:
    products = 2_000
    found = toml_positions(campaign_toml(products))
    assert len(found) == 5 + products * 12
    last = LINES_BEFORE_PRODUCTS + (products - 1) * LINES_PER_PRODUCT
    assert found[("products", products - 1)] == Located(None, Position(last + 2, 1))
    assert found[("products", products - 1, "overrides", "target_audience")] == Located(
        Position(last + 8, 1), Position(last + 8, 19)
    )
    assert found[("products", products - 1, "videos", 1, "video_length")] == Located(
        Position(last + 15, 1), Position(last + 15, 16)
    )
