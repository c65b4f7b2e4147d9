"""The web UI in a real browser: Debian's Chromium driven by Playwright against a real server.

The server is ``create_app`` on uvicorn (loopback, free port) over a copy of the session's store of
the shipped plans, so uploads and removals here never touch the shared store. Screenshots of every
page (laptop and phone widths) go to the folder printed at the start (``reports/screenshots`` by
default, or ``$POLICY_ASSISTANT_SCREENSHOTS``).
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from assistant.settings import Settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 90_000

# A small plan of the kind staff upload, laced with markup that must stay text in every view.
HOSTILE_PLAN = (
    "关于印发<b>智慧药房</b>建设方案的通知\n"
    "测试市卫生健康委员会\n"
    "测政发〔2026〕7号\n\n"
    "一、主要目标\n"
    "到2026年底，全市智慧药房覆盖率达到77%以上<script>window.__pwned=1</script>"
    '<img src=x onerror="window.__pwned=2">**加粗**[点我](javascript:window.__pwned=3)。\n'
    "二、保障措施\n"
    "各地要加强组织领导，$$x^2$$ 不得 ${window.__pwned=4} 擅自调整。\n"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def shots() -> Path:
    """Where screenshots go; printed so a reviewer can find them."""
    folder = Path(os.environ.get("POLICY_ASSISTANT_SCREENSHOTS", REPO / "reports" / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


@pytest.fixture(scope="module")
def ui_settings(shipped_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A private copy of the shipped-plans store (this test uploads and removes documents)."""
    root = tmp_path_factory.mktemp("ui-store")
    shutil.copytree(shipped_settings.data_dir, root / "data")
    return shipped_settings.model_copy(update={"data_dir": root / "data"})


@contextlib.contextmanager
def serve(settings: Settings) -> Iterator[str]:
    """A real server (API + UI) for ``settings`` on a free loopback port; yields its base URL."""
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    import uvicorn

    from assistant.main import create_server

    app = create_server(settings)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    t0 = time.perf_counter()
    thread.start()
    while not srv.started:  # the lifespan (warm-up) has finished once this is set
        assert thread.is_alive(), "uvicorn exited during start-up"
        assert time.perf_counter() - t0 < 300, "server did not start in 5 minutes"
        time.sleep(0.2)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="module")
def server(ui_settings: Settings) -> Iterator[str]:
    """A real server (API + UI) on a free loopback port; yields its base URL."""
    with serve(ui_settings) as url:
        yield url


