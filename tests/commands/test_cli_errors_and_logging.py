"""The command line's one error handler (exception kind -> exit code) and its logging options,
through `main(argv)` in-process."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from jogg_pipeline.cli import EXIT_CODES, exit_code_of, main
from jogg_pipeline.client.errors import (
    ClientSetupError,
    DownloadError,
    JoggError,
    NotFound,
    RequestInDoubt,
    ServerError,
    TransportFailure,
)
from jogg_pipeline.errors import PipelineError, UsageError
from jogg_pipeline.spec.problems import SpecError

PAGES = Path(__file__).resolve().parents[2] / "examples" / "pages"
ONE_VIDEO = """\
version: 1
campaign: logged
defaults:
  video_length: 15
  aspect_ratio: square
products:
  - url: pages/happy-booster-blush.html
    key: blush
    videos:
      - name: short
"""


@pytest.fixture(autouse=True)
def _quiet_logging() -> Iterator[None]:
    """main() installs handlers on the `jogg_pipeline` logger: leave it as found."""
    logger = logging.getLogger("jogg_pipeline")
    handlers, level, propagate = list(logger.handlers), logger.level, logger.propagate
    yield
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    for handler in handlers:
        logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = propagate


def test_every_error_kind_has_one_exit_code() -> None:
    assert exit_code_of(UsageError("x")) == 2
    assert exit_code_of(ClientSetupError("x")) == 2
    assert exit_code_of(NotFound(10104, "Record not found")) == 3
    assert exit_code_of(TransportFailure("GET", "/project", "refused")) == 3
    assert exit_code_of(RequestInDoubt("POST", "/product", "timed out")) == 3
    assert exit_code_of(DownloadError("cannot write x")) == 3
    assert exit_code_of(PipelineError("x")) == 3
    assert EXIT_CODES[-1] == (PipelineError, 3)  # the catch-all comes last
    assert issubclass(SpecError, UsageError)


def test_the_client_raises_one_tree_with_retryable_ones_marked() -> None:
    for kind in (NotFound, TransportFailure, RequestInDoubt, ClientSetupError, DownloadError):
        assert issubclass(kind, JoggError)
    assert ServerError.retryable and TransportFailure.retryable
    assert not NotFound.retryable and not RequestInDoubt.retryable


def campaign(root: Path) -> Path:
    shutil.copytree(PAGES, root / "pages")
    spec = root / "logged.yaml"
    spec.write_text(ONE_VIDEO, encoding="utf-8")
    return spec


def test_a_base_url_that_cannot_work_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    spec = tmp_path / "cloud.yaml"
    spec.write_text(ONE_VIDEO.replace("pages/happy-booster-blush.html", "https://shop.example/p"))
    monkeypatch.setenv("JOGG_API_KEY", "k" * 32)
    code = main(["run", str(spec), "--backend", "jogg", "--base-url", "api.jogg.ai/v1"])
    assert code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "jogg-pipeline: error: JoggAI base URL 'api.jogg.ai/v1' is not an http(s) URL such as "
        "https://api.jogg.ai/v1"
    )


@pytest.mark.slow
def test_log_file_keeps_every_step_and_vv_shows_requests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    spec = campaign(tmp_path)
    log_file = tmp_path / "run.log"
    args = ["run", str(spec), "--quality", "preview", "--allow-private-urls", "--quiet"]
    assert main(["-vv", "--log-file", str(log_file), *args]) == 0
    logged = log_file.read_text(encoding="utf-8")
    assert "DEBUG jogg_pipeline.run: logged: 1 video, backend local" in logged
    assert "DEBUG jogg_pipeline.run: blush: product created (" in logged
    assert "DEBUG jogg_pipeline.client: POST /create_video_from_url: HTTP 200" in logged
    assert "DEBUG jogg_pipeline.client: POST /create_video_from_url: HTTP 200" in (
        capsys.readouterr().err
    )
    # Without -v nothing but warnings reaches stderr; the file still gets every step.
    assert main(["--log-file", str(log_file), *args]) == 0
    assert "jogg_pipeline.client" not in capsys.readouterr().err
    assert log_file.read_text(encoding="utf-8").count("backend local") == 2


def test_log_file_that_cannot_be_written_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-folder" / "run.log"
    assert main(["--log-file", str(missing), "schema"]) == 2
    assert capsys.readouterr().err == (
        f"jogg-pipeline: error: --log-file {missing}: No such file or directory\n"
    )
