"""Make docs/contact-sheet.png: one product in every visual style and aspect ratio.

Each cell is the frame the renderer draws a few seconds into a narrated video (voice, captions,
presenter), at hd quality; rows are the visual styles, columns the aspect ratios.

    python docs/contact_sheet.py [--out docs/contact-sheet.png] [--at 6.5]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image, ImageDraw

from jogg_pipeline.engine.narration.script import ProductFacts, write_script
from jogg_pipeline.engine.render import VISUAL_STYLES, RenderSpec
from jogg_pipeline.engine.render.planar import to_rgb
from jogg_pipeline.engine.render.renderer import prepare
from jogg_pipeline.engine.render.text import draw_text, fit_text
from jogg_pipeline.engine.render.timeline import narration_window

ROOT = Path(__file__).resolve().parents[1]
IMAGES = tuple(sorted((ROOT / "examples" / "pages" / "images").glob("headphones-*.jpg")))
ASPECTS = {0: "portrait 9:16", 1: "landscape 16:9", 2: "square 1:1"}
CELL = 360  # the longer side of each cell, in pixels
LABEL = 36
FACTS = ProductFacts(
    name="Studio Wireless Headphones",
    description=(
        "Forty hours of battery on one charge. Active noise cancelling for busy commutes. "
        "Soft memory-foam cushions for all-day comfort. Folds flat into its travel case."
    ),
    price="$129.00",
    availability="InStock",
)


def cell(style: str, aspect: int, at: float) -> Image.Image:
    start, end = narration_window(15.0)
    script = write_script(FACTS, "Top 3 reasons", "english", end - start)
    spec = RenderSpec(
        aspect_ratio=aspect,
        video_length=15,
        title=FACTS.name,
        price=FACTS.price,
        images=IMAGES,
        visual_style=style,
        quality="hd",
        seed=3,
        script=script.sentences,
        voice_id="local-en-US-female",
        music_id=2,
        presenter_id=7,
    )
    frame = to_rgb(prepare(spec).compositor.frame(at))
    frame.thumbnail((CELL, CELL))
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "contact-sheet.png")
    parser.add_argument("--at", type=float, default=6.5, help="seconds into each video")
    args = parser.parse_args()
    styles = list(VISUAL_STYLES)
    width = LABEL * 5 + CELL * len(ASPECTS)
    sheet = Image.new("RGB", (width, LABEL + len(styles) * (CELL + LABEL)), (245, 245, 247))
    draw = ImageDraw.Draw(sheet)
    for column, name in enumerate(ASPECTS.values()):
        label = draw_text(fit_text(name, CELL, 1, 22, 10, bold=True), (30, 30, 36))
        sheet.paste(label, (LABEL * 5 + column * CELL + 8, 6), label)
    for row, style in enumerate(styles):
        top = LABEL + row * (CELL + LABEL)
        label = draw_text(fit_text(style, LABEL * 5 - 8, 2, 20, 10, bold=True), (30, 30, 36))
        sheet.paste(label, (6, top + CELL // 2 - label.height // 2), label)
        for column, aspect in enumerate(ASPECTS):
            image = cell(style, aspect, args.at)
            x = LABEL * 5 + column * CELL + (CELL - image.width) // 2
            sheet.paste(image, (x, top + (CELL - image.height) // 2))
        draw.line(
            (0, top + CELL + LABEL // 2, width, top + CELL + LABEL // 2), fill=(220, 220, 226)
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.out, optimize=True)
    print(f"wrote {args.out} ({sheet.width}x{sheet.height})")


if __name__ == "__main__":
    main()
