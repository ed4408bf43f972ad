"""A fresh khal (Debian's calendar client) in a temporary folder: import a feed as a refresh does, list."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.postgres import in_ci

CONFIG = """[calendars]
[[deadlines]]
path = {path}
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = UTC
default_timezone = UTC
"""


def khal_binary() -> str:
    """khal's path; where it cannot be found at all the test is skipped, with how to install it (in CI,
    CI=true, it fails: .ci/run installs it)."""
    found = shutil.which("khal")
    if found is None:
        reason = "khal is not installed (Debian package `khal`: apt-get install khal; .ci/run installs it)"
        if in_ci():
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return found


@dataclass
class Khal:
    """One khal configuration and calendar folder of its own; nothing is read from the user's."""

    root: Path

    def __post_init__(self) -> None:
        self.binary = khal_binary()
        (self.root / "calendar").mkdir(parents=True)
        (self.root / "config").write_text(CONFIG.format(path=self.root / "calendar"))

    def run(self, *args: str) -> str:
        env = {
            **os.environ,
            "XDG_DATA_HOME": str(self.root / "data"),
            "XDG_CONFIG_HOME": str(self.root / "xdg"),
            "TZ": "UTC",
        }
        done = subprocess.run(
            [self.binary, "-c", str(self.root / "config"), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def import_feed(self, feed: bytes, name: str = "feed.ics") -> None:
        """What a subscription refresh does: every event of the feed, replacing those with its UIDs."""
        path = self.root / name
        path.write_bytes(feed)
        self.run("import", "--batch", "-a", "deadlines", str(path))

    def listed(self, start: str, end: str) -> list[str]:
        """`khal list` from start to end, one 'YYYY-MM-DD title' a line."""
        out = self.run("list", "--format", "{start-date} {title}", "--day-format", "", start, end)
        return [line for line in out.splitlines() if line.strip()]
