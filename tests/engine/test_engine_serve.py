"""`jogg-pipeline serve`: API keys (flags, environment, generated), limits, usage errors."""

from __future__ import annotations

import re
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import httpx
from engine_support import start_serve

from jogg_pipeline.engine.auth import API_KEY_FILE


def code_with_key(api_url: str, key: str) -> int:
    return int(httpx.get(f"{api_url}/avatars", headers={"x-api-key": key}).json()["code"])


def test_generated_key_is_printed_once_kept_0600_and_reused(tmp_path: Path) -> None:
    data_dir = tmp_path / "engine"
    first = start_serve(data_dir)
    try:
        printed = [line for line in first.banner if line.startswith("Generated API key")]
        assert len(printed) == 1, first.banner
        key = printed[0].rsplit(": ", 1)[1].strip()
        assert re.fullmatch(r"[0-9a-f]{48}", key)
        key_file = data_dir / API_KEY_FILE
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert key_file.read_text().strip() == key
        assert code_with_key(first.api_url, key) == 0
        assert code_with_key(first.api_url, "guess") == 10105
    finally:
        first.stop(signal.SIGTERM)
    # SIGTERM unwinds like Ctrl-C: the engine closes and the command exits normally.
    assert first.process.returncode == 0

    second = start_serve(data_dir)
    try:
        output = "".join(second.banner)
        assert key not in output, "a reused key is never printed again"
        assert f"API key: the one kept in {key_file.resolve()}" in output
        assert code_with_key(second.api_url, key) == 0
    finally:
        second.stop()


def test_keys_from_flags_and_environment_are_not_logged(tmp_path: Path) -> None:
    from_env = start_serve(tmp_path / "a", env={"JOGG_ENGINE_API_KEYS": "env-one, env-two"})
    try:
        assert code_with_key(from_env.api_url, "env-one") == 0
        assert code_with_key(from_env.api_url, "env-two") == 0
        assert code_with_key(from_env.api_url, "env-one, env-two") == 10105
        assert not (tmp_path / "a" / API_KEY_FILE).exists()
    finally:
        from_env.stop()
    assert "env-one" not in "".join(from_env.banner)

    from_flags = start_serve(tmp_path / "b", "--api-key", "flag-key", "--api-key", "second")
    try:
        assert code_with_key(from_flags.api_url, "second") == 0
        assert code_with_key(from_flags.api_url, "flag-key") == 0
    finally:
        from_flags.stop()
    assert "flag-key" not in "".join(from_flags.banner)


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


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jogg_pipeline", "serve", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_usage_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run_cli("--post-rate", "20/fortnight", "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "jogg-pipeline: error: --post-rate: rate '20/fortnight' is not of the form "
        "N/sec, N/min or N/hour (N >= 1)"
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
