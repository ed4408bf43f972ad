"""Benchmark: a real `adcvd` process under heavy and hostile input, with its peak RSS and wall time.

Run: .venv/bin/python -m bench.bounds [--products N] [--documents N] [--body-mb N]
Cases (each a child process, measured by wait4; the goal is under 300 MB each, no alert lost):
- a 1 GB body (no Content-Length) and a gzip bomb (about 1 MB that unpacks to 1 GiB) as the search page;
- an order reaching a 50,000-product portfolio: `adcvd poll` (routing) then `adcvd deliver` to an SMTP
  server on 127.0.0.1 (message size printed);
- a 10,000-document poll from the constructed Federal Register (bench/_fr_site.py), batches saved as read.
Setup (portfolio import, cursor) happens in this process and is not measured.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from bench._fr_site import ConstructedRegister, constructed_notices, real_pressure_washers_notice
from bench._hostile_site import Bomb, Endless, HostileSite, gzip_bomb
from bench._measure import Measured, adcvd_command, clean_env, run_measured
from bench.digest import free_port
from worker.app.dbsetup import init_database
from worker.app.recorded_site import RecordedSite
from worker.portfolios.files import import_portfolio
from worker.storage import notice_rows, outbox_rows, people, source_rows
from worker.storage.db import make_engine, transaction
from worker.storage.models import Subscriber

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
SEARCH_PATH = "/api/v1/documents.json"
GOAL_MB = 300.0
IMPORTER = "Bench Importer Inc."
SUMEC = '"Sumec Hardware & Tools Co., Ltd."'


class Sizes:
    def __init__(self) -> None:
        self.sizes: list[int] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.sizes.append(len(envelope.content))
        return "250 OK"


def show(label: str, done: Measured, extra: str = "") -> None:
    verdict = "ok" if done.peak_rss_mb < GOAL_MB else "OVER"
    print(
        f"{label:<34} exit {done.returncode}  {done.seconds:7.1f} s  peak RSS {done.peak_rss_mb:6.0f} MB "
        f"({verdict}, goal < {GOAL_MB:.0f}){extra}",
        flush=True,
    )
    if done.returncode not in (0, 1) or "Traceback" in done.output:
        print("  " + done.output[-600:].replace("\n", "\n  "))


def database(folder: Path, cursor: str) -> str:
    url = f"sqlite:///{folder / 'bench.db'}"
    engine = make_engine(url)
    init_database(engine, load_seed=False)
    with transaction(engine) as session:
        state = source_rows.load_source_state(session, "federal_register")
        state.cursor = cursor
        session.add(state)
    engine.dispose()
    return url


def env_for(url: str, base_url: str, **extra: str) -> dict[str, str]:
    return clean_env(
        {
            "ADCVD_DATABASE_URL": url,
            "ADCVD_FEDERAL_REGISTER_URL": base_url + "/api/v1",
            "ADCVD_TRADE_GOV_URL": base_url,
            "ADCVD_HTTP_MAX_RETRIES": "0",
            "ADCVD_HTTP_REQUESTS_PER_SECOND": "0",
            "ADCVD_HTTP_XML_REQUESTS_PER_SECOND": "0",
            **extra,
        }
    )


def hostile_bodies(body_mb: int) -> None:
    for label, answer in (
        (f"{body_mb} MB body, no Content-Length", Endless(body_mb * 1024 * 1024)),
        (f"gzip bomb ({body_mb} MB unpacked)", Bomb(gzip_bomb(body_mb * 1024 * 1024))),
    ):
        with tempfile.TemporaryDirectory() as tmp, HostileSite({SEARCH_PATH: answer}) as site:
            url = database(Path(tmp), "2024-02-09")
            done = run_measured(
                adcvd_command("poll", "federal_register"), env_for(url, site.base_url), cwd=Path(tmp)
            )
            sent = site.sent.get(SEARCH_PATH, 0) / 1024 / 1024
            show(label, done, f"; server sent {sent:.1f} MB before the worker stopped")


def big_portfolio_alert(products: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = database(folder, "2024-02-09")
        portfolio = folder / "portfolio.csv"
        rows = [
            f'{IMPORTER},PW-{i:06d},"Gas pressure washer model {i}",8424.30.9000,CN,{SUMEC},{SUMEC},'
            f"{1000 + i}\n"
            for i in range(products)
        ]
        portfolio.write_text(
            "importer,sku,description,hts,country_of_origin,producer,exporter,annual_entered_value_usd\n"
            + "".join(rows),
            encoding="utf-8",
        )
        engine = make_engine(url)
        summary = import_portfolio(engine, portfolio, dry_run=False)
        assert not summary.errors, summary.errors[:3]
        with transaction(engine) as session:
            importer = people.load_or_create_importer(session, IMPORTER)
            session.add(
                Subscriber(
                    email="buyer@example.com", importer_id=importer.id, role="importer", unsubscribe_token="t"
                )
            )
        register = ConstructedRegister([real_pressure_washers_notice(FIXTURES)])
        sink = Sizes()
        port = free_port()
        controller = Controller(sink, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            with RecordedSite() as site:
                site.hook = register.hook
                env = env_for(url, site.base_url, ADCVD_SMTP_URL=f"smtp://127.0.0.1:{port}")
                polled = run_measured(
                    adcvd_command("poll", "federal_register"), env, cwd=folder, timeout=1800
                )
                show(f"order reaching {products:,} products: poll", polled)
                delivered = run_measured(adcvd_command("deliver"), env, cwd=folder, timeout=1800)
        finally:
            controller.stop()
        with transaction(engine) as session:
            alerts = [a for a in outbox_rows.list_alerts(session) if a.kind == "order"]
            stored = max((len(str(a.payload)) for a in alerts), default=0)
            sent = sum(1 for a in alerts if a.status == "sent")
        mail = max(sink.sizes, default=0) / 1024 / 1024
        show(
            f"order reaching {products:,} products: deliver",
            delivered,
            f"; order alerts {len(alerts)}, sent {sent}; email {mail:.1f} MB; payload {stored / 1024:.0f} KB",
        )


def big_poll(documents: int) -> None:
    register = ConstructedRegister(
        constructed_notices(documents, since=date(2024, 1, 2), until=date(2024, 2, 9))
    )
    with tempfile.TemporaryDirectory() as tmp, RecordedSite() as site:
        site.hook = register.hook
        url = database(Path(tmp), "2024-01-02")
        done = run_measured(
            adcvd_command("poll", "federal_register"),
            env_for(url, site.base_url),
            cwd=Path(tmp),
            timeout=3600,
        )
        engine = make_engine(url)
        with transaction(engine) as session:
            saved = len(notice_rows.list_notices(session))
            cursor = source_rows.load_source_state(session, "federal_register").cursor
        rate = saved / done.seconds if done.seconds else 0.0
        show(
            f"{documents:,}-document poll", done, f"; {saved:,} notices saved ({rate:.0f}/s), cursor {cursor}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--body-mb", type=int, default=1024)
    args = parser.parse_args()
    hostile_bodies(args.body_mb)
    big_portfolio_alert(args.products)
    big_poll(args.documents)


if __name__ == "__main__":
    main()
