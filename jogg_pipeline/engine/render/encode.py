"""Writing the MP4: H.264 video and AAC audio through PyAV, interleaved as they are made."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from types import TracebackType

import av
import numpy as np

from jogg_pipeline.engine.render.spec import Quality

AUDIO_FRAME = 1024  # samples per AAC frame
# x264's output depends on its thread count, so it is fixed for reproducible files; two
# frame threads keep it beside the frame-drawing threads on a typical two-core worker.
ENCODER_THREADS = 2
BT709 = 1


class Mp4Writer:
    """Muxes video frames and audio samples into one faststart MP4."""

    def __init__(
        self,
        path: Path,
        size: tuple[int, int],
        fps: int,
        quality: Quality,
        sample_rate: int,
    ):
        self.container = av.open(
            str(path), mode="w", format="mp4", options={"movflags": "+faststart"}
        )
        video = self.container.add_stream("libx264", rate=fps)
        video.width, video.height = size
        video.pix_fmt = "yuv420p"
        video.codec_context.thread_count = ENCODER_THREADS
        video.codec_context.colorspace = BT709
        video.codec_context.color_primaries = BT709
        video.codec_context.color_trc = BT709
        options: dict[str, object] = {
            "preset": quality.x264_preset,
            "crf": str(quality.crf),
            "tune": "film",
        }
        if quality.x264_params:
            options["x264-params"] = quality.x264_params
        video.options = options
        self.video = video
        audio = self.container.add_stream("aac", rate=sample_rate, layout="stereo")
        audio.bit_rate = quality.audio_bitrate
        self.audio = audio
        self.sample_rate = sample_rate
        self.video_frames = 0
        self.audio_samples = 0

    def add_video(self, frame: av.VideoFrame) -> None:
        frame.pts = self.video_frames
        self.video_frames += 1
        for packet in self.video.encode(frame):
            self.container.mux(packet)

    def add_audio(self, samples: np.ndarray) -> None:
        """Append stereo float samples, shape (2, n); sent in whole AAC frames."""
        for start in range(0, samples.shape[1], AUDIO_FRAME):
            chunk = np.ascontiguousarray(samples[:, start : start + AUDIO_FRAME], dtype=np.float32)
            frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="stereo")
            frame.sample_rate = self.sample_rate
            frame.pts = self.audio_samples
            frame.time_base = Fraction(1, self.sample_rate)
            self.audio_samples += chunk.shape[1]
            for packet in self.audio.encode(frame):
                self.container.mux(packet)

    def close(self) -> None:
        for stream in (self.video, self.audio):
            for packet in stream.encode(None):
                self.container.mux(packet)
        self.container.close()

    def abort(self) -> None:
        self.container.close()

    def __enter__(self) -> Mp4Writer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()
