"""Issue 15's officials items 1-9 on the real page: Debian's Chromium against a real server.

The server runs with an API key and an admin key over a copy of the shipped-plans store; the
browser logs in as an ordinary official (not the administrator). Each item is checked by DOM
assertions on a laptop and on a 390x844 phone, and screenshotted into ``$POLICY_ASSISTANT_SCREENSHOTS``
(``/tmp/ui_shots`` by default) for a reviewer to look at.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.settings import Settings
from tests.ui.test_browser import CHROMIUM, CHROMIUM_ARGS, LAPTOP, PHONE, TIMEOUT_MS, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

USER_KEY = "officials-user-key"
ADMIN_KEY = "officials-admin-key"


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = Path(os.environ.get("POLICY_ASSISTANT_SCREENSHOTS", "/tmp/ui_shots")) / "officials"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


@pytest.fixture(scope="module")
def server(shipped_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server with an API key and an admin key, on a private copy of the shipped store."""
    root = tmp_path_factory.mktemp("officials-store")
    shutil.copytree(shipped_settings.data_dir, root / "data")
    settings = shipped_settings.model_copy(
        update={"data_dir": root / "data", "api_keys": [USER_KEY], "admin_api_keys": [ADMIN_KEY]}
    )
    with serve(settings) as url:
        yield url


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian Chromium not found at /usr/bin/chromium: run `make browser-deps`")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@contextlib.contextmanager
def _official(browser: Any, server: str, viewport: dict[str, int]) -> Iterator[Any]:
    """A logged-in official's page (an API key, not the admin) on ``viewport``, waiting for the UI."""
    context = browser.new_context(viewport=viewport, locale="en-US")  # an English browser: the UI stays Chinese
    login = context.request.post(f"{server}/ui/login", form={"username": "staff", "password": USER_KEY})
    assert login.ok, login.status
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.errors.append(str(e)))  # type: ignore[attr-defined]
    page.goto(f"{server}/ui/")
    page.wait_for_selector("#pa-question textarea")
    page.wait_for_function("document.querySelectorAll('#pa-examples button').length > 0")
    try:
        yield page
        assert page.errors == [], page.errors  # type: ignore[attr-defined]
    finally:
        context.close()


