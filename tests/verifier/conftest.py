"""An office and its verifier page, made once per module with the real commands: the demo
(`inspect-tui demo DIR`), the lead's key (`keys new`, INSPECT_TUI_PASSPHRASE), the office's
allowed_signers (`keys export --allowed-signers`), the page (`verifier build`) served by a
local static server that answers every path with the page (as the README asks an office to
host it), and a report exported with `--verify-url` pointing at that server. The browser is
Debian's chromium, driven by selenium through /usr/bin/chromedriver (nothing downloaded)."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from inspect_tui import keys
from inspect_tui.demo import DEMO_ID
from tests.export.conftest import FONT_PROBLEM, PASS
from tests.json_cli import cli

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
needs_chromium = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="Debian's chromium and chromium-driver are not installed")


class PageServer:
    """A static host for the page: every GET under any path answers index.html, and every
    request is remembered (the page must make none but its own)."""

    def __init__(self, page: Path) -> None:
        self.page = page
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                body = server.page.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        """The page's address as an office prints it in QR codes: capitals, ending in /V/."""
        return f"HTTP://127.0.0.1:{self.httpd.server_address[1]}/V/"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@dataclass
class Office:
    root: Path
    keys: Path  # INSPECT_TUI_KEYS of the lead
    allowed_signers: Path
    page: Path  # the built index.html, naming the records of `report`
    server: PageServer
    report: Path  # the exported report folder (with --verify-url)
    stranger_report: Path  # the same demo signed by a key the office does not list

    def records(self, report: Path | None = None) -> list[dict[str, Any]]:
        doc = json.loads(((report or self.report) / "report.json").read_bytes())
        return [{**rec, "site_id": site["site_id"], "site": site["name"]}
                for site in doc["sites"] for rec in site["records"]]


def _env(key_dir: Path) -> dict[str, str]:
    return {keys.ENV_DIR: str(key_dir), keys.ENV_PASSPHRASE: PASS}


def make_office(root: Path) -> Office:
    if FONT_PROBLEM:
        pytest.skip(f"the PDF needs a CJK font: {FONT_PROBLEM}")
    r = cli("demo", root / "ws")
    assert r.returncode == 0, r.stderr
    lead, stranger = root / "keys-lead", root / "keys-stranger"
    for folder, name in ((lead, "张组长"), (stranger, "李四")):
        r = cli("keys", "new", "--name", name, env=_env(folder))
        assert r.returncode == 0, r.stderr
    r = cli("keys", "export", "张组长", "--allowed-signers", env=_env(lead))
    assert r.returncode == 0, r.stderr
    allowed = root / "allowed_signers"
    allowed.write_text(r.stdout, "utf-8")
    r = cli("verifier", "build", "--trusted", allowed, "--out", root / "page")
    assert r.returncode == 0, r.stderr
    server = PageServer(root / "page" / "index.html")
    r = cli("-w", root / "ws", "export", DEMO_ID, "--key", "张组长", "--out", root / "out",
            "--verify-url", server.base, env=_env(lead))
    assert r.returncode == 0, r.stderr
    r = cli("-w", root / "ws", "export", DEMO_ID, "--key", "李四", "--format", "json",
            "--out", root / "out-stranger", env=_env(stranger))
    assert r.returncode == 0, r.stderr
    (report,) = (root / "out").iterdir()
    (stranger_report,) = (root / "out-stranger").iterdir()
    # The office received the report: the page it hosts now names its records too.
    r = cli("verifier", "build", "--trusted", allowed, "--out", root / "page", "--report", report)
    assert r.returncode == 0 and "336" in r.stdout, r.stdout + r.stderr
    return Office(root, lead, allowed, root / "page" / "index.html", server, report,
                  stranger_report)


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    made = make_office(tmp_path_factory.mktemp("office"))
    yield made
    made.server.stop()


def chromium(profile: Path, *flags: str) -> Any:
    """A headless chromium with performance logging (every network request is logged)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=420,1000",
                 f"--user-data-dir={profile}", "--disable-dev-shm-usage", *flags):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    driver = chromium(profile)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)
