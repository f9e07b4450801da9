"""The running UI in headless Chromium: log in, see the three DAGs, run monthly_summary through REST API v2.

Drives Debian's chromium over the DevTools protocol (no driver download). Needs the Airflow of
``make airflow`` running; skipped with the reason otherwise, or when chromium is absent. The screenshot
is kept under .data/artifacts/browser/ (not committed).
"""

from __future__ import annotations

import itertools
import json
import shutil
import socket
import subprocess
import time
import urllib.request

import pytest

from include.presswatch import settings
from include.presswatch.ops.airflow_service import PROJECT_DAGS, AirflowService

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = settings.state_dir() / "artifacts" / "browser"
pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Page:
    """The first tab of a Chromium, spoken to over the DevTools protocol."""

    def __init__(self, ws_url: str):
        from websockets.sync.client import connect

        self.ws = connect(ws_url, max_size=50_000_000, open_timeout=30)
        self.ids = itertools.count(1)

    def send(self, method: str, **params) -> dict:
        message_id = next(self.ids)
        self.ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            reply = json.loads(self.ws.recv(timeout=60))
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def js(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.js(f"!!({expression})")
            if value:
                return value
            time.sleep(0.5)
        raise AssertionError(f"timed out waiting for {expression}; page text: {self.js('document.body && document.body.innerText')!r:.500}")

    def screenshot(self, path) -> None:
        import base64

        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", format="png")["data"]))


@pytest.fixture
def airflow_ui():
    # The home of `make airflow` (the tests' own AIRFLOW_HOME is another one), on the port it was started with.
    home = settings.state_dir() / "airflow"
    state = json.loads((home / "service.json").read_text()) if (home / "service.json").exists() else {}
    service = AirflowService(home=home, env={}, port=state.get("port", 8080))
    if not service.running():
        pytest.skip("no Airflow of `make airflow` is running (start it with `make airflow`)")
    try:
        service.wait_ready(timeout=10)
    except Exception as exc:
        pytest.skip(f"Airflow at {service.url} does not answer: {exc}")
    passwords = json.loads((service.home / "simple_auth_manager_passwords.json.generated").read_text())
    user, password = next(iter(passwords.items()))
    return service, user, password


@pytest.fixture
def page(tmp_path):
    if not CHROMIUM:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    port = free_port()
    # Flags of a closed network: no background connections, no first-run, no GPU; root needs --no-sandbox.
    browser = subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1400,900", f"--user-data-dir={tmp_path / 'chromium'}", f"--remote-debugging-port={port}",
         "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as response:
                    targets = [t for t in json.load(response) if t["type"] == "page"]
                if targets:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("chromium did not open its DevTools port")
            time.sleep(0.3)
        tab = Page(targets[0]["webSocketDebuggerUrl"])
        tab.send("Page.enable")
        yield tab
        tab.ws.close()
    finally:
        browser.terminate()
        try:
            browser.wait(timeout=10)
        except subprocess.TimeoutExpired:
            browser.kill()
            browser.wait()


def test_log_in_see_the_dags_and_run_monthly_summary(airflow_ui, page):
    service, user, password = airflow_ui

    page.send("Page.navigate", url=f"{service.url}/dags")
    page.wait_for("document.querySelector('input[name=username]')")  # redirected to the login form
    for field, value in (("username", user), ("password", password)):
        page.js(f"document.querySelector('input[name={field}]').focus()")
        page.send("Input.insertText", text=value)
    page.js("document.querySelector('button[type=submit]').click()")
    page.wait_for("!document.querySelector('input[name=password]') && location.pathname.startsWith('/dags')"
                  " || (location.pathname === '/' && document.body.innerText.length > 0)", timeout=60)
    if not page.js("location.pathname.startsWith('/dags')"):
        page.send("Page.navigate", url=f"{service.url}/dags")
    page.wait_for(" && ".join(f"document.body.innerText.includes('{dag_id}')" for dag_id in PROJECT_DAGS), timeout=90)
    page.screenshot(ARTIFACTS / "dags.png")
    text = page.js("document.body.innerText")
    assert "Import Error" not in text and "import error" not in text.lower()

    token = service.token(user, password)
    assert service.api("GET", "/importErrors", token)["total_entries"] == 0
    run = service.run_dag(token, "monthly_summary", {"month": "2024-03"}, timeout=300)
    page.send("Page.navigate", url=f"{service.url}/dags/monthly_summary/runs/{run['dag_run_id']}")
    time.sleep(3)
    page.screenshot(ARTIFACTS / "monthly_summary_run.png")
    assert run["state"] == "success"
