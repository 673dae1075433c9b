"""The organiser pages in a real browser (Debian's Chromium, headless, driven over WebDriver by
chromedriver): an admin of an 18-month simulated community asks `/cop dashboard` for a link, signs in,
opens every page, sends a given-up message again, and signs out. Screenshots go to test-artifacts/."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from plugin.pages.views import PAGES
from plugin.simulation import DEMO_COMMUNITY, GROUP_ID, simulate
from tests.support.cli import KRING
from tests.support.openapi import REPO_ROOT
from tests.support.services import free_port, in_ci
from tests.support.waiting import wait_for

pytestmark = pytest.mark.own_database

ARTIFACTS = Path(os.environ.get("KRING_ARTIFACTS_DIR", REPO_ROOT / "test-artifacts"))
WORKFLOWS = ["cop-lifecycle", "domain-definition", "facilitators", "group-decisions", "monitoring", "experiments",
             "home-organisation-links", "communication"]
TOKEN = "browser-command-token"
CHROMEDRIVER = shutil.which("chromedriver")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """`kring serve` on the kept database of an 18-month simulation, with one message given up."""
    if CHROMEDRIVER is None or CHROMIUM is None:
        if in_ci():
            pytest.fail("the browser tests need Debian's chromium and chromium-driver under CI")
        pytest.skip("no chromium and chromedriver here (apt-get install chromium chromium-driver)")
    home = tmp_path_factory.mktemp("browser-home")
    summary = simulate(WORKFLOWS, DEMO_COMMUNITY, 18, tmp_path_factory.mktemp("browser-sim"), [], home=home,
                       language="en")
    assert summary["failed_runs"] == []
    with sqlite3.connect(home / "kring.db") as db:  # a post the platform refused, as the outbox leaves it
        (message_id,) = db.execute("SELECT max(id) FROM outbox").fetchone()
        db.execute("UPDATE outbox SET status = 'failed', last_error = 'HTTP 403: no permission' WHERE id = ?",
                   (message_id,))
        (admin_id, admin_name) = db.execute("SELECT platform_user_id, username FROM member WHERE role = 'admin' "
                                            "ORDER BY id").fetchone()
    port = free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("KRING_")}, "KRING_HOME": str(home),
           "KRING_PUBLIC_URL": f"http://127.0.0.1:{port}", "KRING_MATTERMOST_COMMAND_TOKENS": TOKEN,
           "KRING_REDIS_URL": os.environ.get("KRING_TEST_REDIS_URL", "redis://127.0.0.1:6379/14"),
           "KRING_QUEUE_NAME": f"browser-{port}", "KRING_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen([*KRING, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: requests.get(f"{base}/healthz", timeout=1).status_code == 200, "kring serve")
        yield {"base": base, "home": home, "message": message_id, "admin": (admin_id, admin_name)}
    finally:
        server.terminate()
        server.wait(timeout=15)


@pytest.fixture
def browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,1600"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _dashboard_link(served: dict[str, Any]) -> str:
    """What `/cop dashboard` answers the admin, as Mattermost would ask for it."""
    user_id, user_name = served["admin"]
    answer = requests.post(f"{served['base']}/mattermost/command", timeout=10, data={
        "channel_id": GROUP_ID, "channel_name": "cop", "command": "/cop", "response_url": "http://127.0.0.1:9/x",
        "team_domain": "cop", "team_id": "team", "text": "dashboard", "token": TOKEN, "trigger_id": "t",
        "user_id": user_id, "user_name": user_name}).json()
    assert answer["response_type"] == "ephemeral"
    [url] = [word for word in answer["text"].split() if word.startswith(served["base"] + "/pages/login?t=")]
    return url


def _submit(browser: Any, button: Any) -> None:
    """Click a form's button and wait until the browser has left the page (the answer is a new page)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    page = browser.find_element(By.TAG_NAME, "html")
    button.click()
    WebDriverWait(browser, 15).until(expected_conditions.staleness_of(page))


def test_an_admin_signs_in_opens_every_page_acts_once_and_signs_out(served: dict[str, Any], browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.get(_dashboard_link(served))
    assert browser.title == "Sign in — Kring"
    _submit(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert browser.current_url.endswith("/pages/1/community")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)  # the keyboard's first stop: past the menu
    assert browser.switch_to.active_element.text == "Skip to the content"
    for name in PAGES:
        browser.get(f"{served['base']}/pages/1/{name}")
        heading = browser.find_element(By.TAG_NAME, "h1").text
        assert "Not signed in" not in heading, name
        current = browser.find_element(By.CSS_SELECTOR, "nav a[aria-current=page]").text
        assert current == heading, name
        assert browser.find_elements(By.TAG_NAME, "h2"), f"the {name} page shows nothing"
        browser.save_screenshot(str(ARTIFACTS / f"page-{name}.png"))
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "cop-lifecycle" in body  # the workflows page, last
    browser.get(f"{served['base']}/pages/1/results")
    assert len(browser.find_elements(By.CSS_SELECTOR, "main img")) >= 3  # the trends, the social map, the backcast
    browser.get(f"{served['base']}/pages/1/calendar")
    assert len(browser.find_elements(By.CSS_SELECTOR, "tbody tr")) == 14  # every meeting of 18 months
    browser.get(f"{served['base']}/pages/1/digests")
    assert len(browser.find_elements(By.CSS_SELECTOR, "tbody tr")) >= 4  # the digests of the run, delivered
    retry = browser.find_element(By.CSS_SELECTOR, f"button[aria-label='Send again {served['message']}']")
    _submit(browser, retry)
    assert f"Message {served['message']} is queued again" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    browser.save_screenshot(str(ARTIFACTS / "page-digests-retried.png"))
    with sqlite3.connect(served["home"] / "kring.db") as db:
        assert db.execute("SELECT status FROM outbox WHERE id = ?", (served["message"],)).fetchone() == ("pending",)
    _submit(browser, browser.find_element(By.CSS_SELECTOR, "footer form button"))
    assert "You are signed out" in browser.find_element(By.TAG_NAME, "main").text
    browser.get(f"{served['base']}/pages/1/community")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Not signed in"
    for picture in ARTIFACTS.glob("page-*.png"):
        assert picture.read_bytes().startswith(b"\x89PNG")
