import subprocess
import sys

import pytest

from moussaillon.config import Settings, load_settings


def test_defaults(monkeypatch):
    for key in list(__import__("os").environ):
        if key.startswith("MOUSSAILLON_"):
            monkeypatch.delenv(key)
    settings = Settings(_env_file=None)
    assert settings.http_port == 8000 and settings.http_host == "127.0.0.1"
    assert settings.default_language == "fr" and settings.token is None
    assert settings.sandbox_images["alpine"] == "alpine:latest"


def test_environment_values_are_parsed(monkeypatch):
    monkeypatch.setenv("MOUSSAILLON_INSTRUCTORS", "12, 34")
    monkeypatch.setenv("MOUSSAILLON_SANDBOX_IMAGES", "alpine=alpine:3.20,nginx")
    monkeypatch.setenv("MOUSSAILLON_TELEGRAM_TOKEN", "1:abc")
    settings = Settings(_env_file=None)
    assert settings.instructors == [12, 34]
    assert settings.sandbox_images == {"alpine": "alpine:3.20", "nginx": "nginx:latest"}
    assert settings.token == "1:abc" and "1:abc" not in repr(settings)


def test_env_file_is_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("MOUSSAILLON_HTTP_PORT=9123\n")
    assert Settings().http_port == 9123


@pytest.mark.parametrize(
    ("name", "value"),
    [("HTTP_PORT", "eighty"), ("DEFAULT_LANGUAGE", "de"), ("INSTRUCTORS", "12,bob"),
     ("SANDBOX_CPUS", "-1"), ("WORKSPACE_MAX_FILES", "0"), ("WORKSPACE_MAX_FILE_KB", "512"),
     ("WORKSPACE_TTL_DAYS", "0")],
)
def test_a_bad_setting_stops_with_one_line_naming_it(monkeypatch, name, value):
    monkeypatch.setenv(f"MOUSSAILLON_{name}", value)
    with pytest.raises(SystemExit) as exc:
        load_settings()
    message = str(exc.value)
    assert f"MOUSSAILLON_{name}" in message and "\n" not in message


def test_the_cli_reports_a_bad_setting_without_a_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "moussaillon", "serve"],
        env={"MOUSSAILLON_HTTP_PORT": "nope", "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )
    assert result.returncode != 0
    assert "MOUSSAILLON_HTTP_PORT" in result.stderr and "Traceback" not in result.stderr
