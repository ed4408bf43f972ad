"""Portfolio import at scale: a 500,000-line CSV and a 100,000-line CSV through `adcvd portfolio import`.

Each import runs as a real `adcvd` process on a fresh SQLite database; the figures are its wall time
and peak RSS (from wait4). The 500,000-line file is over the 100,000-line limit: it is refused at
the first line over, without reading the rest. The 100,000-line file is imported. `adcvd --help`
is timed too (start-up cost of the command line).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = "importer,sku,description,hts,country_of_origin,producer,exporter,annual_entered_value_usd\n"
COUNTRIES = ("CN", "VN", "China", "Korea, Republic of", "MX", "IN", "TH", "Türkiye")


def write_portfolio(path: Path, lines: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write(HEADER)
        for n in range(lines):
            f.write(
                f"Bench Importer {n % 7},SKU-{n:07d},Steel shelving unit model {n},9403.20.00{n % 90 + 10},"
                f"{COUNTRIES[n % len(COUNTRIES)]},Example Producer {n % 311},,{(n % 997) * 113}\n"
            )


def measured(args: list[str], env: dict[str, str]) -> tuple[int, float, float, str]:
    """(exit code, seconds, peak RSS MB, last output line) of one adcvd process, RSS from wait4."""
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    out = process.stdout.read()
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    lines = (err or out).decode("utf-8", "replace").strip().splitlines()
    return process.returncode, elapsed, usage.ru_maxrss / 1024, lines[-1] if lines else ""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--big", type=int, default=500_000)
    parser.add_argument("--within-limit", type=int, default=100_000)
    options = parser.parse_args()
    adcvd = str(Path(sys.executable).with_name("adcvd"))
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "ADCVD_DATABASE_URL": f"sqlite:///{scratch}/bench.db"}
        code, seconds, peak, _ = measured([adcvd, "--help"], env)
        print(f"adcvd --help: exit {code}, {seconds:.2f} s, peak RSS {peak:.0f} MB")
        code, seconds, peak, _ = measured([adcvd, "init"], env)
        print(f"adcvd init: exit {code}, {seconds:.2f} s, peak RSS {peak:.0f} MB")
        for lines in (options.big, options.within_limit):
            path = Path(scratch) / f"portfolio-{lines}.csv"
            write_portfolio(path, lines)
            size = path.stat().st_size / 1e6
            code, seconds, peak, last = measured([adcvd, "portfolio", "import", str(path)], env)
            print(
                f"portfolio import {lines:,} lines ({size:.0f} MB): exit {code}, {seconds:.1f} s, "
                f"peak RSS {peak:.0f} MB; {last}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
