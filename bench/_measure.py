"""Run a real `adcvd` command as a child process and report its exit, output, wall time and peak RSS."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measured:
    returncode: int
    output: str  # stdout and stderr together
    seconds: float
    peak_rss_mb: float


def adcvd_command(*args: str) -> list[str]:
    return [sys.executable, "-c", "from worker.cli import main; main()", *args]


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADCVD_")}
    env.update({"PYTHONUNBUFFERED": "1", **extra})
    return env


def run_measured(args: list[str], env: dict[str, str], *, cwd: Path, timeout: float = 120) -> Measured:
    """Runs `args`; wait4 gives this child's own peak resident memory (Linux reports KiB)."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(args, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    return Measured(process.returncode, output, seconds, usage.ru_maxrss / 1024)