@pytest.fixture(scope="module")
def browser_page(server: str, shots: Path, pytestconfig: pytest.Config) -> Iterator[Any]:
    """One Chromium page on the UI, recording every request that leaves the loopback host."""
    if not CHROMIUM.exists():
        pytest.skip(
            "Debian Chromium not found at /usr/bin/chromium: run `make browser-deps` (apt-get install chromium)"
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    capman = pytestconfig.pluginmanager.getplugin("capturemanager")
    with capman.global_and_fixture_disabled() if capman else contextlib.nullcontext():
        print(f"\n[ui browser test] screenshots: {shots}")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=LAPTOP, locale="zh-CN", accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.outside = []  # type: ignore[attr-defined]
        page.errors = []  # type: ignore[attr-defined]
        local = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
        page.on("request", lambda r: r.url.startswith(local) or page.outside.append(r.url))  # type: ignore[attr-defined]
        page.on("pageerror", lambda e: page.errors.append(str(e)))  # type: ignore[attr-defined]
        page.goto(f"{server}/")
        page.wait_for_selector("#pa-question textarea")
        page.wait_for_function("document.querySelectorAll('#pa-examples button').length > 0")
        yield page
        context.close()
        browser.close()


def _ask(page: Any, question: str) -> Any:
    """Type a question, send it, and return the locator of the new answer bubble."""
    n = page.locator("#pa-chatbot .pa-answer").count()
    page.locator("#pa-question textarea").fill(question)
    page.locator("#pa-ask").click()
    page.wait_for_function(f"document.querySelectorAll('#pa-chatbot .pa-answer').length > {n}")
    return page.locator("#pa-chatbot .pa-answer").nth(n)


def _tab(page: Any, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    page.wait_for_timeout(500)


def test_numeric_question_cites_an_openable_quote(browser_page: Any, shots: Path) -> None:
    page = browser_page
    t0 = time.perf_counter()
    answer = _ask(page, "到2025年每万人口全科医生数要达到多少？")
    first_answer_s = time.perf_counter() - t0
    # The plan: "到2025年底，……全市每万人口全科医生数达4名".
    assert "4名" in answer.locator(".pa-body").inner_text()
    assert answer.locator(".pa-ref").count() >= 1
    source = answer.locator(".pa-source").filter(has_text="全科医生").first
    assert "全科医生" in source.locator(".pa-quote").inner_text()
    context = source.locator("details.pa-context")
    assert not context.evaluate("d => d.open")
    context.locator("summary").click()
    assert context.evaluate("d => d.open")
    passage = context.locator(".pa-context-text")
    expect(passage).to_be_visible(timeout=TIMEOUT_MS)
    marked = passage.locator("mark").inner_text()
    assert marked and "全科医生" in marked
    assert len(passage.inner_text()) > len(marked)  # the quote with its surroundings
    page.screenshot(path=str(shots / "01_chat_answer.png"), full_page=True)
    # Warmed at start-up: the first answer comes without a model-loading stall.
    assert first_answer_s < 30, f"first answer took {first_answer_s:.1f} s"


def test_follow_up_keeps_the_topic(browser_page: Any, shots: Path) -> None:
    page = browser_page
    answer = _ask(page, "那2023年呢？")
    # The plan: "到2023年底，……全市每万人口全科医生数达3.5名".
    assert "3.5名" in answer.locator(".pa-body").inner_text()
    assert answer.locator(".pa-source").count() >= 1
    copy = page.locator("#pa-copy textarea")
    page.locator("#pa-copy-acc button.label-wrap").click()  # the accordion renders its content when opened
    page.wait_for_function("(document.querySelector('#pa-copy textarea') || {value: ''}).value.includes('出处')")
    assert "3.5名" in copy.input_value()
    page.screenshot(path=str(shots / "02_chat_follow_up.png"), full_page=True)


def test_feedback_is_stored(browser_page: Any, ui_settings: Settings) -> None:
    page = browser_page
    log = ui_settings.data_dir / "feedback.jsonl"
    before = len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0
    # Gradio labels the thumbs in the page's language (zh-CN: 赞/踩).
    page.locator("#pa-chatbot").locator("button[aria-label='赞'], button[aria-label='Like']").last.click()
    deadline = time.time() + 20
    while time.time() < deadline and (not log.exists() or len(log.read_text(encoding="utf-8").splitlines()) <= before):
        time.sleep(0.3)
    entries = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    assert len(entries) == before + 1
    assert entries[-1]["vote"] == "up"
    assert entries[-1]["question"] == "那2023年呢？"
    assert entries[-1]["citations"]


def test_not_found_shows_nearest_passages(browser_page: Any) -> None:
    answer = _ask(browser_page, "到2025年全市建成多少个月球基地？")
    text = answer.inner_text()
    assert "未在已收录的文件中找到答案" in text
    assert answer.locator(".pa-hit").count() >= 1


def test_targets_filter_table_chart_and_export(browser_page: Any, shots: Path) -> None:
    page = browser_page
    _tab(page, "指标")
    # Read the count line itself (the component also shows queue/progress text while busy).
    count_js = "((document.querySelector('#pa-t-count .pa-status') || {}).innerText || '')"
    page.wait_for_function(f"/共 \\d+ 条/.test({count_js})")
    unfiltered = page.locator("#pa-t-count .pa-status").inner_text()
    page.locator("#pa-t-indicator textarea, #pa-t-indicator input").first.fill("全科医生")
    page.locator("#pa-t-search").click()
    page.wait_for_function(
        f"(() => {{ const t = {count_js}; return /共 \\d+ 条/.test(t) && t !== {json.dumps(unfiltered)}; }})()"
    )
    count = int(page.locator("#pa-t-count .pa-status").inner_text().split("共 ")[1].split(" ")[0])
    assert count > 0
    rows = page.locator("#pa-t-table [role=row].virtual-row")  # Gradio's virtualised body rows
    rows.first.wait_for()
    assert "全科" in rows.first.inner_text()
    # The chart of the selected indicator renders: coloured lines in Vega's SVG.
    # (a flat line has an empty bounding box, so wait on the DOM rather than on "visible").
    page.wait_for_function("document.querySelectorAll('#pa-chart-year .mark-line path[stroke]').length > 0")
    # Gradio may redraw the plot once more as the filtered data lands: wait, don't sample.
    expect(page.locator("#pa-chart-year svg.marks")).to_be_visible(timeout=TIMEOUT_MS)
    page.screenshot(path=str(shots / "03_targets_by_year.png"), full_page=True)
    page.locator("#pa-t-axis").get_by_text("按地区").click()
    # Sub-regions side by side: at least two bars (waited for, as the plot draws after the click).
    page.wait_for_function("document.querySelectorAll('#pa-chart-region .mark-rect path').length >= 2")
    expect(page.locator("#pa-chart-region svg.marks")).to_be_visible(timeout=TIMEOUT_MS)
    # A row opens to its source quote.
    page.locator("#pa-t-table [data-testid='cell-0-2']").click()
    page.wait_for_selector("#pa-t-detail .pa-quote")
    assert page.locator("#pa-t-detail .pa-quote").inner_text().strip()
    page.screenshot(path=str(shots / "04_targets_by_region.png"), full_page=True)
    # Sortable: 数值 descending puts the largest value first (numbers, not strings).
    header = page.locator("#pa-t-table thead th").nth(4)
    header.hover()
    header.locator("button.cell-menu-button").click()
    page.get_by_role("menuitem").filter(has_text="降序").first.click()
    shown = min(count, 4)

    def values() -> list[float]:
        return [float(rows.nth(i).locator("[role=gridcell]").nth(4).inner_text()) for i in range(shown)]

    deadline = time.monotonic() + TIMEOUT_MS / 1000  # the sort lands when the browser gets to it
    while values() != sorted(values(), reverse=True) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert values() == sorted(values(), reverse=True)
    with page.expect_download() as dl:
        page.locator("#pa-t-export").click()
    path = dl.value.path()
    with open(path, encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    assert table[0][:3] == ["地区", "范围", "指标"]
    assert len(table) - 1 == count


def test_upload_is_listed_and_its_markup_stays_text(browser_page: Any, shots: Path, tmp_path: Path) -> None:
    page = browser_page
    plan = tmp_path / "智慧药房方案.txt"
    plan.write_text(HOSTILE_PLAN, encoding="utf-8")
    _tab(page, "文件")
    page.screenshot(path=str(shots / "05_documents.png"), full_page=True)
    page.locator("#pa-upload input[type=file]").set_input_files(str(plan))
    page.locator("#pa-upload-btn").click()
    page.wait_for_function("document.querySelector('#pa-upload-result').innerText.includes('已新增')")
    table = page.locator("#pa-docs-table")
    page.wait_for_function("document.querySelector('#pa-docs-table').innerText.includes('智慧药房')")
    assert "<b>智慧药房</b>" in table.inner_text()  # the title shown as text, tags and all
    assert table.locator("b").count() == 0
    page.screenshot(path=str(shots / "06_documents_uploaded.png"), full_page=True)

    _tab(page, "问答")
    answer = _ask(page, "到2026年全市智慧药房覆盖率要达到多少？")
    body = answer.inner_text()
    assert "77%以上" in body
    assert "<script>window.__pwned=1</script>" in body
    assert "**加粗**[点我](javascript:window.__pwned=3)" in body
    assert answer.locator("script, img, a[href^='javascript'], strong:has-text('加粗')").count() == 0
    assert page.evaluate("window.__pwned") is None
    page.screenshot(path=str(shots / "07_chat_uploaded_plan.png"), full_page=True)

    # And remove it again.
    _tab(page, "文件")
    page.locator("#pa-del-doc input").click()
    page.get_by_role("option", name="智慧药房", exact=False).first.click()
    page.locator("#pa-del-btn").click()
    page.locator("#pa-del-yes").click()
    page.wait_for_function("!document.querySelector('#pa-docs-table').innerText.includes('智慧药房')")
    assert "已移除" in page.locator("#pa-del-result").inner_text()
    # The toast names the document too, and shows its title as text.
    assert page.locator("b:has-text('智慧药房'), strong:has-text('智慧药房')").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_evaluation_runs_and_phone_width(browser_page: Any, shots: Path, ui_settings: Settings) -> None:
    page = browser_page
    _tab(page, "评测")
    assert page.locator("#pa-eval").inner_text().strip()
    page.locator("#pa-eval-run").click()  # the smoke subset, ticked by default
    report = ui_settings.data_dir / "eval" / "latest" / "report.md"
    page.wait_for_function(
        f"document.querySelector('#pa-eval').innerText.includes({json.dumps(str(report))})", timeout=300_000
    )
    assert report.is_file()
    page.screenshot(path=str(shots / "08_evaluation.png"), full_page=True)
    page.set_viewport_size(PHONE)
    try:
        for i, name in enumerate(["问答", "指标", "文件"], start=9):
            _tab(page, name)
            page.screenshot(path=str(shots / f"{i:02d}_phone_{name}.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{name}: page is {overflow}px wider than a phone screen"
    finally:
        page.set_viewport_size(LAPTOP)


def test_nothing_left_the_machine(browser_page: Any) -> None:
    """Run last: every request the page made stayed on the loopback server; no script error."""
    assert browser_page.outside == [], browser_page.outside
    assert browser_page.errors == [], browser_page.errors
