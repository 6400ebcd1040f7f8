# ruff: noqa: E501  (the expected messages are kept whole, as a user sees them)
"""Broken specs and exactly what a user is told about each: `LINE:COLUMN: severity: message`.

`schema` says whether the JSON Schema can reject the spec too (it cannot see syntax, files,
templates, keys derived from URLs, or duplicates)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"

HEAD = "version: 1\ncampaign: c\n"
PRODUCT = "products:\n  - url: https://shop.example.com/p/blush\n"


@dataclass(frozen=True)
class Case:
    name: str
    source: str | bytes
    expected: tuple[str, ...]
    schema: bool = False  # the JSON Schema rejects it too
    suffix: str = ".yaml"


CASES: tuple[Case, ...] = (
    Case(
        "yaml-unclosed-list",
        HEAD + "matrix:\n  language: [english, spanish\n" + PRODUCT,
        (
            "5:9: error: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 4, column 13)",
        ),
    ),
    Case(
        "yaml-tab-indent",
        HEAD + "defaults:\n\tcaption: true\n" + PRODUCT,
        ("4:1: error: YAML syntax error: tab character; indent with spaces",),
    ),
    Case(
        "yaml-duplicate-key",
        HEAD + "campaign: d\n" + PRODUCT,
        (
            "3:1: error: duplicate key 'campaign' (first at line 2); each key may appear once in a mapping",
        ),
    ),
    Case(
        "yaml-bad-indent",
        HEAD + "products:\n  - url: https://a.example/x\n   key: x\n",
        (
            "5:4: error: YAML syntax error: did not find expected '-' indicator (while parsing a block collection at line 4, column 3)",
        ),
    ),
    Case(
        "yaml-unterminated-string",
        HEAD + "products:\n  - url: 'https://a.example/x\n",
        (
            "5:1: error: YAML syntax error: found unexpected end of stream (while scanning a quoted scalar at line 4, column 10)",
        ),
    ),
    Case(
        "yaml-custom-tag",
        HEAD + "vars:\n  a: !secret x\n" + PRODUCT,
        ("4:6: error: unsupported YAML tag '!secret'",),
    ),
    Case(
        "yaml-not-a-mapping",
        "- version: 1\n",
        ("1:1: error: a spec is a mapping of keys (version, campaign, products, ...)",),
        schema=True,
    ),
    Case(
        "empty-file",
        "",
        ("1:1: error: the file is empty; a spec needs at least version, campaign and products",),
    ),
    Case(
        "only-comments",
        "# nothing here\n",
        ("1:1: error: the file has no content; a spec needs version, campaign and products",),
    ),
    Case(
        "not-utf8",
        (HEAD + "vars:\n  city: K\xf6ln\n").encode("latin-1") + PRODUCT.encode(),
        ("4:10: error: the file is not valid UTF-8 (byte 0xf6); save it with UTF-8 encoding",),
    ),
    Case(
        "toml-syntax",
        'version = 1\ncampaign = "c"\n[[products]]\nurl = "x\n',
        ("4:9: error: TOML syntax error: unexpected end of line (is a string left open?)",),
        suffix=".toml",
    ),
    Case(
        "toml-duplicate-key",
        'version = 1\ncampaign = "c"\nversion = 2\n[[products]]\nurl = "https://a.example/x"\n',
        ("3:12: error: TOML syntax error: a key or table is defined twice",),
        suffix=".toml",
    ),
    Case(
        "missing-version",
        "campaign: c\n" + PRODUCT,
        ("1:1: error: missing required key 'version'",),
        schema=True,
    ),
    Case(
        "wrong-version",
        "version: 2\ncampaign: c\n" + PRODUCT,
        ("1:10: error: unsupported spec version 2; this jogg-pipeline reads version 1",),
        schema=True,
    ),
    Case("missing-products", HEAD, ("1:1: error: missing required key 'products'",), schema=True),
    Case(
        "empty-products",
        HEAD + "products: []\n",
        ("3:11: error: products: list at least one product",),
        schema=True,
    ),
    Case(
        "products-not-a-list",
        HEAD + "products:\n  url: https://a.example/x\n",
        ("4:3: error: products: expected a list, got a mapping",),
        schema=True,
    ),
    Case(
        "bad-campaign-name",
        "version: 1\ncampaign: Spring Sale\n" + PRODUCT,
        (
            "2:11: error: campaign: 'Spring Sale' is not a valid name: use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit, e.g. 'spring-sale'",
        ),
        schema=True,
    ),
    Case(
        "unknown-top-key",
        HEAD + "defualts:\n  caption: true\n" + PRODUCT,
        ("3:1: error: unknown key 'defualts'; did you mean 'defaults'?",),
        schema=True,
    ),
    Case(
        "setting-at-top",
        HEAD + "language: spanish\n" + PRODUCT,
        ("3:1: error: unknown key 'language'; video settings go under 'defaults'",),
        schema=True,
    ),
    Case(
        "misspelt-setting",
        HEAD + "defaults:\n  langauge: spanish\n" + PRODUCT,
        ("4:3: error: unknown key 'langauge' in defaults; did you mean 'language'?",),
        schema=True,
    ),
    Case(
        "bad-language",
        HEAD + "defaults:\n  language: spansh\n" + PRODUCT,
        (
            "4:13: error: defaults.language: 'spansh' is not a valid language; did you mean 'spanish'? (one of: english, filipino, french, german, hindi, indonesian, italian, japanese, korean, malay, portuguese, russian, ...)",
        ),
        schema=True,
    ),
    Case(
        "bad-aspect-ratio",
        HEAD + "defaults:\n  aspect_ratio: portait\n" + PRODUCT,
        (
            "4:17: error: defaults.aspect_ratio: 'portait' is not a valid aspect_ratio; did you mean 'portrait'? (one of: portrait, landscape, square, 9:16, 16:9, 1:1, 0, 1, 2)",
        ),
        schema=True,
    ),
    Case(
        "bad-video-length",
        HEAD + "defaults:\n  video_length: 45\n" + PRODUCT,
        (
            "4:17: error: defaults.video_length: 45 is not a valid video_length (one of: 15, 30, 60)",
        ),
        schema=True,
    ),
    Case(
        "bad-script-style",
        HEAD + "defaults:\n  script_style: Top 5 reasons\n" + PRODUCT,
        (
            "4:17: error: defaults.script_style: 'Top 5 reasons' is not a valid script_style; did you mean 'Top 3 reasons'? (one of: Don't Worry, Discovery, Data, Top 3 reasons, Soft Selling, Humor & Meme, Feature Explainer, Soft Storytelling with Twist, Expert Advice, Unboxing & Review, Challenge, Problem/Solution, Comparison, Creative/Innovative, Emotional Appeal, Immersive Storytelling)",
        ),
        schema=True,
    ),
    Case(
        "bad-avatar-type",
        HEAD + "defaults:\n  avatar_type: private\n" + PRODUCT,
        (
            "4:16: error: defaults.avatar_type: 'private' is not a valid avatar_type (one of: public, custom, 0, 1)",
        ),
        schema=True,
    ),
    Case(
        "caption-not-bool",
        HEAD + "defaults:\n  caption: yes\n" + PRODUCT,
        ("4:12: error: defaults.caption: expected true or false, got 'yes'",),
        schema=True,
    ),
    Case(
        "avatar-id-text",
        HEAD + "defaults:\n  avatar_id: Amanda\n" + PRODUCT,
        ("4:14: error: defaults.avatar_id: expected a whole number, got 'Amanda'",),
        schema=True,
    ),
    Case(
        "style-and-template",
        HEAD + "defaults:\n  visual_style: FullScreen\n  template_id: 12\n" + PRODUCT,
        ("5:3: error: defaults: set either visual_style or template_id, not both",),
        schema=True,
    ),
    Case(
        "bad-backend",
        "version: 1\ncampaign: c\nbackend: cloud\n" + PRODUCT,
        ("3:10: error: backend: 'cloud' is not a backend (local or jogg)",),
        schema=True,
    ),
    Case(
        "product-without-url",
        HEAD + "products:\n  - key: blush\n",
        ("4:5: error: missing required key 'url' in products[0]",),
        schema=True,
    ),
    Case(
        "bad-url-scheme",
        HEAD + "products:\n  - url: ftp://files.example.com/x\n",
        (
            "4:10: error: products[0].url: unsupported URL scheme 'ftp'; use http(s) or a local file path",
        ),
    ),
    Case(
        "url-without-host",
        HEAD + "products:\n  - url: https:///products/x\n",
        ("4:10: error: products[0].url: 'https:///products/x' is not a valid URL: it has no host",),
    ),
    Case(
        "missing-local-file",
        HEAD + "products:\n  - url: pages/nowhere.html\n",
        (
            "4:10: error: products[0].url: no such file 'pages/nowhere.html' (looked for {dir}/pages/nowhere.html)",
        ),
    ),
    Case(
        "local-file-with-jogg",
        "version: 1\ncampaign: c\nbackend: jogg\nproducts:\n  - url: page.html\n",
        (
            "5:10: error: products[0].url: the local file 'page.html' works only with the local backend; the jogg backend needs a web URL",
        ),
    ),
    Case(
        "duplicate-product-keys",
        HEAD + "products:\n  - url: https://a.example/x\n    key: k\n"
        "  - url: https://a.example/y\n    key: k\n",
        ("7:10: error: products[1].key: duplicate product key 'k' (first at line 5)",),
    ),
    Case(
        "duplicate-derived-keys",
        HEAD + "products:\n  - url: https://a.example/p/blush\n  - url: https://b.example/blush\n",
        (
            "5:10: error: products[1].url: the product key 'blush' derived from this URL is taken (line 4); give the product a unique 'key'",
        ),
    ),
    Case(
        "duplicate-variant-names",
        HEAD + "products:\n  - url: https://a.example/x\n    videos:\n      - name: short\n"
        "      - name: short\n        video_length: 30\n",
        (
            "7:15: error: products[0].videos[1].name: duplicate variant name 'short' (also videos[0])",
        ),
    ),
    Case(
        "duplicate-video-ids",
        HEAD + "matrix:\n  visual_style: [Full Screen, full screen]\n"
        "products:\n  - url: https://a.example/x\n",
        ("6:5: error: duplicate video id 'x/full-screen'",),
    ),
    Case(
        "empty-videos",
        HEAD + "products:\n  - url: https://a.example/x\n    videos: []\n",
        ("5:13: error: products[0].videos: needs at least one entry",),
        schema=True,
    ),
    Case(
        "bad-matrix-key",
        HEAD + "matrix:\n  colour: [red]\n" + PRODUCT,
        (
            "4:3: error: 'colour' cannot vary in the matrix (it can vary: aspect_ratio, video_length, language, script_style, avatar_id, avatar_type, voice_id, visual_style, template_id, template_type, caption, music_id)",
        ),
        schema=True,
    ),
    Case(
        "bad-matrix-value",
        HEAD + "matrix:\n  language: [english, klingon]\n" + PRODUCT,
        (
            "4:23: error: matrix.language[1]: 'klingon' is not a valid language (one of: english, filipino, french, german, hindi, indonesian, italian, japanese, korean, malay, portuguese, russian, ...)",
        ),
        schema=True,
    ),
    Case(
        "empty-matrix-list",
        HEAD + "matrix:\n  language: []\n" + PRODUCT,
        ("4:13: error: matrix.language: needs at least one entry",),
        schema=True,
    ),
    Case(
        "matrix-duplicate-value",
        HEAD + "matrix:\n  language: [english, English]\n" + PRODUCT,
        ("4:23: error: matrix.language[1]: the matrix lists 'English' twice",),
    ),
    Case(
        "variant-sets-matrix-key",
        HEAD + "matrix:\n  language: [english, spanish]\nproducts:\n  - url: https://a.example/x\n"
        "    videos:\n      - language: german\n",
        (
            "8:9: error: products[0].videos[0].language: the matrix varies language; set it in the matrix or in the variant, not both",
        ),
    ),
    Case(
        "template-syntax",
        HEAD + "products:\n  - url: https://a.example/x\n    overrides:\n"
        "      name: '{{ product.name }'\n",
        ("6:13: error: products[0].overrides.name: template syntax error: unexpected '}'",),
    ),
    Case(
        "template-undefined-var",
        HEAD + "vars:\n  discount: 20\nproducts:\n  - url: https://a.example/x\n    overrides:\n"
        "      name: '{{ product.name }} {{ vars.discont }}% off'\n",
        (
            "8:13: error: products[0].overrides.name: template uses undefined var 'discont'; did you mean 'discount'? (vars: discount)",
        ),
    ),
    Case(
        "template-undefined-name",
        HEAD + "products:\n  - url: https://a.example/x\n    overrides:\n"
        "      name: '{{ prodcut.name }}'\n",
        (
            "6:13: error: products[0].overrides.name: template uses undefined name 'prodcut'; did you mean 'product'? (known: product, vars, campaign, key, url)",
        ),
    ),
    Case(
        "template-video-in-override",
        HEAD + "products:\n  - url: https://a.example/x\n    overrides:\n"
        "      name: '{{ video.language }}'\n",
        (
            "6:13: error: products[0].overrides.name: 'video' is not available here; it is known in override_script and video_name",
        ),
    ),
    Case(
        "template-unknown-video-field",
        HEAD + "defaults:\n  video_name: '{{ video.lenght }}'\n" + PRODUCT,
        ("4:15: error: defaults.video_name: template uses unknown video setting 'lenght'",),
    ),
    Case(
        "secret-key",
        HEAD + "api_key: 0123456789abcdef\n" + PRODUCT,
        (
            "3:1: error: api_key: 'api_key' looks like a secret; a spec never holds secrets: the API key comes from JOGG_API_KEY or --api-key-file",
        ),
        schema=True,
    ),
    Case(
        "secret-in-vars",
        HEAD + "vars:\n  jogg_api_key: abc\n" + PRODUCT,
        (
            "4:3: error: vars.jogg_api_key: 'jogg_api_key' looks like a secret; a spec never holds secrets: the API key comes from JOGG_API_KEY or --api-key-file",
        ),
    ),
    Case(
        "secret-value",
        HEAD + "vars:\n  header: Bearer abcdefghijklmnop\n" + PRODUCT,
        (
            "4:3: error: vars.header: this value looks like an API token; a spec never holds secrets: the API key comes from JOGG_API_KEY or --api-key-file",
        ),
    ),
    Case(
        "bad-media-type",
        HEAD + "products:\n  - url: https://a.example/x\n    overrides:\n"
        "      media:\n        - type: 3\n          url: https://a.example/i.jpg\n",
        (
            "7:17: error: products[0].overrides.media[0].type: media type must be 1 (image) or 2 (video)",
        ),
        schema=True,
    ),
    Case(
        "unknown-override",
        HEAD + "products:\n  - url: https://a.example/x\n    overrides:\n      title: New name\n",
        ("6:7: error: unknown key 'title' in products[0].overrides",),
        schema=True,
    ),
    Case(
        "bad-toml-value",
        'version = 1\ncampaign = "c"\n[defaults]\nlanguage = "klingon"\n'
        '[[products]]\nurl = "https://a.example/x"\n',
        (
            "4:12: error: defaults.language: 'klingon' is not a valid language (one of: english, filipino, french, german, hindi, indonesian, italian, japanese, korean, malay, portuguese, russian, ...)",
        ),
        schema=True,
        suffix=".toml",
    ),
    Case(
        "toml-unknown-key",
        'version = 1\ncampaign = "c"\n[[products]]\nurl = "https://a.example/x"\nkye = "x"\n',
        ("5:1: error: unknown key 'kye' in products[0]; did you mean 'key'?",),
        schema=True,
        suffix=".toml",
    ),
    Case(
        "many-problems",
        HEAD + "defaults:\n  language: spansh\n  caption: 1\nproducts:\n"
        "  - url: https://a.example/x\n    colour: red\n  - key: y\n",
        (
            "4:13: error: defaults.language: 'spansh' is not a valid language; did you mean 'spanish'? (one of: english, filipino, french, german, hindi, indonesian, italian, japanese, korean, malay, portuguese, russian, ...)",
            "5:12: error: defaults.caption: expected true or false, got the number 1",
            "8:5: error: unknown key 'colour' in products[0]",
            "9:5: error: missing required key 'url' in products[1]",
        ),
        schema=True,
    ),
)
