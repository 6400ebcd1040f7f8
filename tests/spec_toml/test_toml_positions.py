"""Exact positions found by `toml_positions` on hand-written documents."""

from __future__ import annotations

import tomllib

import pytest

from jogg_pipeline.spec.toml_positions import Located, Position, toml_positions


def kv(key_line: int, key_column: int, value_line: int, value_column: int) -> Located:
    return Located(Position(key_line, key_column), Position(value_line, value_column))


def item(line: int, column: int) -> Located:
    return Located(None, Position(line, column))


def header(line: int, column: int = 1) -> Located:
    return Located(Position(line, column), Position(line, column))


def positions(text: str) -> dict:
    tomllib.loads(text.removeprefix("\ufeff"))  # every document here is valid TOML
    return toml_positions(text)


def test_key_styles() -> None:
    text = (
        "bare = 1\n"
        '"quoted key" = 2\n'
        "'literal key' = 3\n"
        '"esc\\"aped\\u00e9" = 4\n'
        "bare-key_2 = 5\n"
        "1234 = 6\n"
        '"" = 7\n'
    )
    assert positions(text) == {
        ("bare",): kv(1, 1, 1, 8),
        ("quoted key",): kv(2, 1, 2, 16),
        ("literal key",): kv(3, 1, 3, 17),
        ('esc"apedé',): kv(4, 1, 4, 21),
        ("bare-key_2",): kv(5, 1, 5, 14),
        ("1234",): kv(6, 1, 6, 8),
        ("",): kv(7, 1, 7, 6),
    }


def test_dotted_keys_make_implicit_tables_at_their_first_part() -> None:
    text = "a.b.\"c d\" = 1\nx . y\t.\t'z' = true\na.e = 'v'\n"
    assert positions(text) == {
        ("a",): header(1, 1),
        ("a", "b"): header(1, 3),
        ("a", "b", "c d"): kv(1, 5, 1, 13),
        ("x",): header(2, 1),
        ("x", "y"): header(2, 5),
        ("x", "y", "z"): kv(2, 9, 2, 15),
        ("a", "e"): kv(3, 3, 3, 7),
    }


def test_table_headers_and_implicit_super_tables() -> None:
    text = '[table]\nk = 1\n[ a . "b" ]\n[a.c]\n[a]\nz = 0\n[p.q.r]\nv = 1\n'
    assert positions(text) == {
        ("table",): header(1),
        ("table", "k"): kv(2, 1, 2, 5),
        # `a` exists implicitly from line 3 until its own header on line 5.
        ("a",): header(5),
        ("a", "b"): header(3),
        ("a", "c"): header(4),
        ("a", "z"): kv(6, 1, 6, 5),
        ("p",): header(7, 2),
        ("p", "q"): header(7, 4),
        ("p", "q", "r"): header(7),
        ("p", "q", "r", "v"): kv(8, 1, 8, 5),
    }


def test_sub_tables_of_an_array_of_tables_belong_to_its_last_element() -> None:
    text = (
        "[[products]]\n"
        'url = "u0"\n'
        "\n"
        "[[products]]\n"
        'url = "u1"\n'
        "\n"
        "[[products]]\n"
        'url = "u2"\n'
        "[products.overrides]\n"
        'name = "n"\n'
        "[[products.videos]]\n"
        'name = "short"\n'
        "[[ products . videos ]]\n"
        'name = "long"\n'
    )
    assert positions(text) == {
        ("products",): header(1),
        ("products", 0): item(1, 1),
        ("products", 0, "url"): kv(2, 1, 2, 7),
        ("products", 1): item(4, 1),
        ("products", 1, "url"): kv(5, 1, 5, 7),
        ("products", 2): item(7, 1),
        ("products", 2, "url"): kv(8, 1, 8, 7),
        ("products", 2, "overrides"): header(9),
        ("products", 2, "overrides", "name"): kv(10, 1, 10, 8),
        ("products", 2, "videos"): header(11),
        ("products", 2, "videos", 0): item(11, 1),
        ("products", 2, "videos", 0, "name"): kv(12, 1, 12, 8),
        ("products", 2, "videos", 1): item(13, 1),
        ("products", 2, "videos", 1, "name"): kv(14, 1, 14, 8),
    }


