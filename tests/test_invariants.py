"""Invariants of the design: imports flow one way, rooms are layered, SQL stays in storage, ids are stable."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

from worker.app.scheduler import build_scheduler, declare_jobs
from worker.app.settings import Settings
from worker.app.sources import SOURCES

ROOT = Path(__file__).resolve().parent.parent


@cache
def nodes(path: Path) -> tuple[ast.AST, ...]:
    """Every node of a module's syntax tree, parsed once for all the invariants below."""
    return tuple(ast.walk(ast.parse(path.read_text(encoding="utf-8"))))


def imported_packages(package: str) -> set[str]:
    found: set[str] = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in nodes(path):
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


# The rooms of worker/, bottom to top: each imports only rooms before it (README "The house").
ROOMS = ("rules", "storage", "catalog", "alerts", "portfolios", "entries", "outbox", "ingest", "web", "app")
# Only the storage room builds or executes SQL: its *_rows modules and people.py for rows, db.py
# (engine pragmas, schema revisions) and locks.py (advisory locks). Anything else asks them.
SQL_ROOM = "storage"
SQL_NAMES = {"select", "text", "update", "delete", "insert", "func", "col", "or_", "and_"}
SQL_PACKAGES = {"sqlalchemy", "sqlmodel"}
SQL_CALLS = {"exec", "execute", "exec_driver_sql", "query"}
MAX_MODULE_LINES = 400
TOO_LONG_TODO: set[str] = set()


def worker_modules() -> list[Path]:
    return sorted(p for p in (ROOT / "worker").rglob("*.py") if "migrations" not in p.parts)


def room_of(path: Path) -> str:
    return path.relative_to(ROOT / "worker").parts[0]


def imported_worker_rooms(path: Path) -> set[str]:
    found: set[str] = set()
    for node in nodes(path):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] if node.module != "worker" else [f"worker.{a.name}" for a in node.names]
        found.update(name.split(".")[1] for name in names if name.startswith("worker."))
    return found


def test_every_worker_module_lives_in_a_room() -> None:
    loose = [p.name for p in (ROOT / "worker").glob("*.py") if p.name != "__init__.py"]
    rooms = {p.name for p in (ROOT / "worker").iterdir() if (p / "__init__.py").exists()}
    assert loose == []
    assert rooms == set(ROOMS)


@pytest.mark.parametrize("room", ROOMS)
def test_each_room_imports_only_rooms_below_it(room: str) -> None:
    below = set(ROOMS[: ROOMS.index(room)])
    wrong = {
        f"{path.relative_to(ROOT)} imports worker.{other}"
        for path in worker_modules()
        if room_of(path) == room
        for other in imported_worker_rooms(path) - below - {room}
    }
    assert wrong == set()


def called_name(call: ast.Call) -> str | None:
    return call.func.attr if isinstance(call.func, ast.Attribute) else None


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def imported_worker_modules(path: Path, known: set[str]) -> set[str]:
    """worker modules `path` imports, at the top or inside functions (`from pkg import module` too)."""
    found: set[str] = set()
    for node in nodes(path):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found & known


def test_no_import_cycles_in_worker() -> None:
    modules = {module_name(path): path for path in worker_modules()}
    graph = {name: imported_worker_modules(path, set(modules)) - {name} for name, path in modules.items()}
    cycles: list[list[str]] = []
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            cycles.append([*trail[trail.index(name) :], name])
        elif name not in done:
            for other in sorted(graph[name]):
                visit(other, [*trail, name])
            done.add(name)

    for name in sorted(graph):
        visit(name, [])
    assert cycles == []


def issues_sql(path: Path) -> bool:
    """True when the module builds SQL (select, text, func, ...) or executes it (exec, execute)."""
    for node in nodes(path):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in SQL_PACKAGES:
            if any(alias.name in SQL_NAMES for alias in node.names):
                return True
        elif isinstance(node, ast.Call) and called_name(node) in SQL_CALLS:
            return True
    return False


def test_only_storage_issues_sql() -> None:
    outside = {
        str(path.relative_to(ROOT))
        for path in worker_modules()
        if room_of(path) != SQL_ROOM and issues_sql(path)
    }
    assert outside == set()


def test_no_module_needs_a_long_scroll() -> None:
    long = {
        str(path.relative_to(ROOT))
        for package in ("worker", "watchers", "notifier")
        for path in (ROOT / package).rglob("*.py")
        if len(path.read_text(encoding="utf-8").splitlines()) > MAX_MODULE_LINES
    }
    assert long == TOO_LONG_TODO


def test_an_unknown_source_is_refused_with_the_known_names() -> None:
    from worker.app.sources import adapter_for

    known = "known: federal_register, public_inspection, trade_gov"
    with pytest.raises(ValueError, match=f"unknown source 'nope'; {known}"):
        adapter_for("nope")


