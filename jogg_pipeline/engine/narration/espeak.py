"""The espeak-ng speech synthesiser, called through ctypes from the library espeakng-loader ships.

espeak-ng keeps its voice, parameters and synthesis state in process-wide globals, so every call
goes through one lock. Some of that state outlives a message and is never reset (wavegen's pitch
flutter index and a few other function statics), so the same text would not give the same
samples twice in one process. Each synthesis therefore runs in a freshly loaded library: a
private copy of the shared object (made once per process, so nothing else in the process can
share its globals) is opened, initialised, used and closed again; that costs a few milliseconds
and makes speech a pure function of its text and settings. The copy and the library's data are
checked once, on first use.

The library runs synchronously: `espeak_ng_Synthesize` returns when the text is spoken, having
handed the samples and the events (sentences, words, phonemes) to our callback on the calling
thread. The event records follow `espeak_EVENT` of espeak-ng 1.5x's speak_lib.h:

    typedef struct {
        espeak_EVENT_TYPE type;          // enum: int
        unsigned int unique_identifier;
        int text_position;               // characters (not bytes) from the start, 1-based
        int length;
        int audio_position;              // milliseconds
        int sample;                      // samples from the start of this message's audio
        void* user_data;
        union { int number; const char *name; char string[8]; } id;
    } espeak_EVENT;                      // 40 bytes on LP64: user_data is aligned to 8
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import os
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from jogg_pipeline.errors import PipelineError

# speak_lib.h: espeak_EVENT_TYPE.
EVENT_LIST_TERMINATED = 0
EVENT_WORD = 1
EVENT_SENTENCE = 2
EVENT_END = 5
EVENT_PHONEME = 7
_KEPT_EVENTS = (EVENT_WORD, EVENT_SENTENCE, EVENT_END, EVENT_PHONEME)

# speak_lib.h / espeak_ng.h constants.
_ENOUTPUT_MODE_SYNCHRONOUS = 0x0001
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_ENDPAUSE = 0x1000  # a sentence's pause after the last word: its sound dies away naturally
_PARAM_RATE = 1
_PARAM_VOLUME = 2
_PARAM_PITCH = 3
_PARAM_RANGE = 4
RATE_LIMITS = (80, 450)  # espeakRATE_MINIMUM, espeakRATE_MAXIMUM
_VOLUME = 100  # espeak's own full level; loudness is set afterwards, on the float samples
_BUFFER_MS = 200  # the callback's block length; fewer, larger calls than the default 60 ms
_SEED = 1  # breathy variants mix in random noise: a fixed seed makes speech repeatable


class _EventId(ctypes.Union):
    _fields_ = (
        ("number", ctypes.c_int),
        ("name", ctypes.c_char_p),
        ("string", ctypes.c_char * 8),
    )


class _Event(ctypes.Structure):
    _fields_ = (
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    )


class _Voice(ctypes.Structure):
    """speak_lib.h's espeak_VOICE, as espeak_GetCurrentVoice returns it."""

    _fields_ = (
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_char_p),  # a priority byte, then the language, ...
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    )


_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


@dataclass(frozen=True)
class Event:
    """One event of a synthesis: what happened, where in the text, and at which sample."""

    kind: int  # EVENT_WORD, EVENT_SENTENCE, EVENT_END or EVENT_PHONEME
    char_index: int  # 0-based index of a character of the text (espeak counts from 1)
    length: int  # a word's length in characters as espeak reports it (not always exact)
    sample: int  # position in `Synthesis.samples`
    milliseconds: int  # espeak's own coarser time of the event (audio_position)
    phoneme: str  # a phoneme event's IPA name; "" for a pause and for the other kinds


@dataclass(frozen=True)
class Synthesis:
    """What espeak-ng made of a text: 16-bit mono samples and its events in order."""

    samples: np.ndarray  # int16
    sample_rate: int
    events: tuple[Event, ...]
    language: str  # the language of the voice espeak used, such as "es" or "en-us"


