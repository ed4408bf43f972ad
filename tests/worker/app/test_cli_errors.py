"""Errors a person can act on: one line on stderr, an exit code, no traceback, nothing lost."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from worker.app.cli import app
from worker.app.settings import Settings


def invoke(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args, env=env)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), (
        f"traceback: {result.exception!r}"
    )
    return result.exit_code, result.stdout, result.stderr


def one_line_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "ADCVD_DATABASE_URL": f"sqlite:///{tmp_path / 'adcvd.db'}",
        "ADCVD_OUTBOX_DIR": str(tmp_path / "o"),
    }


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("ADCVD_TIME_ZONE", "Mars/Phobos", "ADCVD_TIME_ZONE: not a known IANA time zone: 'Mars/Phobos'"),
        ("ADCVD_SMTP_URL", "http://x", "ADCVD_SMTP_URL: scheme 'http' is not smtp or smtps"),
        ("ADCVD_SMTP_URL", "smtp://mail.example.com:25x", "ADCVD_SMTP_URL: the port is not a number"),
        ("ADCVD_SMTP_URL", "smtp://:587", "ADCVD_SMTP_URL: no host"),
        (
            "ADCVD_REMINDER_DAYS",
            "30,fourteen",
            "ADCVD_REMINDER_DAYS: expected whole numbers of days separated by commas",
        ),
        ("ADCVD_DATABASE_URL", "mysql://db/adcvd", "ADCVD_DATABASE_URL: unsupported database 'mysql'"),
        ("ADCVD_DATABASE_URL", "adcvd.db", "ADCVD_DATABASE_URL: expected a URL such as sqlite:///adcvd.db"),
        ("ADCVD_DELIVER_SECONDS", "soon", "ADCVD_DELIVER_SECONDS"),
        (
            "ADCVD_OPERATOR_EMAIL",
            "ops@example.com, cto@example.com",
            "ADCVD_OPERATOR_EMAIL: not one email address",
        ),
        ("ADCVD_OPERATOR_EMAIL", "ops@@example.com", "ADCVD_OPERATOR_EMAIL: not a valid email address"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it_and_exit_2(
    env: dict[str, str], tmp_path: Path, name: str, value: str, expected: str
) -> None:
    code, _, stderr = invoke(["status"], {**env, name: value})
    assert code == 2
    assert expected in one_line_error(stderr)
    assert not (tmp_path / "adcvd.db").exists()


def test_smtp_password_is_not_printed_in_the_error(env: dict[str, str]) -> None:
    code, _, stderr = invoke(["status"], {**env, "ADCVD_SMTP_URL": "smtp://u:s3cret@mail.example.com:x"})
    assert code == 2
    assert "s3cret" not in stderr


def test_reminder_days_as_the_readme_writes_them(env: dict[str, str]) -> None:
    code, stdout, stderr = invoke(["init"], {**env, "ADCVD_REMINDER_DAYS": "30,14"})
    assert code == 0, stderr
    assert "database ready" in stdout


def test_reminder_days_as_people_write_them() -> None:
    settings = Settings(reminder_days="30,14, 7,2,0")  # type: ignore[arg-type]
    assert settings.reminder_days == (30, 14, 7, 2, 0)
    assert Settings(reminder_days="[7, 30]").reminder_days == (30, 7)  # type: ignore[arg-type]


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "postgresql+psycopg"])
def test_postgres_urls_use_psycopg(scheme: str) -> None:
    url = Settings(database_url=f"{scheme}://u:p@db.example.com/adcvd").database_url
    assert url == "postgresql+psycopg://u:p@db.example.com/adcvd"


def test_sqlite_in_a_missing_folder(env: dict[str, str], tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "adcvd.db"
    code, _, stderr = invoke(["init"], {**env, "ADCVD_DATABASE_URL": f"sqlite:///{missing}"})
    assert code == 2
    line = one_line_error(stderr)
    assert f"the folder {missing.parent} of the SQLite database does not exist" in line
    assert not missing.parent.exists()


def test_postgresql_without_its_driver(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "psycopg" or m.startswith("psycopg.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if not installed
    code, _, stderr = invoke(["status"], {**env, "ADCVD_DATABASE_URL": "postgresql://u:p@127.0.0.1:1/x"})
    assert code == 2
    line = one_line_error(stderr)
    assert "the database driver 'psycopg' is not installed" in line
    assert "pip install 'adcvd-watch[postgres]'" in line


def test_usage_errors_exit_2(env: dict[str, str]) -> None:
    assert invoke(["no-such-command"], env)[0] == 2
    assert invoke(["poll", "nowhere"], env)[0] == 2
    assert invoke(["portfolio", "list", "--bogus"], env)[0] == 2
    assert invoke(["subscriber", "add", "a..b@example.com", "--importer", "X"], env)[0] == 2


def test_version_and_help_need_no_settings(env: dict[str, str]) -> None:
    code, stdout, _ = invoke(["--version"], {**env, "ADCVD_TIME_ZONE": "Mars/Phobos"})
    assert code == 0
    assert stdout.startswith("adcvd-watch ")
    code, stdout, _ = invoke(["--help"], env)
    assert code == 0
    assert "portfolio" in stdout and "subscriber" in stdout


def test_help_lines_match_the_commands() -> None:
    """`adcvd --help` lists commands without importing them; each listed name must resolve."""
    from worker.app.cli import COMMANDS, load_command

    for name in COMMANDS:
        assert load_command(name).name == name
