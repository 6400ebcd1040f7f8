"""Scripts in the asked language: its frames, its own sentences only; the product's own text
for a language without frames; the user's own script when there is one."""

from __future__ import annotations

import pytest

from jogg_pipeline.engine.narration.script import (
    SCRIPT_LANGUAGES,
    ProductFacts,
    write_script,
)
from jogg_pipeline.engine.narration.script.language import sentence_label
from jogg_pipeline.engine.narration.script.money import spoken_price
from jogg_pipeline.engine.narration.script.stock import (
    BACKORDER,
    IN_STOCK,
    OUT_OF_STOCK,
    PREORDER,
    stock_state,
)
from jogg_pipeline.wire.enums import LANGUAGES, SCRIPT_STYLES

ENGLISH = [
    "The lamp dims smoothly from bright daylight to a warm evening glow.",
    "Its arm folds flat so it fits in a drawer.",
]
SPANISH = [
    "La lámpara se regula suavemente desde la luz del día hasta un cálido tono de tarde.",
    "Su brazo se pliega por completo para guardarla en un cajón.",
]
GERMAN = [
    "Die Lampe lässt sich stufenlos von hellem Tageslicht bis zu warmem Abendlicht dimmen.",
    "Der Arm lässt sich flach zusammenklappen und passt so in jede Schublade.",
]
JAPANESE = [
    "明るい昼光色から温かみのある夕方の光まで、なめらかに調光できます。",
    "アームは平らに折りたためるので、引き出しにも収まります。",
]
KOREAN = ["밝은 주광색부터 따뜻한 저녁 불빛까지 부드럽게 조절됩니다."]
LAMP = ProductFacts(
    name="Lumo Desk Lamp",
    description=" ".join([*ENGLISH, *SPANISH, *GERMAN, *JAPANESE, *KOREAN]),
    price="€49.90",
    availability="InStock",
)


def said(sentence: str, text: str) -> bool:
    return sentence[1:] in text  # a frame may put the first letter in lower case


def test_the_eight_framed_languages() -> None:
    assert set(SCRIPT_LANGUAGES) >= {
        "english",
        "spanish",
        "french",
        "german",
        "portuguese",
        "italian",
        "dutch",
        "japanese",
    }
    assert set(SCRIPT_LANGUAGES) <= set(LANGUAGES)


def test_spanish_keeps_its_own_sentences_and_drops_the_others() -> None:
    written = write_script(LAMP, "Top 3 reasons", "spanish", 30.0)
    assert written.language == "spanish"
    assert written.sentences[0] == "Tres razones para elegir Lumo Desk Lamp."
    assert written.sentences[-1] == "Haz tu pedido hoy mismo."
    assert all(said(sentence, written.text) for sentence in SPANISH)
    for other in (*ENGLISH, *GERMAN, *JAPANESE, *KOREAN):
        assert other[1:20] not in written.text
    assert "Razón número tres: cuesta solo 49,90 €." in written.sentences
    assert written.notes == (
        "7 sentences of the product description are not in spanish and were left out",
    )


def test_german_speaks_german() -> None:
    written = write_script(LAMP, "Don't Worry", "german", 30.0)
    assert written.sentences[:2] == (
        "Noch unsicher bei Lumo Desk Lamp?",
        "Keine Sorge, wir helfen dir.",
    )
    assert "Erstens: " + GERMAN[0] in written.sentences  # German keeps its capitals
    assert said(GERMAN[1], written.text)
    assert not any(said(other, written.text) for other in (*ENGLISH, *SPANISH))
    assert "Das alles für 49,90 €." in written.sentences
    assert written.sentences[-1] == "Also los, bestell noch heute."


def test_japanese_speaks_japanese() -> None:
    written = write_script(LAMP, "Top 3 reasons", "japanese", 30.0)
    # The offline voice reads kana only: kanji sentences and the Latin name are left out.
    assert written.sentences == (
        "この しょうひんを えらぶ ふたつの りゆう。",
        "りゆう その1：わずか 49.90ユーロで てに はいります。",
        "りゆう その2：ざいこ ありで、すぐに おとどけ できます。",
        "これだけ そろえば なっとくですよね。",
        "ぜひ きょう ごちゅうもん ください。",
    )
    assert any("are not in kana" in note for note in written.notes)
    assert not any(said(other, written.text) for other in (*ENGLISH, *SPANISH, *GERMAN))


@pytest.mark.parametrize(
    ("language", "hook", "call"),
    [
        (
            "french",
            "Voici une belle découverte : Lumo Desk Lamp.",
            "Faites-en l'expérience dès aujourd'hui.",
        ),
        (
            "italian",
            "Ecco una scoperta che vale la pena fare: Lumo Desk Lamp.",
            "Scopri di persona cosa può fare, oggi stesso.",
        ),
        (
            "portuguese",
            "Eis uma descoberta que vale a pena: Lumo Desk Lamp.",
            "Experimente hoje mesmo.",
        ),
        ("dutch", "Dit is een ontdekking waard: Lumo Desk Lamp.", "Ontdek het vandaag nog zelf."),
        ("flemish", "Dit is een ontdekking waard: Lumo Desk Lamp.", "Ontdek het vandaag nog zelf."),
    ],
)
def test_every_framed_language_has_its_own_words(language: str, hook: str, call: str) -> None:
    written = write_script(LAMP, "Discovery", language, 15.0)
    assert written.language == language
    assert written.sentences[0] == hook
    assert written.sentences[-1] == call
    assert not any(said(other, written.text) for other in (*ENGLISH, *SPANISH, *GERMAN))
    assert written.notes == (
        f"9 sentences of the product description are not in {language} and were left out: "
        "the script is built from the product's name and details",
    )