def test_nested_array_of_tables_under_an_implicit_table() -> None:
    text = "[[a.b]]\nx = 1\n[[a.b]]\n[a.b.c]\ny = 2\n[a]\n"
    assert positions(text) == {
        ("a",): header(6),
        ("a", "b"): header(1),
        ("a", "b", 0): item(1, 1),
        ("a", "b", 0, "x"): kv(2, 1, 2, 5),
        ("a", "b", 1): item(3, 1),
        ("a", "b", 1, "c"): header(4),
        ("a", "b", 1, "c", "y"): kv(5, 1, 5, 5),
    }


def test_scalar_values_of_every_kind() -> None:
    lines = [
        's1 = "tab\\there \\"quoted\\" # not a comment"',
        "s2 = 'C:\\path [x] = y # no'",
        's3 = """',
        'multi "line" # = [ ] {',
        'with \\""" escape and ""quotes"" """',
        "s4 = '''",
        "raw '' text # [ = '''",
        's5 = """ends with quotes"""""',
        "s6 = ''''one quote''''",
        's7 = """line ending \\',
        '   backslash"""',
        "i1 = 0xDEAD_beef",
        "i2 = 0o755",
        "i3 = 0b1101",
        "i4 = -1_000",
        "f1 = +inf",
        "f2 = nan",
        "f3 = 6.626e-34",
        "f4 = -0.5E+3",
        "b1 = true",
        "b2 = false",
        "d1 = 1979-05-27T07:32:00Z",
        "d2 = 1979-05-27 07:32:00.999-07:00",
        "d3 = 1979-05-27",
        "d4 = 07:32:00",
        "d5 = 1979-05-27T00:32:00.999999",
        "after = 1",
    ]
    text = "\n".join(lines) + "\n"
    data = tomllib.loads(text)
    assert data["s3"] == 'multi "line" # = [ ] {\nwith """ escape and ""quotes"" '
    assert data["s5"] == 'ends with quotes""'
    assert data["s6"] == "'one quote'"
    expected = {
        ("s1",): kv(1, 1, 1, 6),
        ("s2",): kv(2, 1, 2, 6),
        ("s3",): kv(3, 1, 3, 6),
        ("s4",): kv(6, 1, 6, 6),
        ("s5",): kv(8, 1, 8, 6),
        ("s6",): kv(9, 1, 9, 6),
        ("s7",): kv(10, 1, 10, 6),
        ("after",): kv(27, 1, 27, 9),
    }
    for line, name in enumerate(["i1", "i2", "i3", "i4", "f1", "f2", "f3", "f4"], start=12):
        expected[(name,)] = kv(line, 1, line, 6)
    for line, name in enumerate(["b1", "b2", "d1", "d2", "d3", "d4", "d5"], start=20):
        expected[(name,)] = kv(line, 1, line, 6)
    assert positions(text) == expected


def test_arrays_nested_multiline_with_comments_and_trailing_commas() -> None:
    text = (
        'a = [ 1, [2, [3]], "x,]", { k = [4] } , ]\n'
        "multi = [\n"
        "  # leading comment\n"
        "  'one', # after one\n"
        "\n"
        '  """two\n'
        'lines""",\n'
        "  [ ],\n"
        "]\n"
        "empty = []\n"
        "nested = [[1, 2], [3]]\n"
        "grid = [\n"
        "[1],\n"
        "[[2]],\n"
        "]\n"
    )
    assert positions(text) == {
        ("a",): kv(1, 1, 1, 5),
        ("a", 0): item(1, 7),
        ("a", 1): item(1, 10),
        ("a", 1, 0): item(1, 11),
        ("a", 1, 1): item(1, 14),
        ("a", 1, 1, 0): item(1, 15),
        ("a", 2): item(1, 20),
        ("a", 3): item(1, 27),
        ("a", 3, "k"): kv(1, 29, 1, 33),
        ("a", 3, "k", 0): item(1, 34),
        ("multi",): kv(2, 1, 2, 9),
        ("multi", 0): item(4, 3),
        ("multi", 1): item(6, 3),
        ("multi", 2): item(8, 3),
        ("empty",): kv(10, 1, 10, 9),
        ("nested",): kv(11, 1, 11, 10),
        ("nested", 0): item(11, 11),
        ("nested", 0, 0): item(11, 12),
        ("nested", 0, 1): item(11, 15),
        ("nested", 1): item(11, 19),
        ("nested", 1, 0): item(11, 20),
        # Lines starting with `[` inside an array value are not headers.
        ("grid",): kv(12, 1, 12, 8),
        ("grid", 0): item(13, 1),
        ("grid", 0, 0): item(13, 2),
        ("grid", 1): item(14, 1),
        ("grid", 1, 0): item(14, 2),
        ("grid", 1, 0, 0): item(14, 3),
    }


