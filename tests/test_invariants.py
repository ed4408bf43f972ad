"""Invariants of the design: imports flow one way; scheduler jobs have stable unique ids."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from worker.app.scheduler import build_scheduler, declare_jobs
from worker.app.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def imported_packages(package: str) -> set[str]:
    found: set[str] = set()
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("watchers", {"worker", "notifier"}), ("notifier", {"worker", "watchers"})],
    ids=["watchers-import-neither", "notifier-imports-neither"],
)
def test_imports_flow_one_way(package: str, forbidden: set[str]) -> None:
    assert imported_packages(package) & forbidden == set()


async def test_jobs_have_unique_stable_ids_and_are_coalesced(engine: object) -> None:
    from datetime import UTC, datetime

    from sqlalchemy.engine import Engine

    assert isinstance(engine, Engine)
    jobs = declare_jobs(Settings(_env_file=None), engine)  # type: ignore[call-arg]
    ids = [job.job_id for job in jobs]
    assert len(ids) == len(set(ids))
    assert {"poll:federal_register", "poll:public_inspection", "poll:trade_gov", "deliver"} <= set(ids)
    scheduler = build_scheduler(jobs, first_run=datetime(2024, 2, 12, tzinfo=UTC))
    scheduler.start(paused=True)
    try:
        scheduled = scheduler.get_jobs()
        assert sorted(job.id for job in scheduled) == sorted(ids)
        for job in scheduled:
            assert job.coalesce is True and job.max_instances == 1 and job.misfire_grace_time >= 600
    finally:
        scheduler.shutdown(wait=False)
