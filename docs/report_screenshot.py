"""Make docs/report.png: the report of a real local run of a small campaign (two products of
two videos, and one whose page has nothing to extract), run twice with an override changed in
between, as Chromium shows it.

    python docs/report_screenshot.py [--out docs/report.png] [--width 1200]

It makes the runs and the page as the browser tests do (tests/report/report_kit.py), so it
needs what they need: the test extra (Playwright) and Debian's Chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from report.report_kit import chromium, run_twice_and_report  # noqa: E402

COVERS_LOADED = (
    "[...document.querySelectorAll('img.cover')]"
    ".every(image => image.complete && image.naturalWidth > 0)"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "report.png")
    parser.add_argument("--width", type=int, default=1200, help="the window's width in pixels")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="report-screenshot-") as folder:
        runs = run_twice_and_report(Path(folder))
        with chromium(viewport={"width": args.width, "height": 900}) as context:
            page = context.new_page()
            page.goto(runs.url, wait_until="load")
            page.wait_for_function(COVERS_LOADED, timeout=10_000)
            page.screenshot(path=args.out, full_page=True)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
