"""Settings from ADCVD_* environment variables and an optional .env, checked once when the CLI starts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings.exceptions import SettingsError


class ConfigError(ValueError):
    """A setting a person has to change; the message is one line that says which and how."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ADCVD_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///adcvd.db"
    smtp_url: SecretStr | None = None  # smtp://user:pass@host:port or smtps://...; unset: Maildir
    mail_from: str = "adcvd-watch <alerts@adcvd-watch.localhost>"
    outbox_dir: Path = Path("outbox")
    federal_register_url: str = "https://www.federalregister.gov/api/v1"
    trade_gov_url: str = "https://www.trade.gov"
    # Filed PDFs of the public-inspection desk are read from this host only (pdf_url points there).
    public_inspection_pdf_url: str = "https://public-inspection.federalregister.gov"
    time_zone: str = "America/New_York"  # the operator's; FR posting times are Eastern
    operator_email: str | None = None

    poll_public_inspection_seconds: int = Field(default=30, ge=5)
    poll_trade_gov_minutes: int = Field(default=30, ge=1)
    deliver_seconds: int = Field(default=20, ge=1)
    prime_days: int = Field(default=30, ge=0)  # a source with no cursor reads this far back

    http_timeout_seconds: float = Field(default=30.0, gt=0)  # per connect/read
    http_request_deadline_seconds: float = Field(default=120.0, gt=0)  # a whole request, however it trickles
    http_max_retries: int = Field(default=4, ge=0)
    http_requests_per_second: float = Field(default=4.0, ge=0)  # FR API: 5 req/s published limit
    http_xml_requests_per_second: float = Field(default=1.0, ge=0)  # FR full-text downloads: 1 req/s

    smtp_timeout_seconds: float = Field(default=30.0, gt=0)
    channel_timeout_seconds: float = Field(default=10.0, gt=0)  # webhook/Slack/Teams: connect, each read
    delivery_batch: int = Field(default=50, ge=1)
    delivery_lease_seconds: int = Field(default=300, ge=1)
    max_delivery_attempts: int = Field(default=12, ge=1)
    reminder_days: Annotated[tuple[int, ...], NoDecode] = (30, 14, 7, 2, 0)
    name_match_threshold: int = Field(default=90, ge=50, le=100)
    source_failure_alert_after: int = Field(default=3, ge=1)
    # A notice alerting more subscribers than this at once is held for the operator (0: never hold).
    bulk_alert_threshold: int = Field(default=500, ge=0)

    # The web surface (worker.web): signed links in emails, `adcvd serve`, and `run` serving beside it.
    public_url: str | None = None  # https://alerts.example.com; unset: emails carry no web links
    secret_key: SecretStr | None = Field(default=None, validate_default=True)  # signs links; 32+ characters
    serve_host: str = "127.0.0.1"
    serve_port: int = Field(default=8080, ge=1, le=65535)
    serve_with_run: bool = False  # `adcvd run` also serves the web surface
    link_days: int = Field(default=30, ge=1)  # how long a preferences or portfolio link stays valid
    web_max_body_bytes: int = Field(default=5_000_000, ge=1024)  # a request body, uploads included

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        return normalize_database_url(value)

    @field_validator("smtp_url", mode="before")
    @classmethod
    def _smtp_url(cls, value: object) -> object:
        if isinstance(value, str):
            if not value.strip():
                return None
            check_smtp_url(value)
        return value

    @field_validator("operator_email", mode="before")
    @classmethod
    def _operator_email(cls, value: object) -> object:
        """One address, checked as `subscriber add` checks one: a list or a typo fails at start-up,
        not as an operator alert that can never be sent."""
        if isinstance(value, str):
            if not value.strip():
                return None
            from worker.portfolios.subscribers import normalize_address

            return normalize_address(value)
        return value

    @field_validator("time_zone")
    @classmethod
    def _time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"not a known IANA time zone: {value!r} (e.g. America/New_York)") from None
        return value

    @field_validator("public_url", mode="before")
    @classmethod
    def _public_url(cls, value: object) -> object:
        if isinstance(value, str):
            if not value.strip():
                return None
            return check_public_url(value)
        return value

    @field_validator("secret_key", mode="before")
    @classmethod
    def _secret_key(cls, value: object, info: ValidationInfo) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            if info.data.get("public_url"):
                raise ValueError("not set, and ADCVD_PUBLIC_URL is: the links in emails must be signed")
            return None
        if isinstance(value, str):
            if len(value.strip()) < MIN_SECRET_KEY_LENGTH:
                raise ValueError(
                    f"too short: use at least {MIN_SECRET_KEY_LENGTH} random characters, "
                    'e.g. python -c "import secrets; print(secrets.token_urlsafe(32))"'
                )
            return value.strip()
        return value

    @field_validator("reminder_days", mode="before")
    @classmethod
    def _reminder_days(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.strip().strip("[]()").split(",") if p.strip()]
            if not all(p.isdigit() for p in parts):
                raise ValueError(
                    f"expected whole numbers of days separated by commas, e.g. 30,14,7; got {value!r}"
                )
            return tuple(sorted({int(p) for p in parts}, reverse=True))
        return value

    def smtp_url_value(self) -> str | None:
        return self.smtp_url.get_secret_value() if self.smtp_url else None

    def secret_key_value(self) -> str | None:
        return self.secret_key.get_secret_value() if self.secret_key else None


