"""The local engine's narration: a script written from the product, spoken offline, timed."""