def _declare(lib: ctypes.CDLL) -> None:
    """Argument and result types of the calls we make (ctypes would guess ints otherwise)."""
    lib.espeak_ng_InitializePath.argtypes = (ctypes.c_char_p,)
    lib.espeak_ng_InitializePath.restype = None
    lib.espeak_ng_Initialize.argtypes = (ctypes.POINTER(ctypes.c_void_p),)
    lib.espeak_ng_ClearErrorContext.argtypes = (ctypes.POINTER(ctypes.c_void_p),)
    lib.espeak_ng_ClearErrorContext.restype = None
    lib.espeak_ng_InitializeOutput.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_char_p)
    lib.espeak_ng_GetSampleRate.argtypes = ()
    lib.espeak_ng_SetPhonemeEvents.argtypes = (ctypes.c_int, ctypes.c_int)
    lib.espeak_ng_GetStatusCodeMessage.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t)
    lib.espeak_ng_GetStatusCodeMessage.restype = None
    lib.espeak_ng_SetRandSeed.argtypes = (ctypes.c_long,)
    lib.espeak_SetSynthCallback.argtypes = (_SynthCallback,)
    lib.espeak_SetSynthCallback.restype = None
    lib.espeak_ng_SetVoiceByName.argtypes = (ctypes.c_char_p,)
    lib.espeak_ng_SetParameter.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_int)
    lib.espeak_GetCurrentVoice.argtypes = ()
    lib.espeak_GetCurrentVoice.restype = ctypes.POINTER(_Voice)
    lib.espeak_ng_Synthesize.argtypes = (
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.c_uint,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_uint,
        ctypes.POINTER(ctypes.c_uint),
        ctypes.c_void_p,
    )
    lib.espeak_ng_Terminate.argtypes = ()


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name) if name else None
    except OSError:
        return None


def _remove(folder: str, owner: int) -> None:
    """Remove the private copy at exit, in the process that made it (not in a forked child)."""
    if os.getpid() == owner:
        shutil.rmtree(folder, ignore_errors=True)


def _unload(lib: ctypes.CDLL) -> None:
    """Close the library's handle: with no other handle open, its globals go with it."""
    import _ctypes

    close = getattr(_ctypes, "FreeLibrary" if sys.platform == "win32" else "dlclose")
    close(lib._handle)


