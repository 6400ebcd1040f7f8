"""Speaking a script: espeak-ng's samples made broadcast-clean, with word and mouth timings.

`speak` turns text into a `Speech` (timing.py): the voice's samples at the video's sample rate
and, for every spoken word, when it is heard and where it is in the text; for the presenter,
the mouth shape (viseme) at every moment. `fit_to` finds the pace at which a script fits a
length, within natural pacing.

The sound is shaped after synthesis, on the whole narration at once: a short extra pause
between sentences (espeak's own pauses stay), the silence before and after trimmed, DC and
rumble removed (high-pass), the buzzy top of espeak's formant synthesis rolled off (a shelf
over the sibilant band and a low-pass), resampled without aliasing (all in one zero-phase FFT
filter), then normalised to `TARGET_LUFS` integrated loudness (ITU-R BS.1770's K-weighting and
gating) with peaks held under `PEAK_DBFS` by a smooth limiter, and faded in and out.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from jogg_pipeline.engine.narration import espeak
from jogg_pipeline.engine.narration.espeak import EVENT_PHONEME, EVENT_SENTENCE, EVENT_WORD
from jogg_pipeline.engine.narration.timing import Speech, TimedWord, Viseme
from jogg_pipeline.engine.narration.voices import LocalVoice
from jogg_pipeline.errors import UsageError

TARGET_LUFS = -16.0  # online speech's usual level (podcasts, social video); mono
PEAK_DBFS = -1.0  # sample peak ceiling, room for lossy encoders' overshoot
NATURAL_WPM = (130.0, 190.0)  # the paces `fit_to` may choose from
WPM_LIMITS = (90.0, 400.0)  # espeak-ng speaks 80 to 450 of its words a minute
SAMPLE_RATE_LIMITS = (8_000, 192_000)

SENTENCE_GAP = 0.18  # seconds of silence added between sentences, after espeak's own pause
_LEAD = 0.03  # seconds kept before the first sound and after the last, under the fades
_TAIL = 0.08
_FADE = 0.01
_SILENCE = 10 ** (-60 / 20)  # what counts as sound when trimming, re full scale
_MIN_PAUSE = 0.06  # a pause shorter than this inside a word does not end it
# espeak's rate setting per word a minute heard: at its nominal rate R, English narration with
# this module's pauses is heard at 1.08-1.12 R words a minute (pauses and gaps included).
_ESPEAK_RATE_PER_WPM = 0.91

# The tone shaping, applied as one zero-phase magnitude response (see `_response`).
_HIGH_PASS_HZ = 80.0
_SHELF_HZ = 4500.0
_SHELF_DB = -4.0
_LOW_PASS_HZ = 8000.0


@dataclass(frozen=True)
class Fitted:
    """A script spoken to fit a length, or as near as natural pacing allows."""

    speech: Speech
    words_per_minute: float
    fits: bool
    note: str | None  # one sentence when it does not fit


def speak(
    text: str, voice: LocalVoice, *, words_per_minute: float = 160, sample_rate: int = 48000
) -> Speech:
    """`text` spoken by `voice` at `words_per_minute`, as mono float samples at `sample_rate`."""
    low, high = WPM_LIMITS
    if not low <= words_per_minute <= high:
        raise UsageError(
            f"words_per_minute must be between {low:g} and {high:g}; got {words_per_minute:g}"
        )
    low_rate, high_rate = SAMPLE_RATE_LIMITS
    if not low_rate <= sample_rate <= high_rate:
        raise UsageError(
            f"sample_rate must be between {low_rate} and {high_rate} Hz; got {sample_rate}"
        )
    synthesis = espeak.synthesize(
        text,
        voice.espeak_voice,
        rate=round(words_per_minute * _ESPEAK_RATE_PER_WPM),
        pitch=voice.pitch,
        pitch_range=voice.pitch_range,
    )
    raw = synthesis.samples.astype(np.float64) / 32768.0
    rate = synthesis.sample_rate
    raw, shift = _add_sentence_gaps(raw, synthesis.events, round(SENTENCE_GAP * rate))
    sound = np.flatnonzero(np.abs(raw) > _SILENCE)
    if not len(sound):
        return Speech(text, np.zeros(0, np.float32), sample_rate, (), ())
    # From a little before the first sound to a little after the last, silence added where
    # espeak's audio starts or ends closer than that (it starts a word at its first sample).
    start = int(sound[0]) - round(_LEAD * rate)
    stop = int(sound[-1]) + 1 + round(_TAIL * rate)
    clip = np.concatenate(
        [np.zeros(max(0, -start)), raw[max(0, start) : stop], np.zeros(max(0, stop - len(raw)))]
    )
    samples = _master(clip, rate, sample_rate)
    duration = len(samples) / sample_rate
    voiced_end = min(duration, (int(sound[-1]) + 1 - start) / rate)

    def seconds(sample: int) -> float:
        return min(max((shift(sample) - start) / rate, 0.0), duration)

    words = _words(text, synthesis.events, seconds, voiced_end)
    visemes = _visemes(synthesis.events, seconds, duration)
    return Speech(text, samples, sample_rate, words, visemes)


def fit_to(
    text: str,
    voice: LocalVoice,
    seconds: float,
    *,
    words_per_minute: float = 160,
    sample_rate: int = 48000,
) -> Fitted:
    """`text` spoken to last at most `seconds`: at `words_per_minute` if it fits, else at the
    slowest natural pace that does (within a tenth of a second); when even the fastest
    natural pace (`NATURAL_WPM`) is too slow, at that pace, with a note saying so."""
    if seconds <= 0:
        raise UsageError(f"a narration must last more than 0 seconds; got {seconds:g}")
    slowest, fastest = NATURAL_WPM
    spoken: dict[float, Speech] = {}

    def at(pace: float) -> Speech:
        if pace not in spoken:
            spoken[pace] = speak(text, voice, words_per_minute=pace, sample_rate=sample_rate)
        return spoken[pace]

    pace = min(max(words_per_minute, slowest), fastest)
    if at(pace).duration <= seconds:
        return Fitted(at(pace), pace, True, None)
    if at(fastest).duration > seconds:
        note = (
            f"The narration lasts {at(fastest).duration:.1f} s even at {fastest:g} words a "
            f"minute, longer than the {seconds:g} s it must fit: shorten the script."
        )
        return Fitted(at(fastest), fastest, False, note)
    # `low` is too slow, `high` fits; duration falls smoothly with pace, so interpolate.
    low, high = pace, fastest
    for _ in range(8):
        if high - low <= 0.5 or seconds - at(high).duration <= 0.1:
            break
        slow, fast = at(low).duration, at(high).duration
        guess = round(low + (high - low) * (slow - seconds) / (slow - fast), 1)
        guess = min(max(guess, low + 0.2), high - 0.2)
        if at(guess).duration <= seconds:
            high = guess
        else:
            low = guess
    return Fitted(at(high), high, True, None)


# -- sound ---------------------------------------------------------------------------------


def _add_sentence_gaps(
    raw: np.ndarray, events: tuple[espeak.Event, ...], gap: int
) -> tuple[np.ndarray, Callable[[int], int]]:
    """`raw` with `gap` samples of silence before each sentence after the first, put at the
    quietest point of espeak's own pause there (its sentence event comes at the pause's end,
    as the next sound starts), and the map of espeak's sample positions into the result."""
    points = sorted(
        {
            _quietest(raw, events, event.sample)
            for event in events
            if event.kind == EVENT_SENTENCE and 0 < event.sample < len(raw)
        }
    )
    if not points or gap <= 0:
        return raw, lambda sample: sample
    pieces, previous = [], 0
    for point in points:
        pieces += [raw[previous:point], np.zeros(gap)]
        previous = point
    pieces.append(raw[previous:])
    positions = np.asarray(points)

    def shift(sample: int) -> int:
        return sample + gap * int(np.searchsorted(positions, sample, side="right"))

    return np.concatenate(pieces), shift


