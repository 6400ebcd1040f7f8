"""Availability as a script speaks of it: five states, from schema.org names or shop words."""

from __future__ import annotations

import re

from jogg_pipeline.engine.extract.values import normalize_availability

IN_STOCK = "in_stock"
LIMITED = "limited"
PREORDER = "preorder"
BACKORDER = "backorder"
OUT_OF_STOCK = "out_of_stock"
STATES = (IN_STOCK, LIMITED, PREORDER, BACKORDER, OUT_OF_STOCK)
# States in which a viewer cannot order now: no script tells them to.
NOT_ORDERABLE = frozenset({OUT_OF_STOCK})

_BY_SCHEMA_NAME = {
    "InStock": IN_STOCK,
    "OnlineOnly": IN_STOCK,
    "InStoreOnly": IN_STOCK,
    "MadeToOrder": IN_STOCK,
    "LimitedAvailability": LIMITED,
    "PreOrder": PREORDER,
    "PreSale": PREORDER,
    "BackOrder": BACKORDER,
    "OutOfStock": OUT_OF_STOCK,
    "SoldOut": OUT_OF_STOCK,
    "Discontinued": OUT_OF_STOCK,
}
# Shop words, checked in this order: "not available" says out of stock before "available".
_PHRASES = (
    (
        OUT_OF_STOCK,
        r"out\s*of\s*stock|sold\s*out|unavailable|not\s*available|no\s*longer|discontinued|"
        r"ausverkauft|nicht\s*(?:mehr\s*)?(?:verfügbar|lieferbar|auf\s*lager)|vergriffen|"
        r"rupture|épuisé|indisponible|esaurito|non\s*disponibile|agotado|no\s*disponible|"
        r"sin\s*stock|esgotado|indisponível|uitverkocht|niet\s*(?:op\s*voorraad|leverbaar)|"
        r"在庫切れ|品切れ|売り切れ|缺貨|售罄",
    ),
    (PREORDER, r"pre-?\s*order|vorbestell|précommande|preventa|reserva|prenota|予約"),
    (BACKORDER, r"back-?\s*order|nachbestell|sur\s*commande|su\s*ordinazione|お取り寄せ"),
    (LIMITED, r"limited|low\s*stock|few\s*left|wenige|limité|limitad|残りわずか"),
    (
        IN_STOCK,
        r"in\s*stock|available|auf\s*lager|lieferbar|verfügbar|en\s*stock|disponible|"
        r"disponibile|em\s*estoque|op\s*voorraad|leverbaar|在庫あり",
    ),
)


def stock_state(availability: str | None) -> str | None:
    """The state of a schema.org availability or a shop's words; None when unknown."""
    if not availability or not availability.strip():
        return None
    name = normalize_availability(availability)
    if name in _BY_SCHEMA_NAME:
        return _BY_SCHEMA_NAME[name]
    text = availability.strip().lower()
    for state, pattern in _PHRASES:
        if re.search(pattern, text):
            return state
    return None
