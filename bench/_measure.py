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
    return [sys.executable, "-c", "from worker.app.cli import main; main()", *args]


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADCVD_")}
    env.update({"PYTHONUNBUFFERED": "1", **extra})
    return env


MARKER = "__adcvd_bench_peak_rss_kib__"
# Linux carries a process's peak RSS across fork and exec, so a child forked straight from a big parent
# reports at least the parent's size. A small launcher process forks the command instead and reports
# its peak from wait4 (KiB), so the figure is the command's own.
LAUNCHER = f"""
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(child.pid, 0)
print("{MARKER}", usage.ru_maxrss, flush=True)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(args: list[str], env: dict[str, str], *, cwd: Path, timeout: float = 120) -> Measured:
    """Runs `args` through the launcher; the figure is the command's own peak resident memory."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        command = [sys.executable, "-c", LAUNCHER, *args]
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            returncode = process.wait()
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    peak_kib = 0
    kept = []
    for line in output.splitlines(keepends=True):
        if line.startswith(MARKER):
            peak_kib = int(line.split()[1])
        else:
            kept.append(line)
    return Measured(returncode, "".join(kept), seconds, peak_kib / 1024)
