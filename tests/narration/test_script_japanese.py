"""Japanese scripts the offline voice can read: frames in kana only, the page's kanji (and
Latin words) left out with a note, and espeak-ng's own phonemes as the judge."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from jogg_pipeline.engine.narration import espeak
from jogg_pipeline.engine.narration.espeak import EVENT_PHONEME, EVENT_WORD
from jogg_pipeline.engine.narration.script import ProductFacts, Script, write_script
from jogg_pipeline.engine.narration.script.kana import for_voice, readable
from jogg_pipeline.engine.narration.script.money import spoken_price
from jogg_pipeline.engine.narration.script.phrases import FRAMES
from jogg_pipeline.engine.narration.script.sizing import LEAD_SECONDS, PAUSE_SECONDS
from jogg_pipeline.engine.narration.script.stock import STATES
from jogg_pipeline.engine.narration.voices import voice_for_video
from jogg_pipeline.wire.enums import SCRIPT_STYLES

KANA_SENTENCES = [
    "ふたを あけると、すぐに のめます。",
    "ステンレスせいで、においも うつりにくいです。",
    "かばんに いれても かさばりません。",
]
KANJI_SENTENCES = [
    "真空断熱構造で、冷たい飲み物を長時間キープします。",
    "片手で開けられる漏れにくいフタを採用しています。",
]
BOTTLE = ProductFacts(
    name="ステンレス ボトル",
    description=" ".join(
        [KANA_SENTENCES[0], KANJI_SENTENCES[0], KANA_SENTENCES[1], KANJI_SENTENCES[1]]
    )
    + KANA_SENTENCES[2],
    target_audience="まいにち あるく ひと",
    price="¥3,980",
    brand="サーモ",
    availability="InStock",
)
# Hiragana, katakana and the long mark, Japanese punctuation, spaces, and numbers.
KANA_ONLY = re.compile(r"(?:[\u3041-\u3096\u30a1-\u30fa\u30fc、。！？「」：\s]|\d+(?:,\d{3})*)+")
# The particles は and へ, which the voice reads "ha" and "he", not "wa" and "e".
PARTICLE = re.compile(r"[はへ](?=[\s、。！？：]|の|$)")
VOICE = voice_for_video(None, "japanese", "female").voice
WORDS_PER_MINUTE = 160


def phonemes(text: str) -> Iterator[tuple[str, str]]:
    """(written word, phoneme) for every phoneme the Japanese voice says for `text`, with
    the settings speech.speak gives espeak-ng for it."""
    synthesis = espeak.synthesize(
        text,
        VOICE.espeak_voice,
        rate=round(WORDS_PER_MINUTE * 0.91),
        pitch=VOICE.pitch,
        pitch_range=VOICE.pitch_range,
    )
    assert synthesis.language == "ja"
    word = ""
    for event in synthesis.events:
        if event.kind == EVENT_WORD:
            word = (text[event.char_index :].split(maxsplit=1) or [""])[0]
        elif event.kind == EVENT_PHONEME and event.phoneme:
            yield word, event.phoneme


def named_letters(text: str) -> list[str]:
    """The words in which the voice names a letter instead of reading it ("Chinese letter",
    "Japanese letter"): it says the writing system in English, then "letter" in Japanese
    phonemes, the only Japanese word of espeak-ng's with an /l/ (its Japanese r is ɽ)."""
    found: list[str] = []
    japanese = True
    for word, phoneme in phonemes(text):
        if phoneme.startswith("("):
            japanese = phoneme == "(ja)"
        elif japanese and phoneme == "l" and word not in found:
            found.append(word)
    return found


def english_words(text: str) -> list[str]:
    """The words the voice switches to English for: to spell a Latin word letter by letter, or
    to name a writing system before "letter"."""
    found: list[str] = []
    for word, phoneme in phonemes(text):
        if phoneme.startswith("(") and phoneme != "(ja)" and word not in found:
            found.append(word)
    return found


def frame_lines() -> Iterator[str]:
    frames = FRAMES["japanese"]
    lines = [frames.price, frames.brand, frames.audience, *frames.stock.values()]
    lines += [*frames.reasons.values(), *frames.cta.values()]
    for style in frames.styles.values():
        for value in style.values():
            lines += [value] if isinstance(value, str) else list(value)
    fields = {
        "name": "ステンレス ボトル",
        "point": KANA_SENTENCES[0],
        "price": "3,980えん",
        "brand": "サーモ",
        "audience": "まいにち あるく ひと",
    }
    for line in lines:
        yield line.format(**fields)


def scripts(facts: ProductFacts, style: str) -> Iterator[Script]:
    """The style's Japanese narration at every length, for every stock state."""
    for availability in (None, *STATES):
        stocked = ProductFacts(**{**facts.__dict__, "availability": availability})
        for seconds in (8.0, 15.0, 30.0, 60.0):
            yield write_script(stocked, style, "japanese", seconds)


