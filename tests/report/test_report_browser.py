"""The report of a real local run, opened from disk in a real headless Chromium: it loads with
no error and no network, shows a card per video, filters and searches, its covers load and its
videos play, it lists what a second run changed, it can be used with the keyboard alone, its
text keeps its contrast, and it fits a phone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from report.report_kit import ReportedRuns, chromium, shared_runs

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VIDEOS = ["blush/short", "blush/wide", "headphones/short", "headphones/wide", "retired"]
SHOWN = "article.video-card:not([hidden])"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> ReportedRuns:
    return shared_runs(tmp_path_factory)


@pytest.fixture(scope="module")
def browser(runs: ReportedRuns) -> Iterator[Any]:
    """Started after the runs: Playwright keeps an event loop running in this thread, and a
    run starts its own."""
    with chromium(viewport={"width": 1280, "height": 900}) as context:
        yield context


@dataclass
class Opened:
    page: Any
    problems: list[str] = field(default_factory=list)  # console errors, script errors
    requests: list[str] = field(default_factory=list)

    def shown(self) -> list[str]:
        return self.page.eval_on_selector_all(SHOWN, "cards => cards.map(c => c.dataset.videoId)")

    def count(self) -> str:
        return self.page.text_content("#shown-count")


@contextmanager
def opened(browser: Any, runs: ReportedRuns, **viewport: int) -> Iterator[Opened]:
    page = browser.new_page()
    if viewport:
        page.set_viewport_size(viewport)
    seen = Opened(page)
    page.on("console", lambda m: m.type == "error" and seen.problems.append(m.text))
    page.on("pageerror", lambda error: seen.problems.append(f"script: {error}"))
    page.on("requestfailed", lambda request: _failed(request, seen.problems))
    page.on("request", lambda request: seen.requests.append(request.url))
    page.goto(runs.url, wait_until="load")
    try:
        yield seen
    finally:
        page.close()


def _failed(request: Any, problems: list[str]) -> None:
    # A player that has read what it needs of its video aborts the rest of the file's read.
    if request.resource_type == "media" and request.failure == "net::ERR_ABORTED":
        return
    problems.append(f"{request.failure}: {request.url}")


def test_it_opens_from_disk_with_no_error_and_a_card_per_video(
    browser: Any, runs: ReportedRuns, tmp_path: Path
) -> None:
    assert runs.first.stdout.endswith("report: 1 campaign, 5 videos -> results/report.html\n")
    with opened(browser, runs) as report:
        report.page.wait_for_timeout(500)  # the players read their videos' metadata
        assert report.problems == []
        assert [url for url in report.requests if not url.startswith("file://")] == []
        assert report.shown() == VIDEOS
        assert [runs.campaign.manifest_json()["videos"][i]["id"] for i in range(5)] == VIDEOS
        assert report.count() == "5 of 5 videos shown"
        summary = report.page.text_content(".campaign-summary")
        last_run = r"Last run\s+\d+\.\d s, \d{4}-\d\d-\d\d \d\d:\d\d UTC; \d+ requests "
        assert re.search(last_run + r"\(\d+ POST, 1 PUT\)", summary), summary
        assert re.search(r"Videos\s+5:\s+4 success\s+1 failed\s+0 pending", summary), summary
        retired = report.page.text_content('[data-video-id="retired"] .problem')
        assert "Error: create_product " in retired
        assert "Next: The product could not be made from its page" in retired
        report.page.screenshot(path=tmp_path / "report.png", full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 10_000


def test_filters_and_search_change_what_is_shown(browser: Any, runs: ReportedRuns) -> None:
    with opened(browser, runs) as report:
        page = report.page
        page.select_option("#filter-status", "failed")
        assert report.shown() == ["retired"]
        assert report.count() == "1 of 5 videos shown"
        page.select_option("#filter-status", "success")
        page.select_option("#filter-aspect", "landscape")
        assert report.shown() == ["blush/wide", "headphones/wide"]
        page.select_option("#filter-language", "spanish")
        assert report.shown() == ["blush/wide"]
        page.click("button[type=reset]")
        assert report.shown() == VIDEOS
        page.select_option("#filter-style", "Soft Selling")
        assert report.shown() == ["headphones/short"]
        page.select_option("#filter-style", "")
        page.select_option("#filter-product", "blush")
        assert report.shown() == ["blush/short", "blush/wide"]
        page.select_option("#filter-product", "")

        page.fill("#search", "wireless HEADPHONES")
        assert report.shown() == ["headphones/short", "headphones/wide"]
        assert page.is_hidden("#no-match")
        page.fill("#search", "kettle")
        assert report.shown() == []
        assert report.count() == "0 of 5 videos shown"
        assert page.is_visible("#no-match")
        assert page.is_hidden(".gallery-group")
        page.fill("#search", "")
        assert report.shown() == VIDEOS
        assert report.problems == []


def test_every_cover_loads_and_every_video_plays(browser: Any, runs: ReportedRuns) -> None:
    with opened(browser, runs) as report:
        page = report.page
        covers = page.locator("img.cover")
        assert covers.count() == 4  # the failed video has none
        for index in range(covers.count()):
            covers.nth(index).scroll_into_view_if_needed()
        page.wait_for_function(
            "[...document.querySelectorAll('img.cover')]"
            ".every(image => image.complete && image.naturalWidth > 0)",
            timeout=10_000,
        )
        states = page.evaluate(
            """() => Promise.all([...document.querySelectorAll('video')].map(async video => {
                video.muted = true;
                await video.play();
                while (video.readyState < 2) { await new Promise(r => setTimeout(r, 50)); }
                video.pause();
                return [video.readyState, new URL(video.currentSrc).protocol];
            }))"""
        )
        assert len(states) == 4
        assert all(state >= 2 and protocol == "file:" for state, protocol in states), states
        assert report.problems == []


def test_the_changes_view_lists_what_the_second_run_changed(
    browser: Any, runs: ReportedRuns
) -> None:
    with opened(browser, runs) as report:
        items = report.page.eval_on_selector_all(
            "#changes li.change",
            "items => items.map(i => [i.dataset.change, i.innerText.trim().replace(/\\s+/g, ' ')])",
        )
        old = '"Happy Booster Heart Blush – Rose – 20% off"'
        new = '"Happy Booster Heart Blush – Rose – 20% off today"'
        assert items == [
            ["changed", f"changed product blush: name {old} -> {new}"],
            ["changed", f"changed blush/short: new video: product name {old} -> {new}"],
            ["changed", f"changed blush/wide: new video: product name {old} -> {new}"],
        ]
        report.page.click("#changes a[href='#video-nightly--blush-wide']")
        assert report.page.evaluate("location.hash") == "#video-nightly--blush-wide"
        assert report.page.locator("#video-nightly--blush-wide").is_visible()


def test_every_control_is_reached_by_tab_with_a_visible_focus(
    browser: Any, runs: ReportedRuns
) -> None:
    with opened(browser, runs) as report:
        page = report.page
        reached: list[tuple[str, str, str, float]] = []
        last = -1
        for step in range(300):
            page.keyboard.press("Tab")
            tag, element_id, outline, width, first = page.evaluate(
                """(step) => {
                    const element = document.activeElement;
                    const style = getComputedStyle(element);
                    element.dataset.tabbed = element.dataset.tabbed || String(step);
                    return [element.tagName.toLowerCase(), element.id, style.outlineStyle,
                            parseFloat(style.outlineWidth), Number(element.dataset.tabbed)];
                }""",
                step,
            )
            if tag == "body" or first not in (step, last):
                break  # round the page and back to an element seen before
            if first == step:  # Tab inside a player moves through its own buttons
                reached.append((tag, element_id, outline, width))
            last = first
        assert reached[0][:2] == ("a", "")  # the skip link comes first
        ids = {element_id for _, element_id, _, _ in reached}
        filters = ("status", "language", "aspect", "style", "product")
        assert {f"filter-{name}" for name in filters} | {"search"} <= ids
        tags = [tag for tag, _, _, _ in reached]
        assert tags.count("video") == 4 and "button" in tags and "summary" in tags
        hidden_focus = [f for f in reached if f[2] == "none" or f[3] < 2]
        assert hidden_focus == []


CONTRAST = """() => {
    const luminance = rgb => {
        const [r, g, b] = rgb.match(/[\\d.]+/g).slice(0, 3).map(Number).map(c => {
            c /= 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const background = element => {
        for (let e = element; e; e = e.parentElement) {
            const colour = getComputedStyle(e).backgroundColor;
            if (!/rgba\\(.*, 0\\)$/.test(colour) && colour !== 'transparent') return colour;
        }
        return 'rgb(255, 255, 255)';
    };
    const low = [];
    for (const element of document.body.querySelectorAll('*')) {
        if (element.closest('video, option, script, style')) continue;
        const own = [...element.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
        if (!own || element.getClientRects().length === 0) continue;
        const [a, b] = [luminance(getComputedStyle(element).color), luminance(background(element))];
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        if (ratio < 4.5) low.push(`${element.tagName} ${element.className}: ${ratio.toFixed(2)}`);
    }
    return low;
}"""


def test_text_contrast_is_at_least_4_5_to_1(browser: Any, runs: ReportedRuns) -> None:
    with opened(browser, runs) as report:
        report.page.focus("a.skip-link")  # shown only when focused: checked as it is seen
        assert report.page.evaluate(CONTRAST) == []


def test_it_fits_a_phone(browser: Any, runs: ReportedRuns, tmp_path: Path) -> None:
    with opened(browser, runs, width=375, height=812) as report:
        page = report.page
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        overflowing = page.eval_on_selector_all(
            "main *", "all => all.filter(e => e.getBoundingClientRect().right > 375.5).length"
        )
        assert overflowing == 0
        page.fill("#search", "blush")
        assert report.shown() == ["blush/short", "blush/wide"]
        page.screenshot(path=tmp_path / "report-phone.png")
        assert report.problems == []
