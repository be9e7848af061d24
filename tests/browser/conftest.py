"""End-to-end fixtures: the app served from a thread, headless Chromium, axe-core checks.

Chromium is the system one (/usr/bin/chromium); no browser is ever downloaded. axe-core comes
from npm (``npm install`` at the top level, done by ``make install``).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from sqlalchemy import text
from werkzeug.serving import make_server

from webapp import create_app
from webapp.extensions import db
from webapp.services.demo import seed_demo

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# `make screenshots` sets SCREENSHOTS_DIR=docs/screenshots (the README's pictures); a plain test
# run keeps its pictures out of the working tree.
SCREENSHOTS = ROOT / os.environ.get("SCREENSHOTS_DIR", "instance/screenshots")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 360, "height": 740},
}
BLOCKING_IMPACTS = ("serious", "critical")


def _empty_tables() -> None:
    with db.engine.begin() as connection:
        tables = list(reversed(db.metadata.sorted_tables))
        if connection.dialect.name == "postgresql":
            names = ", ".join(table.name for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture(scope="module")
def live_app(app_config, _schema) -> Iterator[Flask]:
    app = create_app({**app_config, "SERVER_NAME": None})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def live_server(live_app) -> Iterator[str]:
    """The app on a free 127.0.0.1 port, served by werkzeug in a background thread."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture()
def demo_data(live_app) -> Iterator[None]:
    """Fresh demo orders for each test; the tables are left empty for the tests after us."""
    with live_app.app_context():
        _empty_tables()
        seed_demo()
        db.session.remove()
    yield
    with live_app.app_context():
        db.session.remove()
        _empty_tables()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture()
def open_context(browser) -> Iterator:
    """Make browser contexts (a viewport, JavaScript on or off); all closed after the test."""
    contexts: list[BrowserContext] = []

    def make(viewport: str = "desktop", javascript: bool = True) -> BrowserContext:
        context = browser.new_context(
            viewport=VIEWPORTS[viewport], locale="en-US", java_script_enabled=javascript
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def check_accessibility(page: Page) -> None:
    """Run axe-core in the page; any serious or critical violation fails the test."""
    assert AXE_SCRIPT.exists(), "axe-core is missing: run `npm install` (or `make install`)"
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Not page.add_script_tag: the site's Content-Security-Policy blocks inline scripts,
        # and evaluating through the DevTools protocol is not subject to it.
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    blocking = [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, f"axe found problems on {page.url}:\n" + json.dumps(blocking, indent=2)


def save_screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
