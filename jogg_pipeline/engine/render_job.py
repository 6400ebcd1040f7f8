"""The render job: everything one project's video is made of, decided when the project is made.

A job is stored as JSON with its project (store.py), survives the engine in its queue (jobs.py)
and is sent as JSON to a worker process (workers.py), which renders it and fetches nothing.
Fields were added as the engine grew; a job stored by an older engine lacks them and reads with
their defaults, which render it as that engine did, so a queue survives an upgrade.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, ValidationError

from jogg_pipeline.errors import PipelineError


class UnreadableRenderJob(PipelineError):
    """A stored job this engine cannot read: damaged, or written by an incompatible version."""


class RenderJob(BaseModel):
    """One video to render, with the notes its project reports."""

    # Strict: what is stored is read back as written, never coerced into something else.
    model_config = ConfigDict(frozen=True, strict=True)

    aspect_ratio: int
    video_length: int  # seconds
    title: str
    price: str | None
    description: str
    images: tuple[str, ...]  # the product's re-hosted images, relative to the files folder
    caption: bool
    visual_style: str
    template_id: int | None  # the template the request named, if it named one
    quality: str
    seed: int
    language: str
    script_style: str
    override_script: str
    avatar_id: int
    voice_id: str  # a voice of this engine
    music_id: int | None  # a bed of the music library; None: the default one
    # Since narration (older jobs have no narration, no drawn presenter and no notes):
    script: tuple[str, ...] = ()  # the narration, sentence by sentence
    presenter_id: int | None = None
    warnings: tuple[str, ...] = ()  # what the video does differently from its request

    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_json(cls, text: str | bytes) -> RenderJob:
        """The job stored as `text`; UnreadableRenderJob if it is not one."""
        try:
            return cls.model_validate_json(text)
        except ValidationError as error:
            raise UnreadableRenderJob(
                f"its stored render job cannot be read ({_first_problem(error)}); "
                "create the video again"
            ) from None


def _first_problem(error: ValidationError) -> str:
    problem = error.errors(include_url=False)[0]
    where = ".".join(str(part) for part in problem["loc"])
    return f"{where}: {problem['msg']}" if where else problem["msg"]
