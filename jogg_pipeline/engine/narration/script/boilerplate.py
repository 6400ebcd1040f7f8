"""Shop boilerplate: the sentences a page says about the shop, never about the product.

One list per language, of regular expressions matched case-insensitively anywhere in a
sentence; a sentence that matches is left out of every script, whatever language it is
written for. To teach the writer a new phrase, add it to its language's list.
"""

from __future__ import annotations

import re

BOILERPLATE: dict[str, tuple[str, ...]] = {
    # Any language: marketplaces' own names, legal lines, and copy text of the page itself.
    "any": (
        r"\b(?:amazon|ebay|otto|zalando|emag|jumbo|yandex|aliexpress|etsy|walmart|argos|"
        r"currys|kiabi|mediamarkt|bol|cdiscount|fnac)\.[a-z]{2,3}\b",
        r"\bon ebay\b|\bsu ebay\b|\bbei ebay\b|\bsur ebay\b|\ben ebay\b|\bno ebay\b",
        r"\bcookies?\b",
        r"\bjavascript\b",
        r"\bnewsletter\b",
        r"\b(?:instagram|facebook|tiktok|whatsapp|pinterest|youtube)\b",
        r"©|\ball rights reserved\b",
    ),
    "english": (
        r"\bfree (?:shipping|delivery|returns?|postage)\b",
        r"\b(?:shipping|delivery|returns?) (?:is |are )?free\b",
        r"\beligible (?:items|for free)\b",
        r"\bat amazon\b",
        r"\badd(?:ed)? to (?:your )?(?:cart|basket|bag|trolley|wish ?list)\b",
        r"\bbuy it now\b",
        r"\bclick (?:here|below|the link)\b",
        r"\b(?:sign|log) ?in\b",
        r"\bsign up\b|\bsubscribe\b",
        r"\bprivacy policy\b|\bterms (?:and|&) conditions\b",
        r"\bbest (?:online )?prices?\b|\bbest deals?\b",
        r"\bfind many great\b|\bwide selection\b|\bshop (?:now|online|our)\b",
        r"\bcheck (?:out )?(?:the )?(?:specs|reviews|prices|our website)\b",
        r"\bcompare (?:prices|products)\b|\bprice in (?:india|the uk|the us)\b",
        r"\bsee (?:more|details|all|original listing)\b|\bread more\b|\bshow more\b",
        r"\bcustomer reviews?\b|\bwrite a review\b|\bbe the first to review\b",
        r"\bin stock\b|\bout of stock\b|\bsold out\b",
        r"\bpickup only\b|\bcollect\+|\bdispatched\b|\bpostage\b",
        r"\bprices? (?:are|is) firm\b|\bby appointment only\b",
        r"\bsold separately\b",
    ),
    "spanish": (
        r"\benv[ií]os? gratis\b|\benv[ií]o gratuito\b|\bdevoluci[oó]n(?:es)? gratis\b",
        r"\ba[ñn]adir al carrito\b|\bagregar al carrito\b|\bcomprar ahora\b",
        r"\bcompra tu\b|\bhaz clic\b|\bpulsa aqu[ií]\b|\binicia sesi[oó]n\b",
        r"\bver m[aá]s\b|\bleer m[aá]s\b|\bmejores? precios?\b",
        r"\ben stock\b|\bagotado\b|\bsin stock\b",
    ),
    "french": (
        r"\blivraison (?:gratuite|offerte)\b|\bretours? gratuits?\b|\bfrais de port\b",
        r"\bajouter au panier\b|\bacheter maintenant\b|\bachetez\b|\bcommandez\b",
        r"\bd[ée]couvrez nos\b|\bcliquez ici\b|\bse connecter\b|\bpetits prix\b",
        r"\bs[ée]lection de\b.*\bfaite pour vous\b|\ben savoir plus\b|\blire la suite\b",
        r"\ben stock\b|\brupture de stock\b|\b[ée]puis[ée]\b",
    ),
    "german": (
        r"\bbei otto\b|\bbei amazon\b|\bonline bei\b|\bjetzt (?:online )?(?:bestellen|kaufen)\b",
        r"\bin den (?:warenkorb|einkaufswagen)\b|\bzum warenkorb\b",
        r"\bkostenlose? (?:lieferung|versand|r[üu]ckgabe|r[üu]cksendung)\b",
        r"\bversandkostenfrei\b|\bg[üu]nstig auf\b|\bhier klicken\b|\bmehr erfahren\b",
        r"\binkl\.? mwst\b|\bzzgl\.? versand\b|\bauf lager\b|\bausverkauft\b",
        r"\bweiterlesen\b|\bjetzt anmelden\b",
    ),
    "portuguese": (
        r"\bfrete gr[aá]tis\b|\bentrega gr[aá]tis\b|\bdevolu[çc][ãa]o gr[aá]tis\b",
        r"\badicionar ao carrinho\b|\bcomprar agora\b|\bclique aqui\b",
        r"\bver mais\b|\bleia mais\b|\bmelhores? pre[çc]os?\b|\bem estoque\b|\besgotado\b",
    ),
    "italian": (
        r"\bspedizione gratuita\b|\bconsegna grat(?:is|uita)\b|\breso gratuito\b",
        r"\baggiungi al carrello\b|\bacquista ora\b|\bclicca qui\b|\ble migliori offerte\b",
        r"\bconfronta prezzi\b|\bmostra il titolo originale\b|\bleggi di pi[uù]\b",
        r"\bdisponibilit[aà] immediata\b|\besaurito\b",
    ),
    "dutch": (
        r"\bgratis (?:verzending|bezorging|retourneren|verzonden)\b",
        r"\bin (?:de )?winkelwagen\b|\bnu kopen\b|\bklik hier\b|\blees meer\b",
        r"\bop voorraad\b|\buitverkocht\b",
    ),
    "japanese": (
        r"送料無料|カートに入れる|今すぐ購入|こちらをクリック|ログイン|在庫あり|在庫切れ|ポイント還元",
    ),
    # Other languages met on the snapshot pages.
    "others": (
        r"\bdarmowa dostawa\b|\bdo koszyka\b|\bczytaj ca[łl]y opis\b",  # Polish
        r"\bretur gratuit\b|\bcumpara\b|\bde la emag\b",  # Romanian
        r"\bilmaisen toimituksen\b",  # Finnish
        r"宅配到府|購物網|商店街|免運",  # Chinese
        r"\bинтернет-магазин|\bкупите\b|\bдоставк",  # Russian
    ),
}

_PATTERN = re.compile("|".join(f"(?:{p})" for ps in BOILERPLATE.values() for p in ps), re.I)


def is_boilerplate(sentence: str) -> bool:
    """Whether a sentence is about the shop (delivery, cart, cookies), not the product."""
    return bool(_PATTERN.search(sentence))