class Espeak:
    """espeak-ng from `library` and its `data_dir`; `engine()` gives the process's one."""

    def __init__(self, library: str, data_dir: str) -> None:
        if not (Path(data_dir) / "phontab").is_file():
            raise PipelineError(
                f"The offline voice cannot start: no espeak-ng data in {data_dir} "
                "(reinstall espeakng-loader)"
            )
        if not Path(library).is_file():
            raise PipelineError(
                f"The offline voice cannot start: no espeak-ng library at {library} "
                "(reinstall espeakng-loader)"
            )
        self.data_dir = data_dir
        self.lock = threading.Lock()
        folder = tempfile.mkdtemp(prefix="jogg-espeak-")
        atexit.register(_remove, folder, os.getpid())
        self._library = str(Path(folder) / Path(library).name)
        shutil.copyfile(library, self._library)
        self._libc = _libc()
        self._blocks: list[np.ndarray] = []
        self._events: list[Event] = []
        self._callback = _SynthCallback(self._receive)  # lives as long as this object
        with self.lock:
            lib = self._open()
            self.sample_rate = int(lib.espeak_ng_GetSampleRate())
            self._close(lib)

    def _open(self) -> ctypes.CDLL:
        try:
            lib = ctypes.CDLL(self._library)
        except OSError as error:
            raise PipelineError(f"The offline voice cannot start: {error}") from None
        _declare(lib)
        # The ng calls report failures as statuses; espeak_Initialize would print and exit.
        lib.espeak_ng_InitializePath(self.data_dir.encode())
        context = ctypes.c_void_p()
        status = lib.espeak_ng_Initialize(ctypes.byref(context))
        lib.espeak_ng_ClearErrorContext(ctypes.byref(context))
        try:
            self._check(lib, status, "start")
            self._check(
                lib,
                lib.espeak_ng_InitializeOutput(_ENOUTPUT_MODE_SYNCHRONOUS, _BUFFER_MS, None),
                "start",
            )
            self._check(lib, lib.espeak_ng_SetPhonemeEvents(1, 1), "start")  # with IPA names
        except PipelineError:
            self._close(lib)
            raise
        lib.espeak_SetSynthCallback(self._callback)
        return lib

    @staticmethod
    def _close(lib: ctypes.CDLL) -> None:
        lib.espeak_ng_Terminate()
        _unload(lib)

    @staticmethod
    def _check(lib: ctypes.CDLL, status: int, doing: str) -> None:
        """Raise espeak-ng's own words for a failed espeak_ng_STATUS (0 is success)."""
        if status == 0:
            return
        buffer = ctypes.create_string_buffer(512)
        lib.espeak_ng_GetStatusCodeMessage(status, buffer, len(buffer))
        message = buffer.value.decode("utf-8", "replace").strip() or f"status {status:#x}"
        raise PipelineError(f"The offline voice cannot {doing}: espeak-ng says {message!r}")

    def _receive(self, wav: ctypes.Array, count: int, events: ctypes.Array) -> int:
        if wav and count > 0:
            self._blocks.append(np.ctypeslib.as_array(wav, (count,)).copy())
        index = 0
        while events and events[index].type != EVENT_LIST_TERMINATED:
            event = events[index]
            index += 1
            if event.type not in _KEPT_EVENTS:
                continue
            phoneme = ""
            if event.type == EVENT_PHONEME:
                # string[8] is zero-terminated unless the name fills all 8 bytes.
                phoneme = bytes(event.id.string).split(b"\0")[0].decode("utf-8", "ignore")
            self._events.append(
                Event(
                    kind=event.type,
                    char_index=event.text_position - 1,
                    length=event.length,
                    sample=event.sample,
                    milliseconds=event.audio_position,
                    phoneme=phoneme,
                )
            )
        return 0  # go on

    def synthesize(
        self, text: str, voice: str, *, rate: int, pitch: int, pitch_range: int
    ) -> Synthesis:
        """Speak `text` with espeak voice `voice` (such as "es+f3") at espeak `rate` (its
        nominal words a minute), base `pitch` and `pitch_range` (0-100, 50 is the voice's own)."""
        low, high = RATE_LIMITS
        settings = (
            (_PARAM_RATE, min(max(rate, low), high)),
            (_PARAM_VOLUME, _VOLUME),
            (_PARAM_PITCH, min(max(pitch, 0), 100)),
            (_PARAM_RANGE, min(max(pitch_range, 0), 100)),
        )
        encoded = text.encode("utf-8") + b"\0"
        with self.lock:
            lib = self._open()
            try:
                self._check(lib, lib.espeak_ng_SetVoiceByName(voice.encode()), f"use {voice}")
                for parameter, value in settings:
                    self._check(lib, lib.espeak_ng_SetParameter(parameter, value, 0), "set up")
                lib.espeak_ng_SetRandSeed(_SEED)
                if self._libc is not None:
                    self._libc.srand(_SEED)  # the Klatt variants draw noise from libc's rand()
                self._blocks, self._events = [], []
                status = lib.espeak_ng_Synthesize(
                    encoded, len(encoded), 0, _POS_CHARACTER, 0, _CHARS_UTF8 | _ENDPAUSE, None, None
                )
                self._check(lib, status, "speak")
                current = lib.espeak_GetCurrentVoice()
                languages = current.contents.languages if current else None
                language = languages[1:].decode("ascii", "replace") if languages else ""
                blocks, events = self._blocks, tuple(self._events)
            finally:
                self._blocks, self._events = [], []
                self._close(lib)
        samples = np.concatenate(blocks) if blocks else np.zeros(0, np.int16)
        return Synthesis(samples, self.sample_rate, events, language)


_engine: Espeak | None = None
_engine_lock = threading.Lock()


def engine() -> Espeak:
    """This process's espeak-ng, set up on first use."""
    global _engine
    with _engine_lock:
        if _engine is None:
            import espeakng_loader

            _engine = Espeak(espeakng_loader.get_library_path(), espeakng_loader.get_data_path())
        return _engine


def synthesize(text: str, voice: str, *, rate: int, pitch: int, pitch_range: int) -> Synthesis:
    """Speak `text` with this process's espeak-ng (see `Espeak.synthesize`)."""
    return engine().synthesize(text, voice, rate=rate, pitch=pitch, pitch_range=pitch_range)