def test_flemish_is_narrated_from_dutch_text() -> None:
    facts = ProductFacts(
        name="Lumo Desk Lamp",
        description="De lamp dimt traploos van fel daglicht tot een warme avondgloed. "
        + " ".join(ENGLISH),
    )
    written = write_script(facts, "Discovery", "flemish", 15.0)
    assert written.sentences[2] == (
        "Het eerste wat opvalt: de lamp dimt traploos van fel daglicht tot een warme avondgloed."
    )
    assert written.notes == (
        "2 sentences of the product description are not in flemish and were left out",
    )


def test_every_style_is_framed_in_every_language() -> None:
    for language in SCRIPT_LANGUAGES:
        texts = {write_script(LAMP, style, language, 30.0).text for style in SCRIPT_STYLES}
        assert len(texts) == 16, language


def test_a_language_without_frames_narrates_the_products_own_text() -> None:
    written = write_script(LAMP, "Top 3 reasons", "korean", 15.0)
    assert written.sentences == ("Lumo Desk Lamp.", KOREAN[0])
    assert written.language == "korean"
    assert written.notes == (
        "language korean has no script frame in this engine: the narration is the product's "
        "own text",
        "8 sentences of the product description are not in korean and were left out",
    )


def test_a_language_without_frames_or_text_narrates_the_name() -> None:
    facts = ProductFacts(name="Lumo Desk Lamp", description=" ".join(ENGLISH))
    written = write_script(facts, "Data", "polish", 15.0)
    assert written.sentences == ("Lumo Desk Lamp.",)
    assert written.notes == (
        "language polish has no script frame in this engine and the product has no text in "
        "polish: the narration is the product's name",
    )


def test_the_users_script_wins_cleaned() -> None:
    override = "<b>Meet Lumo.</b> It dims &amp; folds. See https://lumo.example for more."
    written = write_script(LAMP, "Data", "english", 30.0, override_script=override)
    assert written.sentences == ("Meet Lumo.", "It dims & folds.", "See for more.")
    assert written.notes == ()
    korean = write_script(LAMP, "Data", "korean", 30.0, override_script="안녕하세요. 램프입니다.")
    assert korean.sentences == ("안녕하세요.", "램프입니다.")
    assert korean.notes == ()


def test_a_long_japanese_user_sentence_is_cut_by_characters() -> None:
    written = write_script(LAMP, "Data", "japanese", 5.0, override_script="とても長い文章" * 20)
    assert written.sentences == ("とても長い文章とても長い文章とても長い文章とても。",)
    assert written.notes == (
        "override_script's first sentence is longer than a 5-second video allows: "
        "it was cut after 24 characters",
    )


def test_a_long_user_script_is_cut_at_a_sentence_end_with_a_note() -> None:
    override = " ".join(
        f"Sentence number {n} tells a little more about the lamp." for n in range(12)
    )
    written = write_script(LAMP, "Data", "english", 15.0, override_script=override)
    assert written.sentences == tuple(
        f"Sentence number {n} tells a little more about the lamp." for n in range(3)
    )
    assert written.notes == (
        "override_script is longer than a 15-second video allows: its first 3 of 12 sentences "
        "are narrated",
    )


def test_a_user_sentence_longer_than_the_video_is_cut_with_a_note() -> None:
    written = write_script(LAMP, "Data", "english", 15.0, override_script="word " * 60)
    assert written.sentences == (" ".join(["word"] * 36) + ".",)
    assert written.notes == (
        "override_script's first sentence is longer than a 15-second video allows: "
        "it was cut after 36 words",
    )


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        ("The table has a full plank design that gives it a genuine wood feeling.", "english"),
        ("La mesa tiene un diseño de tablones con una auténtica sensación de madera.", "spanish"),
        ("La table a un plateau en chêne massif et des pieds en métal.", "french"),
        ("Der Tisch ist aus Eiche und bietet Platz für sechs Personen.", "german"),
        ("A mesa tem um tampo de carvalho e é muito resistente.", "portuguese"),
        ("Il tavolo ha un piano in rovere ed è molto resistente.", "italian"),
        ("De tafel heeft een blad van eiken en is erg stevig.", "dutch"),
        ("このテーブルは無垢のオーク材でできています。", "japanese"),
        ("이 테이블은 원목 오크로 만들어졌습니다.", "korean"),
        ("嚴選上等鵝肉，鮮嫩口感完整保留。", "han"),
        ("Стол сделан из массива дуба.", "cyrillic"),
        ("Calvin Klein ir cienījams vārds modes pasaulē.", "latin"),
    ],
)
def test_the_language_of_a_sentence(sentence: str, label: str) -> None:
    assert sentence_label(sentence) == label


def test_prices_read_the_languages_way() -> None:
    assert spoken_price("$1,299.00", "english") == "$1,299"
    assert spoken_price("€119.01", "german") == "119,01 €"
    assert spoken_price("€26.00", "dutch") == "€ 26"
    assert spoken_price("R$1,759.99", "portuguese") == "R$ 1.759,99"
    assert spoken_price("19.50 CHF", "french") == "19,50 CHF"
    assert spoken_price("$49.00", "japanese") == "49ドル"
    assert spoken_price("From $10", "english") == "From $10"
    assert spoken_price("call us", "english") is None


def test_stock_states_from_names_and_words() -> None:
    assert stock_state("InStock") == stock_state("in stock") == stock_state("Auf Lager") == IN_STOCK
    assert stock_state("https://schema.org/OutOfStock") == OUT_OF_STOCK
    assert stock_state("Nicht mehr verfügbar") == stock_state("agotado") == OUT_OF_STOCK
    assert stock_state("PreOrder") == stock_state("pre-order now") == PREORDER
    assert stock_state("BackOrder") == BACKORDER
    assert stock_state("") is stock_state("ask in store") is None
