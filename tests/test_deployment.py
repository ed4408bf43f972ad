"""The deploy files: .env.example lists every setting with its true default; compose, Docker, systemd."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import yaml

from worker.app.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = re.compile(r"^#?(ADCVD_[A-Z0-9_]+)=(.*)$")


def env_example() -> dict[str, tuple[str, bool]]:
    """Each ADCVD_ name in .env.example: its value and whether the line is commented out."""
    found: dict[str, tuple[str, bool]] = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        match = ASSIGNMENT.match(line)
        if match:
            found[match.group(1)] = (match.group(2), line.startswith("#"))
    return found


def setting_names() -> set[str]:
    return {f"ADCVD_{name.upper()}" for name in Settings.model_fields}


def test_env_example_lists_every_setting_and_no_other() -> None:
    assert set(env_example()) == setting_names()


def test_env_example_states_the_real_defaults(tmp_path: Path) -> None:
    """A commented line shows the default: loading all of them gives the defaults back."""
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    commented = {
        name: value
        for name, (value, is_comment) in env_example().items()
        if is_comment and getattr(defaults, name.removeprefix("ADCVD_").lower()) is not None
    }
    assert commented, "no commented default in .env.example: nothing would be checked"
    env_file = tmp_path / "defaults.env"
    env_file.write_text("".join(f"{name}={value}\n" for name, value in commented.items()), encoding="utf-8")
    loaded = Settings(_env_file=env_file)  # type: ignore[call-arg]
    for name in commented:
        field = name.removeprefix("ADCVD_").lower()
        assert getattr(loaded, field) == getattr(defaults, field), name


def test_compose_runs_worker_postgres_and_a_mail_catcher() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {"worker", "postgres", "mailpit", "init"} <= set(services)
    worker = services["worker"]
    assert worker["command"] == ["run"] and "build" in worker
    environment = worker["environment"]
    assert environment["ADCVD_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert "@postgres:" in environment["ADCVD_DATABASE_URL"]
    assert environment["ADCVD_SMTP_URL"] == "smtp://mailpit:1025"
    assert not environment["ADCVD_MAIL_FROM"].rstrip(">").endswith(".localhost")
    assert set(environment) <= setting_names()
    assert worker["depends_on"]["init"]["condition"] == "service_completed_successfully"
    assert services["init"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_dockerfile_runs_the_worker_as_a_non_root_user() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()]
    assert "FROM python:3.11-slim" in lines
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}
    assert 'ENTRYPOINT ["adcvd"]' in lines and 'CMD ["run"]' in lines


def test_systemd_unit_runs_adcvd_run() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read(ROOT / "deploy" / "adcvd-watch.service", encoding="utf-8")
    service = unit["Service"]
    assert service["ExecStart"].endswith("adcvd run")
    assert service["User"] not in {"root", "0"}
    assert service["EnvironmentFile"]
    assert unit["Install"]["WantedBy"] == "multi-user.target"
