"""Run every benchmark module in bench/ (each as `python -m bench.NAME`) and print its figures."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Reports, not figures: they print samples of the classifier's output, not a measurement.
NOT_BENCHMARKS = frozenset({"classify_report"})


def bench_modules() -> list[str]:
    names = sorted(p.stem for p in HERE.glob("*.py"))
    return [n for n in names if not n.startswith("_") and n not in NOT_BENCHMARKS]


def main() -> int:
    failed = []
    for name in bench_modules():
        command = [sys.executable, "-m", f"bench.{name}"]
        print(f"$ {Path(sys.executable).name} -m bench.{name}", flush=True)
        started = time.perf_counter()
        # One process per bench: a failing or memory-hungry bench does not skew or stop the others.
        done = subprocess.run(command, cwd=HERE.parent, check=False)
        print(f"  ({name}: exit {done.returncode}, {time.perf_counter() - started:.1f} s)\n", flush=True)
        if done.returncode:
            failed.append(name)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