def _in_view(page: Any, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    height = page.evaluate("window.innerHeight")
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def _tab(page: Any, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    page.wait_for_timeout(500)


def _ask(page: Any, question: str) -> Any:
    n = page.locator("#pa-chatbot .pa-answer").count()
    page.locator("#pa-question textarea").fill(question)
    page.locator("#pa-ask").click()
    page.wait_for_function(f"document.querySelectorAll('#pa-chatbot .pa-answer').length > {n}")
    return page.locator("#pa-chatbot .pa-answer").nth(n)


def test_desktop_items_1_to_9(browser: Any, server: str, shots: Path) -> None:
    with _official(browser, server, LAPTOP) as page:
        # 3. No scroll to the input on load: title and tabs in view.
        page.wait_for_timeout(1000)
        assert page.evaluate("window.scrollY") == 0
        assert _in_view(page, ".pa-header h1") and _in_view(page, "[role=tab]")
        page.screenshot(path=str(shots / "03_load_desktop.png"))

        # 4. Gradio's own strings in Chinese (an English browser), no 对话 label over the messages.
        assert page.locator("#pa-chatbot [data-testid=block-label]").count() == 0

        # 6. The question shows in the chat at once, with a pending answer (the answer's request is held).
        held: list[Any] = []
        seen = {"n": 0}

        def hold_second(route: Any) -> None:
            seen["n"] += 1
            if seen["n"] == 2:
                held.append(route)
            else:
                route.continue_()

        page.route("**/gradio_api/queue/join*", hold_second)
        question = "到2025年每万人口全科医生数要达到多少？"
        page.locator("#pa-question textarea").fill(question)
        page.locator("#pa-ask").click()
        page.wait_for_selector("#pa-chatbot .pa-pending")
        assert question in page.locator("#pa-chatbot .pa-user").last.inner_text()
        assert page.locator("#pa-question textarea").input_value() == ""
        page.screenshot(path=str(shots / "06_pending.png"))
        deadline = time.monotonic() + 30
        while not held and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        for route in held:
            route.continue_()
        page.unroute("**/gradio_api/queue/join*")
        page.wait_for_function("document.querySelectorAll('#pa-chatbot .pa-answer').length > 0")
        answer = page.locator("#pa-chatbot .pa-answer").last
        assert page.locator("#pa-chatbot .pa-pending").count() == 0

        # 2. [n] jumps to its source and highlights it.
        ref = answer.locator(".pa-ref").first
        n = re.sub(r"\D", "", ref.inner_text())
        ref.click()
        card = answer.locator(f"#pa-cite-{n}")
        page.wait_for_function("document.querySelectorAll('.pa-source.pa-flash').length === 1")
        assert "pa-flash" in (card.get_attribute("class") or "")
        page.wait_for_timeout(800)  # smooth scrolling
        assert card.bounding_box() is not None
        page.screenshot(path=str(shots / "02_marker_jump.png"))

        # 1. A table-row citation: the cell under its header, the whole row one click away.
        answer = _ask(page, "各县区2025年培养全科医生数（人）分别是多少？")
        cell = answer.locator(".pa-cell").first
        cell.wait_for()
        assert re.search(r".+ · .+：\S+", cell.inner_text())
        row = answer.locator("details.pa-row").first
        row.locator("summary").click()
        assert row.evaluate("d => d.open") and row.locator("tr").count() >= 2
        page.screenshot(path=str(shots / "01_table_cells.png"), full_page=True)

        # 9. One limit: the box takes at most the API's 500 characters, and the server refuses more.
        box = page.locator("#pa-question textarea")
        assert box.get_attribute("maxlength") == "500"
        box.fill("问" * 602)
        assert len(box.input_value()) == 500
        before = page.locator("#pa-chatbot .pa-user").count()
        # A script can set a longer value than the box allows: the server still refuses it.
        box.evaluate("el => { el.value = '问'.repeat(602); el.dispatchEvent(new Event('input', {bubbles: true})); }")
        page.locator("#pa-ask").click()
        toast = page.locator(".toast-wrap").filter(has_text="500 字以内").first
        toast.wait_for()
        assert "注意" in toast.inner_text(), toast.inner_text()  # 4. the toast title in Chinese too
        assert page.locator("#pa-chatbot .pa-user").count() == before
        page.screenshot(path=str(shots / "09_limit.png"))
        box.fill("")

        # 4. Regions labelled with their plan.
        page.get_by_text("筛选条件").first.click()
        page.locator("#pa-chat-region input").click()
        options = page.get_by_role("option").all_inner_texts()
        assert any(re.fullmatch(r".+（.+）", o.strip()) for o in options), options
        page.screenshot(path=str(shots / "04_regions.png"))
        page.keyboard.press("Escape")

        # 5. 指标: the row clicked opens its own detail; charts from zero with plain labels; pickers.
        _tab(page, "指标")
        page.wait_for_function("/共 \\d+ 条/.test((document.querySelector('#pa-t-count') || {}).innerText || '')")
        page.locator("#pa-t-indicator textarea, #pa-t-indicator input").first.fill("全科医生")
        page.locator("#pa-t-search").click()
        rows = page.locator("#pa-t-table [role=row].virtual-row")
        rows.first.wait_for()
        page.wait_for_timeout(1500)
        years = [rows.nth(i).locator("[role=gridcell]").nth(6).inner_text().strip() for i in range(rows.count())]
        for year in dict.fromkeys(y for y in years if re.fullmatch(r"20\d\d", y)):
            i = years.index(year)
            rows.nth(i).locator("[role=gridcell]").nth(2).click()
            page.wait_for_function(
                f"(document.querySelector('#pa-t-detail .pa-facts') || {{innerText: ''}}).innerText.includes('{year}')"
            )
        # 4. wide tables scroll: the last columns (原文, 来源) are reachable, not cut off.
        wrap = page.locator("#pa-t-table .table-wrap").first
        assert wrap.evaluate("el => getComputedStyle(el).overflowX") in ("auto", "scroll")
        assert page.locator("#pa-t-table thead th").filter(has_text="来源").count() == 1
        assert page.locator("input.search-input").first.get_attribute("placeholder") == "搜索…"
        page.wait_for_function("document.querySelectorAll('#pa-chart-year .mark-line path[stroke]').length > 0")
        assert page.locator("#pa-chart-year .mark-line path[stroke]").count() <= 5
        ticks = page.locator("#pa-chart-year .role-axis-label text").all_text_contents()
        assert ticks and not any(re.search(r"\.\d{4,}", t) for t in ticks), ticks
        assert "0" in ticks  # the value axis starts at zero
        expect_series = page.locator("#pa-t-series")
        assert expect_series.is_visible()
        page.screenshot(path=str(shots / "05_targets_by_year.png"), full_page=True)
        page.locator("#pa-t-axis").get_by_text("按地区").click()
        page.wait_for_function("document.querySelectorAll('#pa-chart-region .mark-rect path').length >= 1")
        assert page.locator("#pa-t-chart-year").is_visible()
        bar_ticks = page.locator("#pa-chart-region .role-axis-label text").all_text_contents()
        assert "0" in bar_ticks and not any(re.search(r"\.\d{4,}", t) for t in bar_ticks), bar_ticks
        page.screenshot(path=str(shots / "05_targets_by_region.png"), full_page=True)

        # 7. No upload, removal or 运行评测 for an official; the 评测 page does not say make eval.
        _tab(page, "文件")
        assert not page.locator("#pa-upload-col").is_visible() and not page.locator("#pa-del-btn").is_visible()
        assert page.locator("#pa-upload input[type=file]").count() == 0 or not page.locator("#pa-upload").is_visible()
        # 8. Plans with missing metadata are flagged, with how to correct them.
        assert page.locator("#pa-docs-table thead th").filter(has_text="缺少元数据").count() == 1
        note = page.locator("#pa-meta-missing")
        assert note.is_visible()  # the shipped store has plans without an issuer or a date
        assert "更正方法" in note.inner_text() and re.search(r"：缺少\S+", note.inner_text())
        page.screenshot(path=str(shots / "07_08_documents.png"), full_page=True)
        _tab(page, "评测")
        assert not page.locator("#pa-eval-run").is_visible()
        assert "make eval" not in page.locator("#pa-eval").inner_text()
        page.screenshot(path=str(shots / "07_evaluation.png"), full_page=True)

        # The UI's internal endpoints are not in Gradio's API listing.
        info = page.request.get(f"{server}/ui/gradio_api/info")
        assert info.ok and info.json()["named_endpoints"] == {}, info.text()[:500]


def test_phone_items(browser: Any, server: str, shots: Path) -> None:
    with _official(browser, server, PHONE) as page:
        page.wait_for_timeout(1000)
        # 3. Title and tabs visible, the question box above the fold.
        assert page.evaluate("window.scrollY") == 0
        assert _in_view(page, ".pa-header h1") and _in_view(page, "[role=tab]")
        assert _in_view(page, "#pa-question textarea"), page.locator("#pa-question textarea").bounding_box()
        page.screenshot(path=str(shots / "03_load_phone.png"))
        answer = _ask(page, "到2025年每万人口全科医生数要达到多少？")
        answer.locator(".pa-ref").first.click()
        page.wait_for_function("document.querySelectorAll('.pa-source.pa-flash').length === 1")
        page.screenshot(path=str(shots / "02_phone_marker_jump.png"))
        for name in ("指标", "文件", "评测"):
            _tab(page, name)
            page.screenshot(path=str(shots / f"phone_{name}.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{name}: page is {overflow}px wider than a phone screen"
        assert not page.locator("#pa-eval-run").is_visible()
