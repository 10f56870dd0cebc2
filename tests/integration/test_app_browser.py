"""The app end to end in a real headless Chromium (Debian's ``chromium``, driven by Playwright): ``pacta app``'s
server on a free port over a copy of the demo-sample store; a search with a party filter, a clause and its
side-by-side comparison, a draft check with planted clashes and its report downloaded, a state's report, an
upload with one bad file. Full-page screenshots go to ``test-artifacts/`` (or ``$PACTA_ARTIFACTS``)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.context import Settings
from app.serve import start

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
DRAFT = ROOT / "tests" / "data" / "drafts" / "can_chl_draft.txt"
ARTIFACTS = Path(os.environ.get("PACTA_ARTIFACTS") or ROOT / "test-artifacts")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("the browser test needs Debian's chromium (apt-get install -y chromium; .ci/run installs it)")
    return found


@pytest.fixture(scope="module")
def server(sample_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("browser") / "store"
    shutil.copytree(sample_store, store)  # the upload below must not change the shared sample store
    proc, url = start(Settings(store=store))
    yield url
    proc.terminate()
    proc.wait(20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium(), args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(120_000)
    pg.goto(server)
    pg.get_by_role("heading", name="Precedent search").wait_for()
    yield pg
    context.close()


def screenshot(page: Any, name: str) -> Path:
    """The whole page: Streamlit scrolls inside its main block, so the viewport grows to the content first."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(800)
    height = page.evaluate("Math.max(...[...document.querySelectorAll('[data-testid=stMain], section')]"
                           ".map(e => e.scrollHeight), 1000)")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 60, 16000)})
    page.wait_for_timeout(500)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})
    return path


def settled(page: Any) -> None:
    """Wait until Streamlit has finished the run and no element of the page is left from the previous one."""
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]') && "
                           "!document.querySelector('[data-stale=true]')", polling=50)
    page.wait_for_timeout(300)


def choose(page: Any, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.keyboard.type(option.split(" (")[0])  # a long list is drawn lazily: filter it first
    page.get_by_role("option", name=option).click()
    page.wait_for_timeout(200)
    if page.get_by_role("listbox").count():  # a multiselect stays open; a selectbox closes on its own
        page.keyboard.press("Escape")


def test_search_with_a_party_filter_then_a_clause_side_by_side(page: Any):
    page.get_by_label("Words, or a whole clause to find its precedents").fill("customs duties on imports")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("Results for “customs duties on imports”").wait_for()
    page.get_by_text("Also in 3 other agreements (same text)").first.wait_for()  # a template collapsed
    page.locator("mark.hit").first.wait_for()  # the matching words highlighted
    screenshot(page, "search")

    choose(page, "Parties", "Jordan (JOR)")
    page.get_by_role("button", name="Search").click()
    # the run with the filter is done when the ten hits are all Jordan's (the unfiltered list had others)
    page.wait_for_function("() => { const a = [...document.querySelectorAll('.pacta-agreement')]; "
                           "return a.length === 10 && a.every(e => e.innerText.includes('Jordan')); }", polling=50)
    settled(page)
    heads = page.locator(".pacta-agreement")  # each hit's agreement line
    texts = [heads.nth(i).inner_text() for i in range(heads.count())]
    assert len(texts) == 10 and all("Jordan" in t for t in texts), texts
    screenshot(page, "search-jordan")

    page.get_by_text("Open clause and compare").first.click()
    page.get_by_role("heading", name="How other agreements word it").wait_for()
    page.get_by_text("Compare with").wait_for()
    page.locator(".pacta-diff del").first.wait_for()  # the words that differ, on both sides
    page.locator(".pacta-diff ins").first.wait_for()
    page.get_by_text("Canada - Jordan (tota-352)").first.wait_for()
    screenshot(page, "clause")


def test_draft_check_with_planted_clashes_and_the_report_downloaded(page: Any, tmp_path: Path):
    page.get_by_role("link", name="Draft check").click()
    page.get_by_label("Draft text").fill(DRAFT.read_text())
    choose(page, "Parties to the draft", "Canada (CAN)")
    choose(page, "Parties to the draft", "Chile (CHL)")
    page.get_by_role("spinbutton", name="year, Obligations in force on").click()
    page.keyboard.type("20150101")
    page.get_by_role("button", name="Check the draft").click()
    page.get_by_role("heading", name="High severity (2)").wait_for()
    page.get_by_text("HIGH · modality — draft Art. 3(1) against Art. C-12 of Canada - Chile").wait_for()
    settled(page)
    assert page.locator("mark.clash").count() >= 4  # the clashing words, in both texts
    page.get_by_text("Between Canada and Chile, parties to both").first.wait_for()
    screenshot(page, "check")

    with page.expect_download() as info:
        page.get_by_role("button", name="Report (HTML)").click()
    saved = tmp_path / "report.html"
    info.value.save_as(saved)
    report = saved.read_text()
    assert report.startswith("<!DOCTYPE html>") and "Art. C-12" in report and "<mark" in report


def test_state_report_and_an_upload_with_a_bad_file(page: Any, tmp_path: Path):
    page.get_by_role("link", name="State").click()
    choose(page, "State", "Canada (CAN)")
    page.get_by_role("button", name="Show the report").click()
    page.get_by_role("heading", name="Canada — as of").wait_for()
    page.get_by_role("img", name="timeline of the agreements").wait_for()
    screenshot(page, "state")

    good = tmp_path / "small-treaty.txt"
    good.write_text("Agreement between Atlantis and Utopia on Fisheries\n\nArticle 1 - Scope\n"
                    "1. Each Party shall publish its fisheries laws within 30 days of their adoption.\n")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7 this is not really a PDF")
    page.get_by_role("link", name="Ingest").click()
    page.locator("input[type=file]").set_input_files([str(good), str(bad)])
    page.get_by_text("broken.pdf").first.wait_for()
    page.get_by_role("button", name="Add to the store").click()
    page.get_by_text("1 stored, 0 unchanged, 1 could not be read.").wait_for(timeout=300_000)
    screenshot(page, "ingest")


def test_pacta_app_prints_its_url_serves_on_localhost_and_stops_on_ctrl_c(sample_store: Path, tmp_path: Path):
    import signal
    import subprocess
    import sys
    import urllib.request

    from app.serve import free_port

    port = free_port(8600)
    log = (tmp_path / "stderr.txt").open("w")  # a file, not a pipe: the server's log must never fill a pipe
    # Ctrl-C reaches it as at a terminal, even when the tests themselves run in the background (a shell starts
    # background jobs with SIGINT ignored, and a child would inherit that)
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "--store", str(sample_store), "app", "--port",
                             str(port)], stdout=subprocess.PIPE, stderr=log, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert line.startswith(f"Pacta is running at http://127.0.0.1:{port} on the store"), line
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=10) as r:
            assert r.status == 200
        if shutil.which("ss"):  # iproute2: what the port is bound to
            listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True).stdout
            local = {line.split()[3] for line in listening.splitlines() if line.strip()}  # State Recv Send Local Peer
            assert local == {f"127.0.0.1:{port}"}, listening
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(60)
        log.close()
    assert code == 0 and "Traceback" not in (tmp_path / "stderr.txt").read_text()
    with pytest.raises(OSError):  # the server went with it
        urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5)
