"""The sound track of a video: a bed from the music library, with the narration on top.

`music_id` picks the bed (music.py): None means the default bed, `NO_MUSIC` (0) no music, and
an id outside the library the default bed (the engine warns about it when the video is
created). The voice, if any, is mono float32 at the same sample rate, no longer than the
video, silent after its end; the music is ducked under it and the whole brought to a set
loudness (mix.py).
"""

from __future__ import annotations

import numpy as np

from jogg_pipeline.engine.render.loudness import db_to_gain
from jogg_pipeline.engine.render.mix import PEAK_CEILING_DBFS, mix
from jogg_pipeline.engine.render.music import music_bed, resolve_music

SAMPLE_RATE = 48_000
PEAK = db_to_gain(PEAK_CEILING_DBFS)  # no sample of a sound track is louder than this


def soundtrack(
    duration: float,
    sample_rate: int = SAMPLE_RATE,
    seed: int = 0,
    *,
    music_id: int | None = None,
    voice: np.ndarray | None = None,
) -> np.ndarray:
    """The full mix of a video, shape (2, round(duration * sample_rate)) float32, never
    clipping."""
    bed = resolve_music(music_id)
    if bed is None:
        music = np.zeros((2, round(duration * sample_rate)), np.float32)
    else:
        music = music_bed(bed.id, duration, sample_rate, seed)
    return mix(music, voice, sample_rate=sample_rate, in_place=True)
