"""The limits a spec and its templates must keep, in one place.

Each is far beyond what a campaign needs and far below what would exhaust the machine, so a
small hostile file fails at once, with its position, instead of eating memory or hanging the
CI gate. The API documents no lengths of its own; the field limits below are ours.
"""

from __future__ import annotations

# --- the spec file ----------------------------------------------------------------------------

# A spec of thousands of products is a few hundred kilobytes.
MAX_SPEC_BYTES = 2 * 1024 * 1024
# Lists in lists in mappings: a spec needs five or six levels.
MAX_NESTING_DEPTH = 64
# YAML aliases (`*name`): each may repeat a whole subtree, so both their number and the size of
# the data they stand for are bounded (a "billion laughs" is a few hundred bytes).
MAX_YAML_ALIASES = 1_000
MAX_YAML_EXPANDED_NODES = 100_000
# The parts of one dotted TOML key or table header (`a.b.c` has three).
MAX_TOML_KEY_PARTS = 64
# Digits of an integer: no setting needs more than an id's 20.
MAX_INTEGER_DIGITS = 100

# --- fields -----------------------------------------------------------------------------------

# Any string in a spec (vars, URLs, overrides), before rendering.
MAX_FIELD_CHARS = 20_000
# Rendered fields sent to the API: a 60-second script is about 1,000 characters.
MAX_SCRIPT_CHARS = 20_000
MAX_VIDEO_NAME_CHARS = 200
# The videos a spec may expand to, unless the spec raises it with `max_videos`.
DEFAULT_MAX_VIDEOS = 10_000
# What `max_videos` itself may say.
MAX_VIDEOS_CEILING = 1_000_000

# --- templates --------------------------------------------------------------------------------

# Loop iterations and calls in one rendering of one template.
MAX_TEMPLATE_STEPS = 10_000
# What a rendered template may be: a script, a name, a product description.
MAX_RENDERED_CHARS = 50_000
# Characters one rendering may produce, counting what macros and blocks produce on the way.
MAX_TEMPLATE_CHARS = 1_000_000
# Items of a range or a repeated list (a repeated string counts against MAX_TEMPLATE_CHARS).
MAX_TEMPLATE_SEQUENCE = 10_000
# Widths and paddings (center, indent, format's `%10s`): a line of text is under a hundred.
MAX_TEMPLATE_WIDTH = 1_000
# Exponents: `10**9` is fine, `10**10**9` is not.
MAX_TEMPLATE_INT_BITS = 256