def normalize_database_url(value: str) -> str:
    """SQLite or PostgreSQL (through psycopg 3); `postgres://` and `postgresql://` mean psycopg."""
    scheme, sep, rest = value.strip().partition("://")
    if not sep:
        raise ValueError(
            "expected a URL such as sqlite:///adcvd.db or postgresql+psycopg://user:pass@host/db"
        )
    scheme = scheme.lower()
    if scheme in ("postgres", "postgresql", "postgresql+psycopg"):
        return f"postgresql+psycopg://{rest}"
    if scheme in ("sqlite", "sqlite+pysqlite"):
        return f"sqlite://{rest}"
    raise ValueError(
        f"unsupported database {scheme!r}: use sqlite:///PATH or postgresql+psycopg://user:pass@host/db"
    )


def check_smtp_url(value: str) -> None:
    """smtp://[user:pass@]host[:port] or smtps://…; raises ValueError saying what is wrong (no password)."""
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in ("smtp", "smtps"):
        raise ValueError(
            f"scheme {parts.scheme or '(none)'!r} is not smtp or smtps; e.g. smtp://user:pass@mail.example.com:587"
        )
    try:
        parts.port  # noqa: B018  (raises on a port that is not a number in 0-65535)
    except ValueError:
        raise ValueError("the port is not a number from 1 to 65535") from None
    if not parts.hostname:
        raise ValueError("no host; e.g. smtp://user:pass@mail.example.com:587")


MIN_SECRET_KEY_LENGTH = 32
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def check_public_url(value: str) -> str:
    """The base of the links in emails: https (plain http only on this machine, for trials); no path
    query or fragment beyond a base path. Returns it without a trailing slash."""
    parts = urlsplit(value.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"expected a URL such as https://alerts.example.com, not {value.strip()!r}")
    if scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
        raise ValueError(
            "must be https (mail providers require https for one-click unsubscribe); "
            "plain http only on 127.0.0.1 or localhost, for a trial"
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError("must be a plain base URL, without query, fragment or credentials")
    return value.strip().rstrip("/")


def load_settings() -> Settings:
    """Settings from the environment, or ConfigError naming the setting and what is wrong with it."""
    try:
        return Settings()
    except ValidationError as exc:
        error = exc.errors()[0]
        name = "ADCVD_" + str(error["loc"][0]).upper() if error["loc"] else "ADCVD_*"
        message = str(error["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"bad setting {name}: {message}") from None
    except SettingsError as exc:
        raise ConfigError(f"bad setting: {exc}") from None