def test_inline_tables() -> None:
    text = "t = { a = 1, b.c = { d = 2 } }\ne = {}\npts = [{x=1},{ 'y' = \"}\" }]\n"
    assert positions(text) == {
        ("t",): kv(1, 1, 1, 5),
        ("t", "a"): kv(1, 7, 1, 11),
        ("t", "b"): header(1, 14),
        ("t", "b", "c"): kv(1, 16, 1, 20),
        ("t", "b", "c", "d"): kv(1, 22, 1, 26),
        ("e",): kv(2, 1, 2, 5),
        ("pts",): kv(3, 1, 3, 7),
        ("pts", 0): item(3, 8),
        ("pts", 0, "x"): kv(3, 9, 3, 11),
        ("pts", 1): item(3, 14),
        ("pts", 1, "y"): kv(3, 16, 3, 22),
    }


def test_comments_everywhere() -> None:
    text = (
        "# header comment\n"
        "[t] # after header\n"
        "# between = [\n"
        "k = 1 # after value\n"
        "[[arr]] # after array header\n"
        "a = [ # after bracket\n"
        "  1, # after element\n"
        "  # own line\n"
        "  2 # before comma\n"
        "  , 3\n"
        "] # after array\n"
        "#last"
    )
    assert positions(text) == {
        ("t",): header(2),
        ("t", "k"): kv(4, 1, 4, 5),
        ("arr",): header(5),
        ("arr", 0): item(5, 1),
        ("arr", 0, "a"): kv(6, 1, 6, 5),
        ("arr", 0, "a", 0): item(7, 3),
        ("arr", 0, "a", 1): item(9, 3),
        ("arr", 0, "a", 2): item(10, 5),
    }


def test_crlf_line_endings() -> None:
    text = 'a = 1\r\n[t]\r\nb = """x\r\ny"""\r\nc = [\r\n  2,\r\n]\r\n'
    assert positions(text) == {
        ("a",): kv(1, 1, 1, 5),
        ("t",): header(2),
        ("t", "b"): kv(3, 1, 3, 5),
        ("t", "c"): kv(5, 1, 5, 5),
        ("t", "c", 0): item(6, 3),
    }


def test_tabs_count_as_one_column() -> None:
    text = '\tkey\t=\t"v"\t# c\n[\ttab\t]\n\tx\t.\ty = 1\n'
    assert positions(text) == {
        ("key",): kv(1, 2, 1, 8),
        ("tab",): header(2),
        ("tab", "x"): header(3, 2),
        ("tab", "x", "y"): kv(3, 6, 3, 10),
    }


def test_byte_order_mark_is_not_a_column() -> None:
    text = "\ufeffa = 1\nb = 2\n"
    assert positions(text) == {("a",): kv(1, 1, 1, 5), ("b",): kv(2, 1, 2, 5)}
    assert toml_positions("\ufeff[t]\n") == {("t",): header(1)}


def test_unicode_columns_count_characters() -> None:
    text = (
        '"ключ" = "значение"\n'
        'nom = "héllo wörld" # ✓\n'
        '"日本" = { "名前" = \'値\' }\n'
        '"🎬" = ["🎥", "é"]\n'
    )
    assert positions(text) == {
        ("ключ",): kv(1, 1, 1, 10),
        ("nom",): kv(2, 1, 2, 7),
        ("日本",): kv(3, 1, 3, 8),
        ("日本", "名前"): kv(3, 10, 3, 17),
        ("🎬",): kv(4, 1, 4, 7),
        ("🎬", 0): item(4, 8),
        ("🎬", 1): item(4, 13),
    }


