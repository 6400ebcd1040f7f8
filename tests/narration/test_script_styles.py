"""The 16 script styles: each its own structure, a call to action at the end, the user's
errors as one line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from jogg_pipeline.engine.narration.script import ProductFacts, Script, write_script
from jogg_pipeline.wire.enums import SCRIPT_STYLES

BOTTLE = ProductFacts(
    name="TrailMate Insulated Bottle",
    description=(
        "Keeps drinks cold for 24 hours and hot for 12 hours. "
        "The leak-proof lid opens with one hand, even with gloves on. "
        "Made from recycled stainless steel that never rusts or takes on flavours. "
        "The powder coat grips well in wet hands. "
        "It fits most car cup holders and bike cages. "
        "Holds 750 ml, enough water for a long afternoon hike."
    ),
    target_audience="hikers and busy commuters",
    price="$24.99",
    brand="Northwind",
    availability="InStock",
)
# The call to action of each style, as the English frames word it.
CALLS = {
    "Don't Worry": "Go ahead and get yours today.",
    "Discovery": "Discover it for yourself today.",
    "Data": "Check the details and order yours today.",
    "Top 3 reasons": "Get yours today.",
    "Soft Selling": "When you're ready, you can order yours today.",
    "Humor & Meme": "Don't overthink it, get yours today.",
    "Feature Explainer": "Now that you know how it works, order yours today.",
    "Soft Storytelling with Twist": "Make the story yours today.",
    "Expert Advice": "Make the smart choice and order yours today.",
    "Unboxing & Review": "Order yours today and unbox it yourself.",
    "Challenge": "Take the challenge and get yours today.",
    "Problem/Solution": "Solve it today and order yours now.",
    "Comparison": "Make the switch today.",
    "Creative/Innovative": "Try something different and get yours today.",
    "Emotional Appeal": "Treat yourself today.",
    "Immersive Storytelling": "Make it part of your day and order yours today.",
}


def script(style: str, seconds: float = 30.0, facts: ProductFacts = BOTTLE) -> Script:
    return write_script(facts, style=style, language="english", seconds=seconds)


def index_of(sentences: tuple[str, ...], pattern: str) -> int:
    return next(i for i, sentence in enumerate(sentences) if re.search(pattern, sentence))


def test_every_style_writes_its_own_script_ending_with_its_call_to_action() -> None:
    assert set(CALLS) == set(SCRIPT_STYLES)
    scripts = {style: script(style) for style in SCRIPT_STYLES}
    assert len({s.text for s in scripts.values()}) == 16
    assert len({s.sentences[0] for s in scripts.values()}) == 16  # each opens its own way
    for style, written in scripts.items():
        assert written.sentences[-1] == CALLS[style], style
        assert written.text == " ".join(written.sentences)
        assert written.language == "english"
        assert written.notes == ()
        assert "TrailMate Insulated Bottle" in written.text


def test_top_three_reasons_is_a_list_of_exactly_three() -> None:
    for seconds in (15.0, 30.0, 60.0):
        sentences = script("Top 3 reasons", seconds).sentences
        assert sentences[0] == "Three reasons to choose TrailMate Insulated Bottle."
        reasons = [s for s in sentences if re.match(r"Reason \w+:", s)]
        assert [r.split(":")[0] for r in reasons] == ["Reason one", "Reason two", "Reason three"]
        first = sentences.index(reasons[0])
        assert sentences[first : first + 3] == tuple(reasons)  # one after the other


def test_top_three_falls_back_on_the_details_when_the_page_gives_few_points() -> None:
    facts = ProductFacts(name="Lumo Lamp", price="€30", brand="Lumo Works", availability="InStock")
    sentences = script("Top 3 reasons", 30.0, facts).sentences
    assert sentences[1:4] == (
        "Reason one: it's yours for just €30.",
        "Reason two: it's in stock and ready to ship.",
        "Reason three: it's made by Lumo Works.",
    )
    assert "All that for €30." not in sentences  # the price is said once


def test_problem_comes_before_its_solution_and_the_remedies() -> None:
    sentences = script("Problem/Solution").sentences
    problem = index_of(sentences, r"^Tired of settling")
    solution = index_of(sentences, r"^Here's the solution: TrailMate")
    remedy = index_of(sentences, r"^Here's how it helps: ")
    assert problem < solution < remedy < len(sentences) - 1


def test_a_question_the_page_opens_with_is_the_problem() -> None:
    facts = ProductFacts(
        name="QuietNest Earplugs",
        description="Can't sleep because of a snoring partner? QuietNest earplugs cut noise by "
        "32 decibels. They stay soft all night.",
    )
    sentences = script("Problem/Solution", 30.0, facts).sentences
    assert sentences[0] == "Can't sleep because of a snoring partner?"
    assert sentences[1] == "Here's the solution: QuietNest Earplugs."


def test_the_story_has_its_find_and_its_twist() -> None:
    sentences = script("Soft Storytelling with Twist").sentences
    assert sentences[0] == "It started like any other day."
    found = index_of(sentences, r"^Then along came TrailMate")
    twist = index_of(sentences, r"^The twist\?")
    assert sentences[twist + 1] == "This story was about you all along."
    assert found < twist < len(sentences) - 1


def test_comparison_weighs_the_usual_option_and_names_no_rival() -> None:
    text = script("Comparison", 60.0).text
    assert "versus the usual option" in text
    assert "The usual option gets the job done, more or less." in text
    assert "doing without it?" in text
    names = set(re.findall(r"\b[A-Z][a-z]+\b", text))
    allowed = {"Let", "The", "What", "And", "You", "Side", "Make", "All", "It", "Made", "Holds"}
    allowed |= {"TrailMate", "Insulated", "Bottle", "Keeps", "Northwind"}
    assert names - allowed == set()  # no brand but the product's own


def test_challenge_dares_the_viewer_and_asks_for_an_answer() -> None:
    sentences = script("Challenge", 60.0).sentences
    assert (
        sentences[0] == "Here's a challenge: find something that beats TrailMate Insulated Bottle."
    )
    assert sum(s.startswith(("Try to beat this:", "Now beat this:")) for s in sentences) == 2
    assert "Tell us in the comments." in sentences


def test_data_gives_the_price_and_the_figures_first() -> None:
    sentences = script("Data", 30.0).sentences
    assert sentences[:2] == ("TrailMate Insulated Bottle, by the numbers.", "Price: $24.99.")
    assert sentences[2] == "Fact one: keeps drinks cold for 24 hours and hot for 12 hours."
    assert sentences[3] == "Fact two: holds 750 ml, enough water for a long afternoon hike."


def test_unboxing_opens_the_box_and_gives_a_verdict() -> None:
    sentences = script("Unboxing & Review").sentences
    assert sentences[:3] == (
        "Unboxing time!",
        "Today it's TrailMate Insulated Bottle.",
        "Let's open the box.",
    )
    assert sentences[3].startswith("First impression: ")
    assert sentences[-2] == "My verdict: it's a keeper."


def test_each_style_has_its_signature_line() -> None:
    signatures = {
        "Don't Worry": "Don't worry, we've got you.",
        "Discovery": "The first thing you notice: ",
        "Soft Selling": "What we like: ",
        "Humor & Meme": "Exhibit A: ",
        "Feature Explainer": "Feature one: ",
        "Expert Advice": "Expert tip: ",
        "Creative/Innovative": "What if everyday things were rethought from scratch?",
        "Emotional Appeal": "TrailMate Insulated Bottle is made for those moments.",
        "Immersive Storytelling": "Close your eyes for a second.",
    }
    for style, signature in signatures.items():
        assert signature in script(style).text, style


def test_the_details_are_said_naturally() -> None:
    text = script("Don't Worry", 60.0).text
    assert "All that for $24.99." in text
    assert "It's in stock and ready to ship." in text
    assert "Made by Northwind." in text
    assert "Made for hikers and busy commuters." in text


@pytest.mark.parametrize("availability", ["OutOfStock", "sold out", "Ausverkauft"])
def test_a_sold_out_product_is_never_told_to_be_ordered(availability: str) -> None:
    facts = ProductFacts(**{**BOTTLE.__dict__, "availability": availability})
    for style in SCRIPT_STYLES:
        written = script(style, 30.0, facts)
        assert not re.search(r"\b(order|get yours|pre-order)\b", written.text, re.I), style
        assert written.sentences[-1] == "Save it to your wish list and check back soon."
        said = {"It's sold out right now.", "Availability: sold out for now."}
        assert said & set(written.sentences), style


def test_a_pre_order_is_called_one() -> None:
    facts = ProductFacts(**{**BOTTLE.__dict__, "availability": "PreOrder"})
    written = script("Discovery", 30.0, facts)
    assert written.sentences[-1] == "Pre-order yours today."
    assert "It's open for pre-order now." in written.sentences


def test_a_name_alone_still_makes_a_short_sensible_script() -> None:
    facts = ProductFacts(name="Zephyr Desk Lamp")
    for style in SCRIPT_STYLES:
        written = script(style, 30.0, facts)
        assert "Zephyr Desk Lamp" in written.text, style
        assert written.sentences[-1] == CALLS[style]
        assert written.notes == (
            "the product text is too thin for a full script: "
            "it is built from the product's name alone",
        )
    assert script("Top 3 reasons", 30.0, facts).sentences == (
        "Here's why Zephyr Desk Lamp deserves a look.",
        "Get yours today.",
    )


def test_no_name_at_all_speaks_of_the_product() -> None:
    written = script("Discovery", 15.0, ProductFacts(name="", price="$5"))
    assert written.sentences[0] == "Here's something worth discovering: this product."


def test_the_same_inputs_give_the_same_script() -> None:
    for style in SCRIPT_STYLES:
        assert script(style) == script(style)


def test_the_same_script_in_another_process() -> None:
    # A separate interpreter with its own string hashing: nothing may depend on it.
    program = (
        "import json, sys\n"
        "from jogg_pipeline.wire.enums import SCRIPT_STYLES\n"
        "from jogg_pipeline.engine.narration.script import ProductFacts, write_script\n"
        "facts = ProductFacts(**json.loads(sys.argv[1]))\n"
        "print(json.dumps([write_script(facts, s, l, 30.0).text "
        "for s in SCRIPT_STYLES for l in ('english', 'japanese')]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program, json.dumps(BOTTLE.__dict__)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    )
    here = [
        write_script(BOTTLE, s, lang, 30.0).text
        for s in SCRIPT_STYLES
        for lang in ("english", "japanese")
    ]
    assert json.loads(result.stdout) == here


def test_styles_match_in_any_letter_case() -> None:
    assert script("top 3 REASONS") == script("Top 3 reasons")
    assert script("  humor   & meme ") == script("Humor & Meme")


def test_an_unknown_style_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError) as error:
        script("Shouting")
    assert str(error.value) == (
        "script style 'Shouting' is not one of: Don't Worry, Discovery, Data, Top 3 reasons, "
        "Soft Selling, Humor & Meme, Feature Explainer, Soft Storytelling with Twist, "
        "Expert Advice, Unboxing & Review, Challenge, Problem/Solution, Comparison, "
        "Creative/Innovative, Emotional Appeal, Immersive Storytelling"
    )


def test_an_unknown_language_and_a_length_of_nothing_are_refused() -> None:
    with pytest.raises(ValueError) as error:
        write_script(BOTTLE, "Data", "klingon", 15.0)
    assert str(error.value) == "language 'klingon' is not one of the API's languages"
    with pytest.raises(ValueError) as error:
        write_script(BOTTLE, "Data", "english", 0.0)
    assert str(error.value) == (
        "a script needs a positive length and pace, not 0 seconds at 150 words a minute"
    )
