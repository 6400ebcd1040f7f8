"""`toml_error_position` on errors raised by the real `tomllib`."""

from __future__ import annotations

import tomllib

import pytest

from jogg_pipeline.spec.toml_positions import toml_error_position


def locate_error(text: str) -> tuple[int, int, str]:
    with pytest.raises(tomllib.TOMLDecodeError) as raised:
        tomllib.loads(text)
    return toml_error_position(raised.value, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A newline inside a one-line string.
        ('a = 1\nb = "abc\nc = 2\n', (2, 9, "Illegal character '\\n'")),
        ('a = 1\nb = "abc', (2, 9, "Unterminated string")),
        ("a = 1\na = 2\nb = 3\n", (2, 6, "Cannot overwrite a value")),
        ("[t]\nx = 1\n[t]\n", (3, 3, "Cannot declare ('t',) twice")),
        ("size = tru\n", (1, 8, "Invalid value")),
        ("a = 1 b\n", (1, 7, "Expected newline or end of document after a statement")),
        ('name = "é\\q"\n', (1, 12, "Unescaped '\\' in a string")),
        # CRLF: tomllib counts columns without the CR, as this module does.
        ('a = 1\r\nb = "x\r\n', (2, 7, "Illegal character '\\n'")),
    ],
)
def test_errors_inside_the_document(text: str, expected: tuple[int, int, str]) -> None:
    assert locate_error(text) == expected


def test_error_at_end_of_document_points_after_the_last_character() -> None:
    # tomllib says only "at end of document"; the last non-blank line is where to look.
    assert locate_error("x = 1\nitems = [1,\n\n  \n") == (2, 12, "Invalid value")
    assert locate_error("a = 1\na = 2") == (2, 6, "Cannot overwrite a value")
    assert locate_error('a = """open\r\nstill open\r\n') == (2, 11, "Unterminated string")


def test_end_of_document_on_the_first_line_does_not_count_a_byte_order_mark() -> None:
    error = tomllib.TOMLDecodeError("Unterminated string (at end of document)")
    assert toml_error_position(error, '\ufeffa = "x') == (1, 7, "Unterminated string")
    assert toml_error_position(error, "") == (1, 1, "Unterminated string")


def test_message_without_a_position_is_kept_whole_at_the_start() -> None:
    error = tomllib.TOMLDecodeError("Something unexpected")
    assert toml_error_position(error, "a = 1\n") == (1, 1, "Something unexpected")
