"""The narration script: what the voice says, written from the product in a script style
and a language, sized to the video's length. Pure and deterministic: no network, no clock,
no randomness.

    script = write_script(facts, style="Top 3 reasons", language="spanish", seconds=15.0)
    script.text, script.sentences, script.language, script.notes
"""

from jogg_pipeline.engine.narration.script.compose import SCRIPT_LANGUAGES, write_script
from jogg_pipeline.engine.narration.script.model import ProductFacts, Script

__all__ = ["SCRIPT_LANGUAGES", "ProductFacts", "Script", "write_script"]