# -- the check itself -------------------------------------------------------------------------


def test_the_check_hears_what_the_voice_cannot_read() -> None:
    assert named_letters("この しょうひんです。") == []
    assert english_words("この しょうひんです。") == []
    assert named_letters("この 商品です。") == ["商品です。"]
    assert named_letters("スマート・ウォッチ") == ["スマート・ウォッチ"]
    assert english_words("Lamp です。") == ["Lamp"]
    # Full-width digits are not named but not read either: nothing at all is said.
    assert list(phonemes("３６")) == []
    assert list(phonemes(for_voice("３６"))) and named_letters(for_voice("３６")) == []


# -- frames -------------------------------------------------------------------------------------


def test_every_frame_is_kana_only_and_polite() -> None:
    frames = FRAMES["japanese"]
    assert frames.this_product == "この しょうひん"
    for line in [frames.this_product, *frame_lines()]:
        assert KANA_ONLY.fullmatch(line), line
        assert not PARTICLE.search(line), line
    endings = [frames.stock[state] for state in STATES] + list(frames.cta.values())
    assert all(line.endswith(("です。", "ます。", "ください。", "どうぞ。")) for line in endings)


def test_the_voice_reads_every_frame() -> None:
    text = " ".join(frame_lines())
    assert named_letters(text) == []
    assert english_words(text) == []


# -- scripts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("style", SCRIPT_STYLES)
def test_every_style_is_kana_only_and_read_whole(style: str) -> None:
    written = list(scripts(BOTTLE, style))
    for script in written:
        assert KANA_ONLY.fullmatch(script.text), script.text
        assert not any(sentence[1:9] in script.text for sentence in KANJI_SENTENCES)
    # Every sentence any of them says, once.
    spoken = " ".join(dict.fromkeys(s for script in written for s in script.sentences))
    assert named_letters(spoken) == []
    assert english_words(spoken) == []


def test_kanji_sentences_are_left_out_with_a_note() -> None:
    written = write_script(BOTTLE, "Feature Explainer", "japanese", 60.0)
    assert written.sentences[0] == "ステンレス ボトルの きのうを、ひとつずつ ごせつめいします。"
    assert written.sentences[1:4] == tuple(
        f"きのう その{number}：{sentence}" for number, sentence in enumerate(KANA_SENTENCES, 1)
    )
    assert "これだけ そろって 3,980えんです。" in written.sentences
    assert "サーモの せいひんです。" in written.sentences
    assert "まいにち あるく ひとに ぴったりです。" in written.sentences
    assert written.sentences[-1] == "しくみが わかったら、きょう ごちゅうもん ください。"
    assert written.notes == (
        "2 sentences of the product description are not in kana, all the offline Japanese "
        "voice reads (it names kanji and spells Latin words out), so they were left out",
    )


def test_a_kanji_name_is_called_this_product() -> None:
    mug = ProductFacts(
        name="象印 ステンレスマグ",
        description=" ".join([KANJI_SENTENCES[0], KANA_SENTENCES[0]]),
        target_audience="通勤する人",
        price="3,980円（税込）",
        brand="象印",
        availability="LimitedAvailability",
    )
    written = write_script(mug, "Discovery", "japanese", 30.0)
    assert written.sentences[0] == "きょうの はっけん、それが この しょうひんです。"
    assert "まず きづく ポイント：" + KANA_SENTENCES[0] in written.sentences
    assert "これだけ そろって 3,980えんです。" in written.sentences
    assert "象" not in written.text and "通勤" not in written.text
    assert written.notes == (
        "1 sentence of the product description, and the product's name and target "
        "audience, are not in kana, all the offline Japanese voice reads (it names kanji and "
        'spells Latin words out), so they were left out; the narration calls the product "この '
        'しょうひん"',
    )


def test_a_page_with_no_kana_is_said_in_frames_alone() -> None:
    lamp = ProductFacts(
        name="Lumo Desk Lamp",
        description=" ".join(KANJI_SENTENCES),
        price="$49.00",
        availability="InStock",
    )
    written = write_script(lamp, "Top 3 reasons", "japanese", 15.0)
    assert written.text == (
        "この しょうひんを えらぶ おおきな りゆう。 りゆう その1：わずか 49ドルで てに "
        "はいります。 ざいこ ありで、すぐに おとどけ できます。 ぜひ きょう ごちゅうもん "
        "ください。"
    )
    assert written.notes == (
        "2 sentences of the product description, and the product's name, are not in kana, all "
        "the offline Japanese voice reads (it names kanji and spells Latin words out), so they "
        "were left out: the script is built from the product's details; the narration calls "
        'the product "この しょうひん"',
    )
    assert named_letters(written.text) == [] and english_words(written.text) == []