def test_empty_and_comment_only_documents() -> None:
    assert positions("") == {}
    assert positions("# nothing\n\n  \t\n") == {}


CAMPAIGN = """\
version = 1
campaign = "spring-sale"

[vars]
discount = 20

[defaults]
aspect_ratio = "portrait"
video_length = 15

[[products]]
url = "https://shop.example.com/products/happy-booster-blush"
key = "blush"

[products.overrides]
name = "{{ product.name }} – {{ vars.discount }}% off"

[[products.videos]]
name = "short"

[[products]]
url = "https://shop.example.com/products/glow-serum"
vars = { badge = "New" }
overrides.target_audience = "{{ vars.season }} makeup lovers"

[[products.videos]]
name = "short"

[[products.videos]]
name = "long"
video_length = 30
script_style = "Top 3 reasons"

[matrix]
language = ["english", "spanish"]
"""


def test_realistic_campaign_spec() -> None:
    assert positions(CAMPAIGN) == {
        ("version",): kv(1, 1, 1, 11),
        ("campaign",): kv(2, 1, 2, 12),
        ("vars",): header(4),
        ("vars", "discount"): kv(5, 1, 5, 12),
        ("defaults",): header(7),
        ("defaults", "aspect_ratio"): kv(8, 1, 8, 16),
        ("defaults", "video_length"): kv(9, 1, 9, 16),
        ("products",): header(11),
        ("products", 0): item(11, 1),
        ("products", 0, "url"): kv(12, 1, 12, 7),
        ("products", 0, "key"): kv(13, 1, 13, 7),
        ("products", 0, "overrides"): header(15),
        ("products", 0, "overrides", "name"): kv(16, 1, 16, 8),
        ("products", 0, "videos"): header(18),
        ("products", 0, "videos", 0): item(18, 1),
        ("products", 0, "videos", 0, "name"): kv(19, 1, 19, 8),
        ("products", 1): item(21, 1),
        ("products", 1, "url"): kv(22, 1, 22, 7),
        ("products", 1, "vars"): kv(23, 1, 23, 8),
        ("products", 1, "vars", "badge"): kv(23, 10, 23, 18),
        ("products", 1, "overrides"): header(24, 1),
        ("products", 1, "overrides", "target_audience"): kv(24, 11, 24, 29),
        ("products", 1, "videos"): header(26),
        ("products", 1, "videos", 0): item(26, 1),
        ("products", 1, "videos", 0, "name"): kv(27, 1, 27, 8),
        ("products", 1, "videos", 1): item(29, 1),
        ("products", 1, "videos", 1, "name"): kv(30, 1, 30, 8),
        ("products", 1, "videos", 1, "video_length"): kv(31, 1, 31, 16),
        ("products", 1, "videos", 1, "script_style"): kv(32, 1, 32, 16),
        ("matrix",): header(34),
        ("matrix", "language"): kv(35, 1, 35, 12),
        ("matrix", "language", 0): item(35, 13),
        ("matrix", "language", 1): item(35, 24),
    }


def test_the_spec_format_example_of_the_design_docs_is_covered() -> None:
    # The TOML example of SPEC-FORMAT.md is the head of CAMPAIGN.
    example = "\n".join(CAMPAIGN.splitlines()[:19]) + "\n"
    found = positions(example)
    assert found[("products", 0, "videos", 0, "name")] == kv(19, 1, 19, 8)
    assert len(found) == 16


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a = [1, 2", "expected ',' or ']' at line 1, column 10"),
        ("= 1\n", "expected a key at line 1, column 1"),
        ('a = { b = "x" c = 2 }\n', "expected ',' or '}' at line 1, column 15"),
        ("[t\nx = 1\n", "expected ']' at line 1, column 3"),
        ('a = "open\n', "expected a string at line 1, column 5"),
        ("a = \n", "expected a value at line 1, column 5"),
    ],
)
def test_text_that_is_not_toml_gives_a_one_line_error(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="cannot locate TOML positions") as raised:
        toml_positions(text)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
