"""`jogg-pipeline init`: write a commented starter spec."""

from __future__ import annotations

import argparse
from pathlib import Path

from jogg_pipeline.errors import EXIT_OK, UsageError
from jogg_pipeline.spec.urls import slug

YAML_STARTER = """\
# A jogg-pipeline campaign. Check it with `jogg-pipeline validate {file}`.
version: 1
campaign: {campaign}        # names the state and the results manifest
backend: local              # local (free, offline preview) or jogg (the JoggAI cloud)

vars:                       # values for templates: {{{{ vars.discount }}}}
  discount: 20

defaults:                   # settings for every video; the API's own field names
  aspect_ratio: portrait    # portrait | landscape | square
  video_length: 15          # 15 | 30 | 60 seconds
  language: english         # one of the API's 54 languages
  script_style: "Don't Worry"
  visual_style: FullScreen  # or template_id (with template_type), not both
  caption: true

products:
  - url: https://shop.example.com/products/your-product   # or a local HTML file
    key: your-product       # stable id; derived from the URL when left out
    overrides:              # product fields to change after extraction (Jinja templates)
      name: "{{{{ product.name }}}} – {{{{ vars.discount }}}}% off"
    videos:                 # variants; each may change any default
      - name: short
      - name: long
        video_length: 30
"""

TOML_STARTER = """\
# A jogg-pipeline campaign. Check it with `jogg-pipeline validate {file}`.
version = 1
campaign = "{campaign}"   # names the state and the results manifest
backend = "local"         # local (free, offline preview) or jogg (the JoggAI cloud)

[vars]                    # values for templates: {{{{ vars.discount }}}}
discount = 20

[defaults]                # settings for every video; the API's own field names
aspect_ratio = "portrait" # portrait | landscape | square
video_length = 15         # 15 | 30 | 60 seconds
language = "english"      # one of the API's 54 languages
script_style = "Don't Worry"
visual_style = "FullScreen" # or template_id (with template_type), not both
caption = true

[[products]]
url = "https://shop.example.com/products/your-product"  # or a local HTML file
key = "your-product"      # stable id; derived from the URL when left out

[products.overrides]      # product fields to change after extraction (Jinja templates)
name = "{{{{ product.name }}}} – {{{{ vars.discount }}}}% off"

[[products.videos]]       # variants; each may change any default
name = "short"

[[products.videos]]
name = "long"
video_length = 30
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "init",
        help="write a commented starter spec",
        description="Write a commented starter campaign spec to edit.",
    )
    parser.add_argument(
        "path", nargs="?", type=Path, default=None, help="file to write (default: campaign.yaml)"
    )
    parser.add_argument("--format", choices=("yaml", "toml"), help="default: from the file name")
    parser.add_argument("--campaign", help="campaign name (default: from the file name)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    fmt = args.format or ("toml" if args.path and args.path.suffix == ".toml" else "yaml")
    path: Path = args.path or Path(f"campaign.{fmt}")
    if path.suffix.lower() not in {".yaml", ".yml", ".toml"}:
        raise UsageError(f"{path}: a spec file ends in .yaml, .yml or .toml")
    if (path.suffix.lower() == ".toml") != (fmt == "toml"):
        raise UsageError(f"{path}: the file name does not match --format {fmt}")
    if path.exists() and not args.force:
        raise UsageError(f"{path} exists; use --force to overwrite it")
    campaign = args.campaign or slug(path.stem) or "campaign"
    if slug(campaign) != campaign:
        raise UsageError(
            f"campaign name '{campaign}' must use lowercase letters, digits, '.', '_' and '-'"
            f" (e.g. '{slug(campaign) or 'spring-sale'}')"
        )
    starter = TOML_STARTER if fmt == "toml" else YAML_STARTER
    path.write_text(starter.format(campaign=campaign, file=path.name), encoding="utf-8")
    print(f"wrote {path}; edit it, then run: jogg-pipeline validate {path}")
    return EXIT_OK