def test_the_page_text_is_given_to_the_voice_as_it_reads_it() -> None:
    watch = ProductFacts(
        name="ｽﾏｰﾄ・ウォッチ",
        description="バッテリーで ３６じかん つかえます。ＵＳＢで じゅうでん できます。"
        "Bluetoothで つながります。",
        price="￥１２，８００",
    )
    written = write_script(watch, "Data", "japanese", 30.0)
    assert written.sentences[:4] == (
        "すうじで みる スマート ウォッチ。",
        "かかく：12,800えん。",
        "データ その1：バッテリーで 36じかん つかえます。",
        "データ その2：USB で じゅうでん できます。",
    )
    assert "Bluetooth" not in written.text
    assert written.notes == (  # mostly Latin letters: not a Japanese sentence
        "1 sentence of the product description is not in japanese and was left out",
    )
    assert english_words(written.text) == ["USB"]  # an acronym, spelled as Japanese does
    assert named_letters(written.text) == []


def test_a_name_or_price_ending_in_latin_letters_is_not_said() -> None:
    cable = ProductFacts(name="USB", description=KANA_SENTENCES[0], price="19.50 CHF")
    written = write_script(cable, "Discovery", "japanese", 15.0)
    assert written.sentences[0] == "きょうの はっけん、それが この しょうひんです。"
    assert "CHF" not in written.text
    assert "the product's name and price, are not in kana" not in written.notes[0]
    assert written.notes[0].startswith("the product's name and price are not in kana")
    assert named_letters(written.text) == [] and english_words(written.text) == []


def test_every_script_keeps_its_budget_and_is_deterministic() -> None:
    rate = 5.5
    for style in SCRIPT_STYLES:
        for seconds in (8.0, 15.0, 30.0, 60.0):
            written = write_script(BOTTLE, style, "japanese", seconds)
            characters = sum(ch.isalnum() for ch in written.text)
            allowed = (seconds - LEAD_SECONDS) * rate
            allowed -= PAUSE_SECONDS * rate * (len(written.sentences) - 1)
            assert characters <= allowed, (style, seconds, written.text)
            assert written == write_script(BOTTLE, style, "japanese", seconds)


# -- what the voice can read ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("ふたを あけると、すぐに のめます。", "reads"),
        ("ティーポットで おいしい こうちゃを どうぞ。", "reads"),
        ("フォークも ウィンナーも チェックして ください。", "reads"),
        ("ヴァイオリンの ファンに イェーイ！", "reads"),
        ("かぁさんの クッキー。", "reads"),
        ("真空断熱で ながもち。", "names a letter"),
        ("こゝろを こめて つくりました。", "names a letter"),
        ("ぃ から はじまる ことば。", "names a letter"),
        ("マィクで はなします。", "names a letter"),
        ("3ヶげつ つかえます。", "names a letter"),
        ("Bluetoothで つながります。", "spells"),
    ],
)
def test_readable_agrees_with_the_voice(text: str, evidence: str) -> None:
    text = for_voice(text)
    assert readable(text) == (evidence == "reads")
    assert bool(named_letters(text)) == (evidence == "names a letter")
    assert bool(english_words(text)) == (evidence != "reads")


def test_acronyms_and_numbers_are_readable() -> None:
    assert named_letters("USBで じゅうでん") == ["USBで"]  # the voice names で's voicing mark
    text = for_voice("USBで じゅうでん")
    assert text == "USB で じゅうでん"
    assert readable(text) and named_letters(text) == [] and english_words(text) == ["USB"]
    assert readable("LEDの ライト、3,980えんです。")
    assert not readable("750mlの たっぷり サイズ。")  # "ml" would be spelled out
    # A name or a price a frame puts kana straight after may not end in a Latin letter.
    assert readable("USB") and not readable("USB", kana_after=True)
    assert readable("USB ケーブル", kana_after=True)


def test_for_voice_makes_width_variants_plain() -> None:
    assert for_voice("ＡＢＣ１２３") == "ABC123"
    assert for_voice("ｽﾏｰﾄ ｶﾞｰﾃﾞﾝ") == "スマート ガーデン"
    assert for_voice("スマート・ウォッチ") == "スマート ウォッチ"
    assert for_voice("１２，８００えん！") == "12,800えん！"  # Japanese punctuation stays
    assert for_voice("ハ\u309aン") == "パン"


@pytest.mark.parametrize(
    ("price", "spoken"),
    [
        ("¥3,980", "3,980えん"),
        ("￥3,980", "3,980えん"),
        ("3,980円（税込）", "3,980えん"),
        ("¥3,980 税込", "3,980えん"),
        ("$49.00", "49ドル"),
        ("€49.90", "49.90ユーロ"),
        ("12 GBP", "12ポンド"),
    ],
)
def test_prices_are_said_in_kana(price: str, spoken: str) -> None:
    assert spoken_price(price, "japanese") == spoken
