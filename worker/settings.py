"""Settings from ADCVD_* environment variables and an optional .env, built once in the CLI."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ADCVD_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///adcvd.db"
    smtp_url: SecretStr | None = None  # smtp://user:pass@host:port or smtps://...; unset: Maildir
    mail_from: str = "adcvd-watch <alerts@adcvd-watch.localhost>"
    outbox_dir: Path = Path("outbox")
    federal_register_url: str = "https://www.federalregister.gov/api/v1"
    trade_gov_url: str = "https://www.trade.gov"
    time_zone: str = "America/New_York"  # the operator's; FR posting times are Eastern
    operator_email: str | None = None

    poll_federal_register_minutes: int = Field(default=15, ge=1)
    poll_public_inspection_seconds: int = Field(default=30, ge=5)
    poll_trade_gov_minutes: int = Field(default=30, ge=1)
    deliver_seconds: int = Field(default=20, ge=1)
    prime_days: int = Field(default=30, ge=0)  # a source with no cursor reads this far back

    http_timeout_seconds: float = 30.0  # per connect/read
    http_request_deadline_seconds: float = Field(default=120.0, gt=0)  # a whole request, however it trickles
    http_max_retries: int = 4
    http_requests_per_second: float = 4.0  # FR API: 5 req/s published limit
    http_xml_requests_per_second: float = 1.0  # FR full-text downloads: 1 req/s

    smtp_timeout_seconds: float = 30.0
    delivery_batch: int = 50
    delivery_lease_seconds: int = 300
    max_delivery_attempts: int = 12
    reminder_days: tuple[int, ...] = (30, 14, 7, 2, 0)
    name_match_threshold: int = Field(default=90, ge=50, le=100)
    source_failure_alert_after: int = 3
    # A notice alerting more subscribers than this at once is held for the operator (0: never hold).
    bulk_alert_threshold: int = Field(default=500, ge=0)

    def smtp_url_value(self) -> str | None:
        return self.smtp_url.get_secret_value() if self.smtp_url else None
