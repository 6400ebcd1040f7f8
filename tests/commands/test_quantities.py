"""One grammar for durations, rates and qualities, read alike by every command."""

from __future__ import annotations

import pytest

from jogg_pipeline.cli import build_parser
from jogg_pipeline.commands.common import parse_rate
from jogg_pipeline.errors import UsageError
from jogg_pipeline.quantities import QUALITY_NAMES, Quality, Rate, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("0", 0), ("2.5", 2.5), ("90s", 90), ("20m", 1200), ("1h30m", 5400), ("2.5h", 9000),
     ("1d", 86400), ("1 h 30 min", 5400), ("45sec", 45)],
)  # fmt: skip
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "-5", "5x", "m", "1h30", "nan", "inf"])
def test_what_is_not_a_duration_says_how_to_write_one(text: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_duration(text)
    assert str(raised.value) == f"{text!r} is not a duration; write e.g. 90s, 20m, 1h30m or 0"


@pytest.mark.parametrize(
    ("text", "rate"),
    [("20/min", Rate(20, 60)), ("20/minute", Rate(20, 60)), ("5/s", Rate(5, 1)),
     ("100/hour", Rate(100, 3600)), ("20/2s", Rate(20, 2)), ("3/0.5s", Rate(3, 0.5)),
     (" 20 / MIN ", Rate(20, 60)), ("1/1m30s", Rate(1, 90))],
)  # fmt: skip
def test_rates(text: str, rate: Rate) -> None:
    assert Rate.parse(text) == rate
    assert parse_rate(text) == rate


def test_rates_read_back_as_written() -> None:
    assert [str(Rate.parse(t)) for t in ("20/min", "5/s", "100/h", "20/2s")] == [
        "20/min",
        "5/s",
        "100/h",
        "20 per 2 s",
    ]


def test_run_and_serve_refuse_a_bad_rate_with_the_same_words() -> None:
    with pytest.raises(UsageError) as raised:
        parse_rate("20/fortnight")
    assert str(raised.value) == (
        "--post-rate '20/fortnight' is not a rate; write COUNT/PERIOD, e.g. 20/min, 5/s, "
        "100/hour or 20/2s"
    )
    run = build_parser().parse_args(["run", "--post-rate", "20/2s"])
    serve = build_parser().parse_args(["serve", "--post-rate", "20/2s"])
    assert parse_rate(run.post_rate) == parse_rate(serve.post_rate) == Rate(20, 2)


def test_every_command_offers_the_same_qualities() -> None:
    assert QUALITY_NAMES == ("full", "hd", "preview") == tuple(Quality)
    parser = build_parser()
    for command in ("run", "plan", "serve"):
        args = parser.parse_args([command, "--quality", "preview"])
        assert args.quality == Quality.PREVIEW
    with pytest.raises(SystemExit):
        parser.parse_args(["run", "--quality", "ultra"])
