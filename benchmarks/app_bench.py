"""The app's speed as a lawyer sees it, in a real headless Chromium: search submitted -> results rendered, and a
12-article draft submitted -> findings rendered; the app server's memory with the store loaded.

    python3 benchmarks/app_bench.py --store /tmp/full [--searches 20]

Baseline in the same run: the same searches and check called in-process on the services (no browser, no
Streamlit), so the difference is what the app adds. Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.checking import CheckRequest, check  # noqa: E402
from app.context import Context, Settings  # noqa: E402
from app.querying import SearchRequest, search  # noqa: E402
from app.serve import start  # noqa: E402

QUERIES = ROOT / "data" / "eval" / "search" / "queries.jsonl"
DRAFT = ROOT / "data" / "eval" / "conflicts" / "drafts" / "d04.txt"  # Switzerland - Japan, 12 articles
PARTIES = (("CHE", "Switzerland (CHE)"), ("JPN", "Japan (JPN)"))
AS_OF = date(2016, 1, 1)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children, MiB."""
    import subprocess

    out = subprocess.run(["ps", "-o", "rss=", "--ppid", str(pid), "-p", str(pid)], capture_output=True, text=True)
    return sum(int(x) for x in out.stdout.split()) / 1024


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--searches", type=int, default=20)
    ap.add_argument("--checks", type=int, default=3)
    args = ap.parse_args()
    queries = [json.loads(x)["query"] for x in QUERIES.read_text().splitlines() if x.strip()]
    queries = [q for q in queries if len(q) < 200][: args.searches]
    draft = DRAFT.read_text(encoding="utf-8")

    with Context(Settings(store=args.store)) as ctx:  # baseline: the services in-process, warm
        search(ctx, SearchRequest(query="warm up"))
        base_search = []
        for q in queries:
            t0 = time.perf_counter()
            search(ctx, SearchRequest(query=q))
            base_search.append(time.perf_counter() - t0)
        req = CheckRequest(Path("d04.txt"), tuple(p for p, _ in PARTIES), AS_OF)
        check(ctx, req, draft.encode())
        base_check = []
        for _ in range(args.checks):
            t0 = time.perf_counter()
            check(ctx, req, draft.encode())
            base_check.append(time.perf_counter() - t0)

    from playwright.sync_api import sync_playwright

    proc, url = start(Settings(store=args.store))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
            done = ("() => !document.querySelector('[data-testid=stStatusWidget]') && "
                    "!document.querySelector('[data-stale=true]')")

            def new_page() -> Any:
                pg = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                pg.set_default_timeout(180_000)
                pg.goto(url)
                pg.get_by_role("heading", name="Precedent search").wait_for()
                return pg

            t0 = time.perf_counter()
            page = new_page()
            first_page = time.perf_counter() - t0
            box = page.get_by_label("Words, or a whole clause to find its precedents")

            def one_search(q: str) -> float:
                box.fill(q)
                t0 = time.perf_counter()
                page.get_by_role("button", name="Search").click()
                title = f"Results for “{q[:80]}{'…' if len(q) > 80 else ''}”"
                page.get_by_role("heading", name=title).wait_for()  # only this run writes this heading
                page.wait_for_function(done, polling=20)
                page.wait_for_function("() => document.querySelectorAll('.pacta-agreement').length >= 10", polling=20)
                return time.perf_counter() - t0

            one_search("warm up the browser")
            app_search = [one_search(q) for q in queries]
            print(f"searches in the browser: p50 {statistics.median(app_search):.3f} s, max {max(app_search):.3f} s",
                  flush=True)

            def one_check() -> float:
                pg = new_page()  # a new session: no earlier result on the page
                pg.get_by_role("link", name="Draft check").click()
                pg.get_by_label("Draft text").fill(draft)
                for _, label in PARTIES:
                    pg.get_by_role("combobox", name="Parties to the draft").click()
                    pg.keyboard.type(label.split(" (")[0])  # the list is long and drawn lazily: filter it first
                    pg.get_by_role("option", name=label).click()
                    pg.keyboard.press("Escape")
                pg.get_by_role("spinbutton", name="year, Obligations in force on").click()
                pg.keyboard.type(AS_OF.strftime("%Y%m%d"))
                t0 = time.perf_counter()
                pg.get_by_role("button", name="Check the draft").click()
                pg.get_by_role("button", name="Result (JSON)").wait_for()
                pg.wait_for_function(done, polling=20)
                took = time.perf_counter() - t0
                pg.context.close()
                return took

            one_check()
            app_check = [one_check() for _ in range(args.checks)]
            browser.close()
        memory = rss_mib(proc.pid)
    finally:
        proc.terminate()
        proc.wait(30)

    print(f"store: {args.store}; first page load {first_page:.2f} s (model and index loaded once per server)\n")
    print("| what | runs | p50 (s) | p95 (s) | max (s) | baseline in-process p50 (s) |")
    print("|---|---|---|---|---|---|")
    print(f"| search submitted -> 10 results rendered | {len(app_search)} | {statistics.median(app_search):.3f} | "
          f"{pct(app_search, 0.95):.3f} | {max(app_search):.3f} | {statistics.median(base_search):.3f} |")
    print(f"| 12-article draft submitted -> findings rendered | {len(app_check)} | {statistics.median(app_check):.3f} "
          f"| {pct(app_check, 0.95):.3f} | {max(app_check):.3f} | {statistics.median(base_check):.3f} |")
    print(f"\napp server memory (RSS, with its children) after the runs: {memory:,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
