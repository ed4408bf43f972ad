"""The pages in a real browser: Debian's chromium (headless, --no-sandbox) through chromedriver and
selenium, against build_app on a real uvicorn server on 127.0.0.1. Waits with WebDriverWait, never sleeps.

Set ADCVD_SCREENSHOTS=DIR to keep a screenshot of each page a test looks at (for a person to check).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy.engine import Engine

from tests.support.postgres import in_ci
from tests.support.web import live_server, web_settings

WAIT_SECONDS = 20


def _program(*names: str) -> str:
    """The first of `names` on PATH; skipped (failed in CI, CI=true) when none is installed."""
    for name in names:
        if found := shutil.which(name):
            return found
    reason = f"{names[0]} is not installed (Debian: chromium, chromium-driver; .ci/run installs them)"
    if in_ci():
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@dataclass
class Browser:
    """A headless Chrome pointed at one live server."""

    driver: WebDriver
    base_url: str

    def open(self, path: str) -> None:
        self.driver.get(self.base_url + path)

    def wait_for(self, css: str) -> WebElement:
        """The element once it is on the page (after a load or a form post)."""
        found = WebDriverWait(self.driver, WAIT_SECONDS).until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
        )
        assert isinstance(found, WebElement)
        return found

    def texts(self, css: str) -> list[str]:
        return [element.text for element in self.driver.find_elements(By.CSS_SELECTOR, css)]

    def screenshot(self, name: str) -> None:
        """The whole page as a PNG in ADCVD_SCREENSHOTS, when set."""
        folder = os.environ.get("ADCVD_SCREENSHOTS")
        if not folder:
            return
        height = int(self.driver.execute_script("return document.documentElement.scrollHeight"))
        self.driver.set_window_size(1280, max(height, 700))
        Path(folder).mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(Path(folder) / f"{name}.png"))
        self.driver.set_window_size(1280, 900)


def chrome() -> WebDriver:
    options = Options()
    options.binary_location = _program("chromium", "chromium-browser")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(executable_path=_program("chromedriver")), options=options)


@pytest.fixture
def browser(engine: Engine, now: datetime) -> Iterator[Browser]:
    """A headless Chrome and the web pages served from `engine` with the clock stopped at `now`."""
    driver = chrome()
    try:
        with live_server(web_settings(), engine, clock=lambda: now) as base_url:
            yield Browser(driver, base_url)
    finally:
        driver.quit()