def test_every_notice_kind_is_documented_with_the_event_it_raises() -> None:
    from watchers.records import NoticeKind
    from worker.catalog.events import KIND_EVENTS

    rows = {
        cells[1].strip("` "): cells[4].strip()
        for line in (ROOT / "docs" / "notice_kinds.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| `") and len(cells := line.split("|")) >= 6
    }
    assert set(rows) == {kind.value for kind in NoticeKind}
    documented = {kind: event for kind, event in rows.items() if not event.startswith("none")}
    assert documented == {
        kind.value: f"`{event.value}` ({severity.value})" for kind, (event, severity) in KIND_EVENTS.items()
    }


async def test_jobs_have_unique_stable_ids_and_are_coalesced(engine: object) -> None:
    from datetime import UTC, datetime

    from sqlalchemy.engine import Engine

    assert isinstance(engine, Engine)
    jobs = declare_jobs(Settings(_env_file=None), engine)  # type: ignore[call-arg]
    ids = [job.job_id for job in jobs]
    assert len(ids) == len(set(ids))
    assert {"poll:federal_register", "poll:public_inspection", "poll:trade_gov", "deliver"} <= set(ids)
    assert {f"poll:{source}" for source in SOURCES} == {i for i in ids if i.startswith("poll:")}
    scheduler = build_scheduler(jobs, first_run=datetime(2024, 2, 12, tzinfo=UTC))
    scheduler.start(paused=True)
    try:
        scheduled = scheduler.get_jobs()
        assert sorted(job.id for job in scheduled) == sorted(ids)
        for job in scheduled:
            assert job.coalesce is True and job.max_instances == 1 and job.misfire_grace_time >= 600
    finally:
        scheduler.shutdown(wait=False)


# Parsing belongs to the watchers (issue 13, "one way in"): the worker takes finished records (facts
# and classification read by the watcher) and never parses or classifies a document itself.
PARSING_MODULES = {"watchers.classify", "watchers.notice_xml", "watchers.notice_html"}
PARSING_FUNCTIONS = {"watchers.full_text": {"read_full_text", "merge_metadata", "malformed_xml"}}
# `adcvd notices classify|parse` exists to run the parsers by hand on a file: it is their front end.
PARSER_FRONT_ENDS = {"worker/app/commands/notices.py"}


def parsing_imports(path: Path) -> list[str]:
    found: list[str] = []
    for node in nodes(path):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name in PARSING_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module in PARSING_MODULES:
                found.append(node.module)
            elif node.module == "watchers":
                found += [f"watchers.{a.name}" for a in node.names if f"watchers.{a.name}" in PARSING_MODULES]
            forbidden = PARSING_FUNCTIONS.get(node.module, set())
            found += [f"{node.module}.{a.name}" for a in node.names if a.name in forbidden]
    return found


def test_worker_reads_no_document_itself() -> None:
    wrong = {
        str(path.relative_to(ROOT)): parsing_imports(path)
        for path in worker_modules()
        if str(path.relative_to(ROOT)) not in PARSER_FRONT_ENDS and parsing_imports(path)
    }
    assert wrong == {}


# One way in: every source's records are saved, applied to the catalog and routed by one function.
ONE_WAY_IN = "worker/ingest/save.py"
INGEST_STEPS = {"apply_notice", "route_notice_events", "hold_if_bulk"}


def called_names(path: Path) -> set[str]:
    calls = set()
    for node in nodes(path):
        if isinstance(node, ast.Call):
            func = node.func
            calls.add(func.id if isinstance(func, ast.Name) else getattr(func, "attr", ""))
    return calls


def test_every_source_comes_in_one_way() -> None:
    elsewhere = {
        str(path.relative_to(ROOT)): sorted(called_names(path) & INGEST_STEPS)
        for path in (ROOT / "worker" / "ingest").rglob("*.py")
        if str(path.relative_to(ROOT)) != ONE_WAY_IN and called_names(path) & INGEST_STEPS
    }
    assert elsewhere == {}
    assert called_names(ROOT / ONE_WAY_IN) >= INGEST_STEPS


# A new source is one watcher module, one adapter entry and its settings (README "Adding a source"):
# the one poll driver serves them all, so no ingest module is a source's own.
def test_no_ingest_module_is_named_after_a_source() -> None:
    named = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "worker" / "ingest").rglob("*.py")
        for source in SOURCES
        if source in path.stem
    }
    assert named == set()


def test_each_adapter_names_a_watcher_module() -> None:
    from worker.app.sources import ADAPTERS

    modules = {adapter.name: getattr(adapter.read_new, "__module__", "") for adapter in ADAPTERS}
    assert all(module.startswith("watchers.") for module in modules.values()), modules
    missing = {
        name for name, module in modules.items() if not (ROOT / f"{module.replace('.', '/')}.py").exists()
    }
    assert missing == set()
    assert all(adapter.name in modules[adapter.name] for adapter in ADAPTERS), modules
