"""What the page says and where it points, from manifests written as runs write them: the
cards and their filter values, local files by paths relative to the page, cloud files by URL,
credits, the last run, errors with what to do next, and text from product pages escaped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import lxml.html
from report.report_kit import manifest_document, product_entry, video_entry, write_manifest
from support.cli import run_in_process


def _report(root: Path, *arguments: str | Path) -> Any:
    result = run_in_process("report", *arguments, cwd=root)
    assert result.returncode == 0, result.stderr
    page = Path(result.stdout.rsplit(" -> ", 1)[1].strip())
    return lxml.html.fromstring((root / page).read_bytes())


def _card(page: Any, video_id: str) -> Any:
    (card,) = page.xpath(f'//article[@class="video-card"][@data-video-id="{video_id}"]')
    return card


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def _project(root: Path, videos: list[dict[str, Any]], **options: Any) -> Path:
    (root / "specs").mkdir(exist_ok=True)
    products = {
        "blush": product_entry("blush", "Heart Blush", overrides={"name": "Heart Blush – 20% off"}),
        "phones": product_entry("phones", "Studio Headphones", price="129.00 USD"),
    }
    return write_manifest(
        root / "results" / "nightly.json", manifest_document(videos, products, **options)
    )


def test_each_card_carries_what_its_filters_read(tmp_path: Path) -> None:
    landscape = video_entry("phones/wide")
    landscape["settings"] |= {
        "aspect_ratio": 1,
        "language": "spanish",
        "script_style": "Soft Selling",
    }
    _project(tmp_path, [video_entry("blush/short", "failed"), landscape])
    page = _report(tmp_path)
    card = _card(page, "phones/wide")
    assert {
        name: card.get(f"data-{name}")
        for name in ("status", "language", "aspect", "style", "product")
    } == {
        "status": "success",
        "language": "spanish",
        "aspect": "landscape",
        "style": "Soft Selling",
        "product": "phones",
    }
    assert _card(page, "blush/short").get("data-aspect") == "portrait"
    options = {
        select.get("id"): [option.get("value") for option in select.xpath("option")]
        for select in page.xpath("//select")
    }
    assert options == {
        "filter-status": ["", "success", "failed", "pending"],
        "filter-language": ["", "english", "spanish"],
        "filter-aspect": ["", "portrait", "landscape"],
        "filter-style": ["", "Don't Worry", "Soft Selling"],
        "filter-product": ["", "blush", "phones"],
    }
    assert page.xpath('//input[@type="search"]/@id') == ["search"]
    assert _text(page.get_element_by_id("shown-count")) == "2 of 2 videos shown"
    settings = _text(card.xpath('.//details[@class="settings"]')[0])
    assert "aspect_ratio landscape (16:9)" in settings and "video_length 15 s" in settings
    product = _text(_card(page, "blush/short").xpath('.//div[@class="product"]')[0])
    assert product == "Heart Blush blush · 14.99 USD https://shop.example.com/blush"
    overrides = _text(_card(page, "blush/short").xpath('.//dl[@class="pairs"]')[0])
    assert overrides == "name Heart Blush – 20% off"


def test_local_files_play_from_paths_relative_to_the_page(tmp_path: Path) -> None:
    engine = tmp_path / "my state" / "engine" / "files" / "projects" / "p1"
    engine.mkdir(parents=True)
    (engine / "video.mp4").write_bytes(b"engine copy")
    (engine / "cover.jpg").write_bytes(b"cover")
    download = tmp_path / "videos" / "nightly" / "blush--short.mp4"
    download.parent.mkdir(parents=True)
    download.write_bytes(b"downloaded copy")
    local = {
        "video_url": "my state/engine/files/projects/p1/video.mp4",
        "cover_url": "my state/engine/files/projects/p1/cover.jpg",
    }
    _project(
        tmp_path,
        [
            video_entry("blush/short", **local, file="videos/nightly/blush--short.mp4"),
            video_entry("blush/wide", **local),
        ],
    )
    page = _report(tmp_path, "-o", "site/report.html")
    downloaded, engine_only = _card(page, "blush/short"), _card(page, "blush/wide")
    assert downloaded.xpath(".//video/source/@src") == ["../videos/nightly/blush--short.mp4"]
    assert engine_only.xpath(".//video/source/@src") == [
        "../my%20state/engine/files/projects/p1/video.mp4"
    ]
    cover = "../my%20state/engine/files/projects/p1/cover.jpg"
    assert engine_only.xpath(".//video/@poster") == [cover]
    (image,) = engine_only.xpath('.//img[@class="cover"]')
    assert image.get("src") == cover
    assert image.get("alt") == "Cover of blush/wide: Heart Blush"
    assert engine_only.xpath(".//video/@preload") == ["metadata"]


def test_a_local_file_that_is_gone_is_said_instead_of_a_player(tmp_path: Path) -> None:
    _project(
        tmp_path, [video_entry("blush/short", video_url=".jogg/engine/files/projects/p/video.mp4")]
    )
    card = _card(_report(tmp_path), "blush/short")
    assert not card.xpath(".//video")
    assert _text(card.xpath('.//p[@class="no-video"]')[0]) == (
        "No video to play: video not found: .jogg/engine/files/projects/p/video.mp4"
    )


def test_cloud_videos_play_from_their_urls_and_count_their_credits(tmp_path: Path) -> None:
    cloud = {
        "video_url": "https://res.jogg.ai/v/1.mp4",
        "cover_url": "https://res.jogg.ai/v/1.jpg",
    }
    shared = video_entry("blush/short", **cloud, project_id="p1")
    twin = video_entry("blush/twin", **cloud, project_id="p1")  # the same video: paid once
    longer = video_entry("phones/long", project_id="p2", status="pending")
    longer["settings"]["video_length"] = "60"
    failed = video_entry("phones/short", "failed")  # never requested: free
    _project(tmp_path, [shared, twin, longer, failed], backend="jogg")
    page = _report(tmp_path)
    assert _card(page, "blush/short").xpath(".//video/source/@src") == [cloud["video_url"]]
    assert _card(page, "blush/short").xpath(".//video/@poster") == [cloud["cover_url"]]
    summary = _text(page.xpath('//article[@class="campaign-summary"]')[0])
    assert "Credits spent 2 · 1 credit per started 2 minutes of each video requested" in summary
    assert "Backend jogg" in summary
    assert "Videos 4: 2 success 1 failed 1 pending" in summary


def test_the_local_engine_costs_nothing_and_the_last_run_comes_from_its_record(
    tmp_path: Path,
) -> None:
    _project(tmp_path, [video_entry("blush/short")])
    summary = _text(_report(tmp_path).xpath('//article[@class="campaign-summary"]')[0])
    assert "Credits spent 0 · free (local engine)" in summary
    assert "Last run no run record in .jogg/runs/nightly/" in summary

    record = {
        "campaign": "nightly",
        "started": 1796062611.19,
        "seconds": 10.266,
        "interrupted": False,
        "requests": {"sent": {"GET /project": 50, "POST /product": 2, "PUT /product": 2}},
    }
    runs = tmp_path / ".jogg" / "runs" / "nightly"
    runs.mkdir(parents=True)
    (runs / "20261130T181651Z.json").write_text(json.dumps(record))
    (runs / "20261129T000000Z.json").write_text("{}")  # an older run: not the one shown
    summary = _text(_report(tmp_path).xpath('//article[@class="campaign-summary"]')[0])
    assert "Last run 10.3 s, 2026-11-30 18:16 UTC; 54 requests (2 POST, 2 PUT) Backend" in summary


def test_videos_that_did_not_succeed_say_their_error_and_what_to_do_next(tmp_path: Path) -> None:
    def error(step: str, code: int | str, msg: str) -> dict[str, Any]:
        return {"step": step, "code": code, "msg": msg}

    videos = [
        video_entry(
            "blush/template",
            "failed",
            error=error("render_templates", "template", "specs/nightly.yaml:9:13: no colour"),
        ),
        video_entry("blush/page", "failed", error=error("create_product", 40000, "no product")),
        video_entry("blush/render", "failed", project_id="p3", error=error("render", 3, "boom")),
        video_entry(
            "phones/doubt",
            "pending",
            error=error("create_video", "in_doubt", "the request was sent but its answer was lost"),
        ),
        video_entry("phones/rendering", "pending"),
        video_entry("phones/later", "pending", project_id=None),
    ]
    page = _report(tmp_path, _project(tmp_path, videos).relative_to(tmp_path))
    problems = {
        card.get("data-video-id"): _text(card.xpath('.//div[contains(@class, "problem")]')[0])
        for card in page.xpath('//article[@class="video-card"]')
    }
    assert problems == {
        "blush/page": "Error: create_product 40000: no product Next: The product could not be "
        "made from its page: check the page at its URL, or change the URL or the overrides in "
        "the spec; the next run tries the product again.",
        "blush/render": "Error: render 3: boom Next: The video failed while being made: run "
        "with --retry-failed to request it again (free on the local engine).",
        "blush/template": "Error: render_templates template: specs/nightly.yaml:9:13: no colour "
        "Next: Fix the spec where the message points, then run again.",
        "phones/doubt": "Error: create_video in_doubt: the request was sent but its answer was "
        "lost Next: The next run looks for it in the backend's list of videos before sending "
        "anything; if it is not there, run with --retry-in-doubt to send the request again (it "
        "may make the video twice).",
        "phones/later": "Next: Not requested yet (left out by --only, or the run stopped "
        "first): the next run requests it.",
        "phones/rendering": "Next: Still being made: run again (with a longer --wait) to "
        "collect it.",
    }
    assert _text(_card(page, "blush/page").xpath('.//p[@class="no-video"]')[0]) == (
        "No video: it failed"
    )


def test_text_from_pages_is_escaped_and_only_the_media_load(tmp_path: Path) -> None:
    hostile = '<script>alert("name")</script>'
    video = video_entry(
        "blush/short",
        video_url="javascript:alert(1)",
        cover_url="https://cdn.example.com/c.jpg",
        warnings=['<img src=x onerror="alert(2)">'],
    )
    (tmp_path / "specs").mkdir()
    products = {"blush": product_entry("blush", hostile, url="javascript:alert(3)")}
    write_manifest(tmp_path / "results" / "nightly.json", manifest_document([video], products))
    result = run_in_process("report", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "results" / "report.html").read_text()
    assert hostile not in html and "&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt;" in html
    assert "javascript:" not in html.replace("<code>javascript:alert(3)</code>", "")
    page = lxml.html.fromstring(html)
    assert len(page.xpath("//script")) == 1 and not page.xpath("//script[@src] | //link")
    loaded = page.xpath("//@src | //@poster")
    assert loaded == ["https://cdn.example.com/c.jpg"]
    (policy,) = page.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
    assert policy.startswith("default-src 'none'; style-src 'sha256-")