def _quietest(raw: np.ndarray, events: tuple[espeak.Event, ...], sentence: int) -> int:
    """The quietest sample (over 5 ms) between the last sound before `sentence` (a sample
    where a sentence starts) and it: inside espeak's pause there, if it made one."""
    begin, in_pause = 0, False
    for event in events:
        if event.kind != EVENT_PHONEME or event.sample >= sentence or _is_marker(event.phoneme):
            continue
        if event.phoneme:
            begin, in_pause = event.sample, False
        elif not in_pause:
            begin, in_pause = event.sample, True
    window = np.abs(raw[begin:sentence])
    width = min(len(window), 110)
    if width < 2:
        return sentence
    level = np.convolve(window, np.ones(width), "valid")
    return begin + int(np.argmin(level)) + width // 2


def _master(raw: np.ndarray, rate: int, sample_rate: int) -> np.ndarray:
    """Filtered, resampled, loudness-normalised, limited and faded float32 samples (single
    precision from the resampling on: ample for audio, half the memory of a long narration)."""
    out = _filter_and_resample(raw - raw.mean(), rate, sample_rate).astype(np.float32)
    out *= 10 ** ((TARGET_LUFS - loudness(out, sample_rate)) / 20)
    ceiling = 10 ** ((PEAK_DBFS - 0.05) / 20)  # a little under, for rounding
    out = _limit(out, ceiling, sample_rate)
    for _ in range(2):  # limiting lowers the loudness a little: make it up, limit again
        error = TARGET_LUFS - loudness(out, sample_rate)
        if abs(error) < 0.05:
            break
        out *= 10 ** (error / 20)
        out = _limit(out, ceiling, sample_rate)
    fade = min(round(_FADE * sample_rate), len(out) // 2)
    if fade:
        ramp = (0.5 - 0.5 * np.cos(np.linspace(0, np.pi, fade))).astype(np.float32)
        out[:fade] *= ramp
        out[-fade:] *= ramp[::-1]
    return np.clip(out, -ceiling, ceiling, out=out)


def _response(freqs: np.ndarray, nyquist: float) -> np.ndarray:
    """The tone shaping's magnitude: 2nd-order Butterworth high-pass, a 1st-order high shelf
    and a 2nd-order Butterworth low-pass (lower when the output's Nyquist frequency is), as
    magnitudes, applied with zero phase."""
    f = np.maximum(freqs, 1e-9)
    high_pass = 1 / np.sqrt(1 + (_HIGH_PASS_HZ / f) ** 4)
    low_pass = 1 / np.sqrt(1 + (f / min(_LOW_PASS_HZ, 0.8 * nyquist)) ** 4)
    floor = 10 ** (_SHELF_DB / 20)
    ratio = (f / _SHELF_HZ) ** 2
    shelf = np.sqrt((1 + ratio * floor**2) / (1 + ratio))
    return high_pass * shelf * low_pass


def _filter_and_resample(x: np.ndarray, rate: int, sample_rate: int) -> np.ndarray:
    """Tone shaping and band-limited resampling in one FFT. The signal is padded with silence
    to a length whose resampled length is whole, so every output sample falls exactly on the
    input's time grid (k / sample_rate seconds) and nothing wraps around."""
    step = rate // math.gcd(rate, sample_rate)
    pad = step * math.ceil(0.05 * rate / step)  # whole output samples too
    n = _smooth_size(-(-(len(x) + 2 * pad) // step)) * step
    m = n * sample_rate // rate
    spectrum = np.fft.rfft(np.concatenate([np.zeros(pad), x]), n)
    spectrum *= _response(np.fft.rfftfreq(n, 1 / rate), min(rate, sample_rate) / 2)
    out_bins = m // 2 + 1
    resized = np.zeros(out_bins, complex)
    keep = min(out_bins, len(spectrum))
    resized[:keep] = spectrum[:keep]
    if keep == len(spectrum) and n % 2 == 0 and keep < out_bins:
        resized[keep - 1] *= 0.5  # the old Nyquist bin is now a pair of bins: halve it
    out = np.fft.irfft(resized, m) * (m / n)
    first = pad * sample_rate // rate
    return out[first : first + round(len(x) * sample_rate / rate)]


def _smooth_size(n: int) -> int:
    """The least length at least `n` with no prime factor above 5: FFTs of it are fast."""
    best = 1 << max(0, (n - 1).bit_length())
    five = 1
    while five < best:
        three = five
        while three < best:
            size = three << max(0, (-(-n // three) - 1).bit_length())
            best = min(best, size)
            three *= 3
        five *= 5
    return best


def _biquad_magnitude(
    b: tuple[float, float, float], a: tuple[float, float, float], cos1: np.ndarray, cos2: np.ndarray
) -> np.ndarray:
    """|B/A| on the unit circle, from the cosines of one and two times each bin's angle:
    |c0 + c1 z + c2 z²|² = c0² + c1² + c2² + 2 (c0 c1 + c1 c2) cos w + 2 c0 c2 cos 2w."""

    def power(c: tuple[float, float, float]) -> np.ndarray:
        linear, square = 2 * (c[0] * c[1] + c[1] * c[2]), 2 * c[0] * c[2]
        return (c[0] ** 2 + c[1] ** 2 + c[2] ** 2) + linear * cos1 + square * cos2

    # A zero of B on the circle (the high-pass at 0 Hz) can round to a hair under zero.
    return np.sqrt(np.maximum(power(b), 0.0) / power(a))


def _k_weighting(freqs: np.ndarray, rate: int) -> np.ndarray:
    """The magnitude of BS.1770's K-weighting at `rate`: its two biquads (a +4 dB high shelf
    at 1682 Hz, a high-pass at 38 Hz) from their analogue parameters, as pyloudnorm and
    libebur128 derive them for any rate (at 48 kHz they are the standard's coefficients)."""
    angle = 2 * np.pi * freqs / rate
    cos1, cos2 = np.cos(angle), np.cos(2 * angle)
    del angle
    w0 = 2 * np.pi * 1681.974450955533 / rate
    gain = 10 ** (3.999843853973347 / 40)
    alpha = np.sin(w0) / (2 * 0.7071752369554196)
    cos, root = np.cos(w0), 2 * np.sqrt(gain) * alpha
    shelf = _biquad_magnitude(
        (
            gain * ((gain + 1) + (gain - 1) * cos + root),
            -2 * gain * ((gain - 1) + (gain + 1) * cos),
            gain * ((gain + 1) + (gain - 1) * cos - root),
        ),
        (
            (gain + 1) - (gain - 1) * cos + root,
            2 * ((gain - 1) - (gain + 1) * cos),
            (gain + 1) - (gain - 1) * cos - root,
        ),
        cos1,
        cos2,
    )
    w0 = 2 * np.pi * 38.13547087602444 / rate
    alpha = np.sin(w0) / (2 * 0.5003270373238773)
    cos = np.cos(w0)
    high_pass = _biquad_magnitude(
        ((1 + cos) / 2, -(1 + cos), (1 + cos) / 2), (1 + alpha, -2 * cos, 1 - alpha), cos1, cos2
    )
    return shelf * high_pass


@lru_cache(maxsize=1)
def _k_weights(size: int, rate: int) -> np.ndarray:
    """`_k_weighting` on the bins of an FFT of `size` (the same few sizes recur while one
    narration is normalised)."""
    return _k_weighting(np.fft.rfftfreq(size, 1 / rate), rate).astype(np.float32)


def loudness(samples: np.ndarray, sample_rate: int) -> float:
    """Integrated loudness in LUFS (mono): K-weighted 400 ms blocks overlapping by 75 %,
    gated at -70 LUFS and then 10 LU under the ungated mean, as ITU-R BS.1770-4 does.
    A narration shorter than one block is measured as one block."""
    if not len(samples):
        return -70.0
    n = len(samples)
    size = _smooth_size(n + round(0.05 * sample_rate))  # room for the filter's tails
    spectrum = np.fft.rfft(samples, size)
    spectrum *= _k_weights(size, sample_rate)
    weighted = np.fft.irfft(spectrum, size)[:n]
    del spectrum
    hop = round(0.1 * sample_rate)
    if n < 4 * hop:
        means = np.array([np.square(weighted).mean(dtype=np.float64)])
    else:
        # Blocks start every 100 ms and last four of those: sum the power per 100 ms once.
        hops = n // hop
        power = np.square(weighted[: hops * hop]).reshape(hops, hop).sum(axis=1, dtype=np.float64)
        means = (power[:-3] + power[1:-2] + power[2:-1] + power[3:]) / (4 * hop)
    levels = -0.691 + 10 * np.log10(np.maximum(means, 1e-20))
    gated = means[levels > -70]
    if not len(gated):
        return -70.0
    relative = -0.691 + 10 * np.log10(gated.mean()) - 10
    gated = gated[-0.691 + 10 * np.log10(gated) > relative]
    return float(-0.691 + 10 * np.log10(gated.mean()))


def _running_min(values: np.ndarray, width: int) -> np.ndarray:
    """The minimum over the `width` values centred on each one (van Herk / Gil-Werman: the
    window is the end of one block of `width` and the start of the next)."""
    if width <= 1:
        return values.copy()
    blocks = -(-(len(values) + 2 * width) // width)
    padded = np.full(blocks * width, np.inf)
    padded[width // 2 : width // 2 + len(values)] = values
    grid = padded.reshape(blocks, width)
    prefix = np.minimum.accumulate(grid, axis=1).reshape(-1)
    suffix = np.minimum.accumulate(grid[:, ::-1], axis=1)[:, ::-1].reshape(-1)
    return np.minimum(suffix[: len(values)], prefix[width - 1 : width - 1 + len(values)])


def _limit(x: np.ndarray, ceiling: float, sample_rate: int) -> np.ndarray:
    """Peaks held under `ceiling` by a smooth gain, worked out on 1 ms blocks: each block's
    needed gain, its minimum over the blocks within 6 ms, smoothed twice by a moving mean
    reaching no more than 5 ms either way, then interpolated between block centres. Every
    value averaged for a sample is a minimum over a window holding the sample's block, so the
    gain is at most what the sample needs and no peak passes; and it moves over milliseconds,
    not samples, so it cannot click."""
    peaks = np.abs(x)
    if peaks.max() <= ceiling:
        return x
    step = max(1, round(0.001 * sample_rate))
    count = -(-len(x) // step)
    blocks = np.zeros(count * step, x.dtype)
    blocks[: len(x)] = peaks
    del peaks
    need = np.minimum(1.0, ceiling / np.maximum(blocks.reshape(count, step).max(axis=1), 1e-12))
    reach = 5  # blocks
    smooth = _mean_around(_mean_around(_running_min(need, 2 * reach + 3), reach // 2), reach // 2)
    centres = (np.arange(count) + 0.5) * step - 0.5
    return x * np.interp(np.arange(len(x)), centres, smooth).astype(x.dtype)


def _mean_around(values: np.ndarray, side: int) -> np.ndarray:
    """The mean of the values within `side` of each one (the end values repeated beyond the
    ends, so no mean there exceeds what the end needs)."""
    width = 2 * side + 1
    padded = np.pad(values, side, mode="edge")
    sums = np.concatenate([[0.0], np.cumsum(padded)])
    return (sums[width:] - sums[:-width]) / width


# -- words -----------------------------------------------------------------------------------

# Scripts written without spaces between words: espeak's word starts are the only cuts there.
_UNSPACED_SCRIPTS = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # half-width Katakana
)
_KEPT_SYMBOLS = "%‰‱#&@"  # read aloud, so part of the word they touch
_JOINERS = "-‐'’"  # inside a word: "e-mail", "don't"


def _unspaced(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _UNSPACED_SCRIPTS)


def _punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P") and char not in _KEPT_SYMBOLS


def _cannot_start(char: str) -> bool:
    """A mark or a dependent vowel, which belongs to the letter before it (Thai า, Hindi ा)."""
    thai_dependent = "\u0e30" <= char <= "\u0e3a" or "\u0e45" <= char <= "\u0e4e"
    return thai_dependent or unicodedata.category(char) in ("Mn", "Mc", "Me")


def _word_start(text: str, index: int) -> int:
    """espeak's start of a word, moved past marks that cannot start one (its positions in
    Thai can be a character early)."""
    while index + 1 < len(text) and _cannot_start(text[index]):
        index += 1
    return index


def _cuts(text: str, index: int) -> bool:
    """Whether espeak starting a word at `index`, inside a run of non-space characters, makes
    a new written word: in unspaced scripts, and after punctuation ("word—word"), but not
    inside "e-mail", "don't" or a number such as 1,299.99."""
    before, here = text[index - 1], text[index]
    if _unspaced(before) or _unspaced(here):
        return True
    if not _punctuation(before) or before in _JOINERS:
        return False
    return not (index >= 2 and text[index - 2].isdigit() and here.isdigit())


def _pieces(text: str, starts: set[int]) -> list[tuple[int, int, int, int]]:
    """The written words of `text`: runs of non-space characters, cut where espeak starts a
    word inside one (see `_cuts`), as (run start, run end, word start, word end): the
    word is the run without the punctuation at its ends. Punctuation-only runs are dropped."""
    pieces: list[tuple[int, int, int, int]] = []
    index, length = 0, len(text)
    while index < length:
        if text[index].isspace():
            index += 1
            continue
        end = index
        while end < length and not text[end].isspace():
            end += 1
        cuts = [c for c in range(index + 1, end) if c in starts and _cuts(text, c)]
        bounds = [index, *cuts, end]
        for left, right in itertools.pairwise(bounds):
            word_left, word_right = left, right
            while word_left < word_right and _punctuation(text[word_left]):
                word_left += 1
            while word_right > word_left and _punctuation(text[word_right - 1]):
                word_right -= 1
            if word_left < word_right:
                pieces.append((left, right, word_left, word_right))
        index = end
    return pieces


def _words(
    text: str,
    events: tuple[espeak.Event, ...],
    seconds: Callable[[int], float],
    voiced_end: float,
) -> tuple[TimedWord, ...]:
    """A TimedWord per written word of `text` that espeak spoke.

    espeak says where in the text each word it speaks starts, and when; its word lengths are
    not reliable, so a word's span comes from the text. A written word espeak spoke as part
    of the one before (an abbreviation run into the next word) shares that one's time, split
    by length. A word ends where the next starts, or where a pause starts before that."""
    starts: dict[int, float] = {}
    for event in events:
        if event.kind == EVENT_WORD and 0 <= event.char_index < len(text):
            starts.setdefault(_word_start(text, event.char_index), seconds(event.sample))
    groups: list[tuple[float, list[tuple[int, int]]]] = []
    for left, right, word_left, word_right in _pieces(text, set(starts)):
        heard = [starts[c] for c in range(left, right) if c in starts]
        if heard:
            begin = max(min(heard), groups[-1][0] if groups else 0.0)
            groups.append((begin, [(word_left, word_right)]))
        elif groups:
            groups[-1][1].append((word_left, word_right))
        # A word before anything espeak spoke (symbols it skips) is not heard: left out.
    pauses = _pauses(events, seconds)
    timed: list[TimedWord] = []
    for number, (start, members) in enumerate(groups):
        following = groups[number + 1][0] if number + 1 < len(groups) else voiced_end
        following = max(following, start)
        end = min(following, _pause_after(pauses, start, following))
        total = sum(right - left for left, right in members)
        cursor = start
        for left, right in members:
            share = (end - start) * (right - left) / total
            timed.append(TimedWord(text[left:right], cursor, min(cursor + share, end), left, right))
            cursor += share
    return tuple(timed)


def _pauses(events: tuple[espeak.Event, ...], seconds: Callable[[int], float]) -> list[float]:
    """Start times of the pauses espeak made (pause phonemes lasting `_MIN_PAUSE` or more)."""
    phonemes = [
        (seconds(event.sample), event.phoneme)
        for event in events
        if event.kind == EVENT_PHONEME and not _is_marker(event.phoneme)
    ]
    ends = [time for time, _ in phonemes[1:]] + [math.inf]
    return [
        time
        for (time, name), end in zip(phonemes, ends, strict=True)
        if name == "" and end - time >= _MIN_PAUSE
    ]


def _pause_after(pauses: list[float], start: float, limit: float) -> float:
    """The first pause strictly after `start` and before `limit`, else `limit`."""
    return next((pause for pause in pauses if start < pause < limit), limit)


def _is_marker(phoneme: str) -> bool:
    """A language switch such as "(en)", which espeak reports among the phonemes."""
    return phoneme.startswith("(") and phoneme.endswith(")")


# -- mouth shapes ----------------------------------------------------------------------------

_CLOSED = set("pbmɓʙ")
_TEETH = set("fvɱʋθð")
_ROUND_CONSONANTS = set("wʍɥ")
_ROUND_VOWELS = set("oɔuʊɒøœɵʉyʏɞ")
_WIDE_VOWELS = set("iɪeɛɨɯ")
_OPEN_VOWELS = set("aɑɐæəʌɜɚɝɶɘɤ")


def _shape(phoneme: str) -> str | None:
    """The viseme of an IPA phoneme name: "rest" for a pause, None for a consonant that shows
    no shape of its own (it takes its neighbouring vowel's)."""
    base = "".join(
        char
        for char in unicodedata.normalize("NFD", phoneme)
        if not unicodedata.category(char).startswith(("M", "Lm", "Sk")) and char not in "ˈˌːˑ"
    )
    if not base:
        return "rest"
    first = base[0]
    if first in _CLOSED:
        return "closed"
    if first in _TEETH:
        return "teeth"
    if first in _ROUND_CONSONANTS:
        return "round"
    for char in base:  # a vowel, or a diphthong: its first vowel decides
        if char in _ROUND_VOWELS:
            return "round"
        if char in _WIDE_VOWELS:
            return "wide"
        if char in _OPEN_VOWELS:
            return "open"
    return None


def _visemes(
    events: tuple[espeak.Event, ...], seconds: Callable[[int], float], duration: float
) -> tuple[Viseme, ...]:
    """Mouth shapes covering [0, duration] without gaps, one run per shape."""
    timeline: list[tuple[float, str | None]] = [(0.0, "rest")]
    for event in events:
        if event.kind == EVENT_PHONEME and not _is_marker(event.phoneme):
            timeline.append((seconds(event.sample), _shape(event.phoneme)))
    # A consonant without a shape of its own takes the next shape's (the lips move ahead to
    # it), else the previous one's, within the same stretch of speech; else "open".
    ahead: list[str] = []
    following = "rest"
    for _, shape in reversed(timeline):
        ahead.append(following)
        following = shape or following
    ahead.reverse()
    shapes: list[str] = []
    for (_, shape), next_shape in zip(timeline, ahead, strict=True):
        if shape is None:
            behind = shapes[-1] if shapes else "rest"
            shape = next((s for s in (next_shape, behind) if s != "rest"), "open")
        shapes.append(shape)
    visemes: list[Viseme] = []
    for index, ((start, _), shape) in enumerate(zip(timeline, shapes, strict=True)):
        end = timeline[index + 1][0] if index + 1 < len(timeline) else duration
        if end <= start:
            continue
        if visemes and visemes[-1].shape == shape:
            visemes[-1] = Viseme(shape, visemes[-1].start, end)
        else:
            visemes.append(Viseme(shape, start, end))
    if visemes and visemes[-1].end < duration:
        visemes[-1] = Viseme(visemes[-1].shape, visemes[-1].start, duration)
    return tuple(visemes)
