"""write_script: the narration of one video, from the product, a style, a language and a
length; or the user's own script, cleaned and fitted to the length."""

from __future__ import annotations

from jogg_pipeline.engine.narration.script import cleaning
from jogg_pipeline.engine.narration.script.context import Context
from jogg_pipeline.engine.narration.script.facts import Material, gather
from jogg_pipeline.engine.narration.script.model import ProductFacts, Script
from jogg_pipeline.engine.narration.script.packing import pack
from jogg_pipeline.engine.narration.script.phrases import FRAMES
from jogg_pipeline.engine.narration.script.sentences import finished, split_sentences
from jogg_pipeline.engine.narration.script.sizing import Budget
from jogg_pipeline.engine.narration.script.styles import style_key
from jogg_pipeline.engine.narration.script.writers import WRITERS
from jogg_pipeline.wire.enums import LANGUAGES

SCRIPT_LANGUAGES: tuple[str, ...] = tuple(FRAMES)


def write_script(
    facts: ProductFacts,
    style: str,
    language: str,
    seconds: float,
    words_per_minute: float = 150.0,
    override_script: str = "",
) -> Script:
    """The narration of a `seconds`-long video in `language` (a wire language) and `style`
    (a wire script style, any letter case). Pure and deterministic.

    Raises ValueError for an unknown style or language, or a length or pace that is not
    positive."""
    key = style_key(style)
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r} is not one of the API's languages")
    if not seconds > 0 or not words_per_minute > 0:
        raise ValueError(
            f"a script needs a positive length and pace, not {seconds:g} seconds "
            f"at {words_per_minute:g} words a minute"
        )
    budget = Budget(seconds, words_per_minute, language)
    if override_script.strip():
        return _override(override_script, budget)
    material = gather(facts, language)
    frames = FRAMES.get(language)
    if frames is None:
        return _own_text(material, budget)
    context = Context(material, frames, frames.styles[key])
    # The first alternative that keeps its whole structure, else the plainest (the last).
    recipes = WRITERS[key](context)
    packs = (pack(recipe, budget) for recipe in recipes[:-1])
    packed = next((p for p in packs if p.complete and not p.lost_core), None)
    packed = packed or pack(recipes[-1], budget)
    notes = _material_notes(material, frames.this_product)
    if packed.lost_core:
        notes.append(
            f"a {seconds:g}-second video at {words_per_minute:g} words a minute has room for "
            "only part of the script's opening and call to action"
        )
    return Script.of(_sentences(packed.lines), language, notes)


def _sentences(lines: list[str]) -> list[str]:
    return [sentence for line in lines for sentence in split_sentences(line)]


def _material_notes(material: Material, this_product: str = "") -> list[str]:
    """What the script could not use of the product's text: a sentence for what is in
    another language, one for what the Japanese voice cannot read."""
    thin = material.thin
    notes = []
    if material.foreign:
        count = material.foreign
        many = count > 1
        notes.append(
            f"{count} sentence{'s' if many else ''} of the product description "
            f"{'are' if many else 'is'} not in {material.language} and "
            f"{'were' if many else 'was'} left out"
        )
    if material.unread or material.unread_details:
        notes.append(_unread_note(material))
    if thin and notes:
        notes[-1] += f": the script is built from {_sources(material)}"
    elif thin:
        notes.append(
            f"the product text is too thin for a full script: it is built from {_sources(material)}"
        )
    if "name" in material.unread_details:  # the note on what the voice cannot read is last
        notes[-1] += f'; the narration calls the product "{this_product}"'
    return notes


def _unread_note(material: Material) -> str:
    """What was left out of a Japanese script because the voice reads kana only."""
    count, details = material.unread, [_DETAILS[key] for key in material.unread_details]
    subjects = []
    if count:
        subjects.append(f"{count} sentence{'s' if count > 1 else ''} of the product description")
    if details:
        subjects.append(f"the product's {_listed(details)}")
    one = len(subjects) == 1 and (count == 1 or len(details) == 1)
    return (
        f"{', and '.join(subjects)}{',' if len(subjects) > 1 else ''} "
        f"{'is' if one else 'are'} not in kana, all the offline Japanese voice reads (it names "
        f"kanji and spells Latin words out), so {'it was' if one else 'they were'} left out"
    )


_DETAILS = {"name": "name", "brand": "brand", "audience": "target audience", "price": "price"}


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _sources(material: Material) -> str:
    details = material.price or material.stock or material.brand or material.audience
    if "name" in material.unread_details:  # said as the frames' "this product"
        return "the product's details" if details else "the script style's own words"
    return "the product's name and details" if details else "the product's name alone"


def _override(text: str, budget: Budget) -> Script:
    """The user's script without markup or addresses, cut at a sentence end to fit."""
    clean = cleaning.remove_addresses(cleaning.strip_markup(text))
    sentences = [finished(sentence, budget.language) for sentence in split_sentences(clean)]
    kept = _fitting_start(sentences, budget)
    notes = []
    if len(kept) < len(sentences):
        notes.append(
            f"override_script is longer than a {budget.seconds:g}-second video allows: "
            f"its first {len(kept)} of {len(sentences)} sentences are narrated"
        )
    if not kept and sentences:
        kept, words = _cut_sentence(sentences[0], budget)
        notes = [
            f"override_script's first sentence is longer than a {budget.seconds:g}-second video "
            f"allows: it was cut after {words} {'characters' if budget.by_characters else 'words'}"
        ]
    return Script.of(kept, budget.language, notes)


def _fitting_start(sentences: list[str], budget: Budget) -> list[str]:
    kept: list[str] = []
    for sentence in sentences:
        if not budget.fits([*kept, sentence]):
            break
        kept.append(sentence)
    return kept


def _cut_sentence(sentence: str, budget: Budget) -> tuple[list[str], int]:
    """The longest start of `sentence` that fits, ended with a full stop, and its length in
    words (characters for a language without spaces): the last resort for a user's sentence
    longer than the whole video."""
    pieces = list(sentence.rstrip("。.!?！？")) if budget.by_characters else sentence.split()
    joiner = "" if budget.by_characters else " "
    for count in range(len(pieces) - 1, 0, -1):
        start = finished(joiner.join(pieces[:count]).rstrip(",;:、"), budget.language)
        if budget.fits([start]):
            return [start], count
    return [], 0


def _own_text(material: Material, budget: Budget) -> Script:
    """For a language without frames: the product's name and its own sentences in that
    language, the best that fit, in the page's order."""
    language = material.language
    name = [finished(material.full_name or material.name, language)] if material.name else []
    if name and not budget.fits(name):
        name = [finished(material.name, language)]
    if not budget.fits(name):
        name = []
    # The page's own sentences, the best first, said in the page's order (its opening
    # questions first).
    candidates = [(-1, question) for question in material.questions]
    candidates += [(point.order, point.text) for point in material.points]
    chosen: list[tuple[int, str]] = []
    for candidate in candidates:
        if budget.fits([*name, *(text for _, text in chosen), candidate[1]]):
            chosen.append(candidate)
    chosen.sort(key=lambda candidate: candidate[0])
    if not material.thin:
        note = f"language {language} has no script frame in this engine: the narration is "
        note += "the product's own text"
    else:
        note = f"language {language} has no script frame in this engine and the product has "
        note += f"no text in {language}: the narration is the product's name"
    notes = [note] if material.thin else [note, *_material_notes(material)]
    return Script.of(_sentences([*name, *(text for _, text in chosen)]), language, notes)
