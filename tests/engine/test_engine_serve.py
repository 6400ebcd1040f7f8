"""`jogg-pipeline serve`: API keys (files, flags, environment, generated), limits, usage errors."""

from __future__ import annotations

import re
import signal
import socket
import stat
from pathlib import Path

import httpx
import pytest
from engine_support import start_serve
from support.cli import CliResult, run_in_process

from jogg_pipeline.cli import main
from jogg_pipeline.engine.auth import API_KEY_FILE


def code_with_key(api_url: str, key: str) -> int:
    return int(httpx.get(f"{api_url}/avatars", headers={"x-api-key": key}).json()["code"])


@pytest.mark.slow  # `serve` in a subprocess
def test_generated_key_is_kept_0600_never_printed_and_reused(tmp_path: Path) -> None:
    data_dir = tmp_path / "engine"
    key_file = (data_dir / API_KEY_FILE).resolve()
    first = start_serve(data_dir)
    try:
        key = key_file.read_text().strip()
        assert re.fullmatch(r"[0-9a-f]{48}", key)
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        output = "".join(first.banner)
        assert f"API key: generated and kept in {key_file} (mode 0600)" in output
        assert key not in output, "a generated key is never printed"
        assert code_with_key(first.api_url, key) == 0
        assert code_with_key(first.api_url, "guess") == 10105
    finally:
        first.stop(signal.SIGTERM)
    # SIGTERM unwinds like Ctrl-C: the engine closes and the command exits normally.
    assert first.process.returncode == 0

    second = start_serve(data_dir)
    try:
        output = "".join(second.banner)
        assert key not in output
        assert f"API key: the one kept in {key_file}" in output
        assert code_with_key(second.api_url, key) == 0
    finally:
        second.stop()


@pytest.mark.slow  # `serve` in a subprocess
def test_keys_from_files_flags_and_environment_are_not_logged(tmp_path: Path) -> None:
    from_env = start_serve(tmp_path / "a", env={"JOGG_ENGINE_API_KEYS": "env-one, env-two"})
    try:
        assert code_with_key(from_env.api_url, "env-one") == 0
        assert code_with_key(from_env.api_url, "env-two") == 0
        assert code_with_key(from_env.api_url, "env-one, env-two") == 10105
        assert not (tmp_path / "a" / API_KEY_FILE).exists()
    finally:
        from_env.stop()
    assert "env-one" not in "".join(from_env.banner)
    assert "warning" not in "".join(from_env.banner)

    key_file = tmp_path / "keys"
    key_file.write_text("file-one\n\n  file-two  \n")
    key_file.chmod(0o600)
    from_file = start_serve(tmp_path / "b", "--api-key-file", str(key_file))
    try:
        assert code_with_key(from_file.api_url, "file-one") == 0
        assert code_with_key(from_file.api_url, "file-two") == 0
        # The key is nowhere on the command line other users can read.
        command_line = Path(f"/proc/{from_file.process.pid}/cmdline").read_bytes()
        assert b"file-one" not in command_line
    finally:
        from_file.stop()
    assert "file-one" not in "".join(from_file.banner)
    assert "warning" not in "".join(from_file.banner)

    # --api-key still works, with a warning on stderr (start_serve merges it into the banner).
    from_flags = start_serve(tmp_path / "c", "--api-key", "flag-key", "--api-key", "second")
    try:
        assert code_with_key(from_flags.api_url, "second") == 0
        assert code_with_key(from_flags.api_url, "flag-key") == 0
    finally:
        from_flags.stop()
    output = "".join(from_flags.banner)
    assert "flag-key" not in output
    assert (
        "jogg-pipeline: warning: --api-key shows the key to every user of this machine "
        "(ps, /proc); use --api-key-file FILE or JOGG_ENGINE_API_KEYS instead\n"
    ) in output


@pytest.mark.slow  # `serve` in a subprocess
def test_an_api_key_file_readable_by_others_is_warned_about(tmp_path: Path) -> None:
    key_file = tmp_path / "keys"
    key_file.write_text("file-key\n")
    key_file.chmod(0o644)
    served = start_serve(tmp_path / "engine", "--api-key-file", str(key_file))
    try:
        assert code_with_key(served.api_url, "file-key") == 0
    finally:
        served.stop()
    assert (
        f"jogg-pipeline: warning: --api-key-file {key_file} is readable by other users: "
        "chmod 600 it\n"
    ) in "".join(served.banner)


def test_an_unusable_api_key_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "keys"
    missing = tmp_path / "nowhere"
    expected = [
        (None, missing, f"cannot read --api-key-file {missing}: No such file or directory"),
        (b"\n  \n", key_file, f"--api-key-file {key_file} is empty"),
        (b"\xff\xfe\n", key_file, f"--api-key-file {key_file} is not UTF-8 text"),
    ]
    for content, path, message in expected:
        if content is not None:
            key_file.write_bytes(content)
        code = main(["serve", "--api-key-file", str(path), "--data-dir", str(tmp_path / "e")])
        assert (code, capsys.readouterr().err) == (2, f"jogg-pipeline: error: {message}\n")
    assert not (tmp_path / "e").exists(), "nothing is served or created"


@pytest.mark.slow  # `serve` in a subprocess
def test_post_rate_over_http_sends_retry_after(tmp_path: Path) -> None:
    served = start_serve(tmp_path / "engine", "--api-key", "k", "--post-rate", "2/min")
    try:
        with httpx.Client(base_url=served.api_url, headers={"x-api-key": "k"}) as client:
            answers = [client.post("/product", json={"name": f"p{i}"}) for i in range(3)]
        assert [a.json()["code"] for a in answers] == [0, 0, 429]
        assert [a.headers["x-ratelimit-remaining"] for a in answers] == ["1", "0", "0"]
        assert {a.headers["x-ratelimit-limit"] for a in answers} == {"2"}
        assert answers[2].status_code == 200
        assert 1 <= int(answers[2].headers["retry-after"]) <= 60
    finally:
        served.stop()


def run_cli(*args: str) -> CliResult:
    return run_in_process("serve", *args)


def test_usage_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run_cli("--post-rate", "20/fortnight", "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "jogg-pipeline: error: --post-rate '20/fortnight' is not a rate; write COUNT/PERIOD, "
        "e.g. 20/min, 5/s, 100/hour or 20/2s"
    )
    result = run_cli("--allow-file-root", str(tmp_path / "nowhere"), "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip().endswith(
        f"--allow-file-root: {tmp_path / 'nowhere'} is not a folder"
    )
    result = run_cli("--workers", "0", "--data-dir", str(tmp_path))
    assert (result.returncode, result.stderr.strip()) == (
        2,
        "jogg-pipeline: error: workers must be at least 1, not 0",
    )
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("--port", str(port), "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip().startswith(
        f"jogg-pipeline: error: cannot listen on 127.0.0.1:{port}: "
    )
    assert "Traceback" not in result.stderr
