"""`jogg-pipeline init` without FILE: a campaign repository that validates and runs at once,
offline; its refusals, `--force`, and the .gitignore it leaves."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from PIL import Image

from jogg_pipeline.cli import main

NEXT = (
    "next:\n"
    "  jogg-pipeline validate   # check the specs in specs/\n"
    "  jogg-pipeline plan       # what a run would do; sends nothing\n"
    "  jogg-pipeline run        # make the videos, on the local engine: offline and free\n"
)
PAGES = [
    "pages/images/trail-bottle-colors.jpg",
    "pages/images/trail-bottle-front.jpg",
    "pages/trail-bottle.html",
]
IGNORE_SECTION = (
    "# jogg-pipeline: the run state (a cache, rebuilt from results/) and downloaded videos\n"
    ".jogg/\nvideos/\n"
)


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder named as a person would, as the current folder."""
    folder = tmp_path / "Summer Shop"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize("fmt", ["yaml", "toml"])
def test_init_scaffolds_a_project_that_validates(fmt, shop, capsys) -> None:
    assert main(["init", "--format", fmt]) == 0
    assert capsys.readouterr().out == (
        "a jogg-pipeline project in this folder, campaign summer-shop:\n"
        f"  wrote specs/summer-shop.{fmt}\n"
        + "".join(f"  wrote {page}\n" for page in PAGES)
        + "  wrote results/.gitkeep\n"
        "  wrote .gitignore (.jogg/, videos/)\n" + NEXT
    )
    assert files_under(shop) == sorted(
        [".gitignore", f"specs/summer-shop.{fmt}", "results/.gitkeep", *PAGES]
    )
    assert (shop / "results" / ".gitkeep").read_bytes() == b""
    assert (shop / ".gitignore").read_text() == IGNORE_SECTION
    spec = (shop / "specs" / f"summer-shop.{fmt}").read_text()
    assert spec.startswith("# A jogg-pipeline campaign")
    assert "../pages/trail-bottle.html" in spec

    assert main(["validate", "specs"]) == 0
    captured = capsys.readouterr()
    assert captured.out == (
        f"specs/summer-shop.{fmt}: ok: campaign summer-shop, 1 product, 2 videos, backend local\n"
    )
    assert captured.err == ""


def test_the_sample_page_is_a_real_product_page_with_real_images(shop, capsys) -> None:
    assert main(["init"]) == 0
    capsys.readouterr()
    assert main(["extract", "pages/trail-bottle.html", "--json"]) == 0
    product = json.loads(capsys.readouterr().out)
    assert product["name"] == "Trailhead Insulated Bottle 750 ml – Lagoon"
    assert product["description"].startswith("Cold for 24 hours, hot for 12.")
    assert product["details"]["price"] == "34.00" and product["details"]["currency"] == "USD"
    assert product["details"]["brand"] == "Trailhead Outfitters"
    images = [Path(unquote(urlsplit(m["url"]).path)) for m in product["media"]]
    assert [image.name for image in images] == ["trail-bottle-front.jpg", "trail-bottle-colors.jpg"]
    for image in images:
        with Image.open(image) as picture:
            assert picture.format == "JPEG" and picture.size == (800, 800)
        assert 10_000 < image.stat().st_size < 80_000


def test_dir_and_campaign_and_the_next_steps_name_the_folder(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "--dir", "new/launch", "--campaign", "fall-launch"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("a jogg-pipeline project in new/launch/, campaign fall-launch:\n")
    assert out.endswith("next:\n  cd new/launch\n" + NEXT.removeprefix("next:\n"))
    assert (tmp_path / "new" / "launch" / "specs" / "fall-launch.yaml").is_file()
    assert main(["validate", "new/launch/specs"]) == 0


@pytest.mark.slow
def test_the_scaffolded_project_runs_two_videos_offline(shop, monkeypatch, capsys) -> None:
    """What `init` prints to try next, as a user types it: no SPEC, no options but a fast
    render. Needs the commands to default to the project's specs/ and to let the local engine
    read the project's pages/."""
    assert main(["init"]) == 0
    capsys.readouterr()
    assert main(["validate"]) == 0, capsys.readouterr().err
    assert main(["plan"]) == 0, capsys.readouterr().err
    capsys.readouterr()
    monkeypatch.chdir(shop / "pages")  # commands act on the project from any folder inside
    code = main(["run", "--quality", "preview"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    manifest = json.loads((shop / "results" / "summer-shop.json").read_text())
    assert manifest["summary"] == {"success": 2, "failed": 0, "pending": 0}
    assert [video["id"] for video in manifest["videos"]] == ["bottle/square", "bottle/story"]
    for video in manifest["videos"]:
        assert (shop / video["video_url"]).stat().st_size > 10_000
    assert manifest["products"]["bottle"]["price"] == "34.00 USD"
    assert manifest["products"]["bottle"]["media"] == 2


def test_init_refuses_when_a_file_exists_and_writes_nothing(shop, capsys) -> None:
    spec = shop / "specs" / "summer-shop.yaml"
    spec.parent.mkdir()
    spec.write_text("mine\n")
    assert main(["init"]) == 2
    assert capsys.readouterr().err == (
        "jogg-pipeline: error: specs/summer-shop.yaml exists; use --force to overwrite\n"
    )
    assert files_under(shop) == ["specs/summer-shop.yaml"]
    assert spec.read_text() == "mine\n"

    (shop / "pages").mkdir()
    (shop / "pages" / "trail-bottle.html").write_text("<p>mine</p>\n")
    assert main(["init"]) == 2
    assert capsys.readouterr().err == (
        "jogg-pipeline: error: specs/summer-shop.yaml exists (and 1 more); use --force to "
        "overwrite\n"
    )

    assert main(["init", "--force"]) == 0
    capsys.readouterr()
    assert spec.read_text().startswith("# A jogg-pipeline campaign")
    assert "Trailhead" in (shop / "pages" / "trail-bottle.html").read_text()


def test_init_refuses_the_workflow_that_exists(shop, capsys) -> None:
    workflow = shop / ".github" / "workflows" / "nightly-videos.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("name: mine\n")
    assert main(["init", "--github-actions", "--source", "jogg-pipeline==0.1.0"]) == 2
    assert capsys.readouterr().err == (
        "jogg-pipeline: error: .github/workflows/nightly-videos.yml exists; use --force to "
        "overwrite\n"
    )
    assert files_under(shop) == [".github/workflows/nightly-videos.yml"]


def test_in_a_project_with_specs_the_workflow_is_added_alone(shop, capsys) -> None:
    spec = shop / "specs" / "nightly.yaml"
    spec.parent.mkdir()
    spec.write_text("mine\n")
    source = ["--source", "jogg-pipeline==0.1.0"]
    assert main(["init", "--github-actions", *source]) == 0
    assert capsys.readouterr().out == (
        "the jogg-pipeline project in this folder keeps its specs:\n"
        "  wrote .github/workflows/nightly-videos.yml\n"
        "next:\n"
        "  commit .github/workflows/nightly-videos.yml: GitHub runs the specs every night\n"
    )
    assert files_under(shop) == [".github/workflows/nightly-videos.yml", "specs/nightly.yaml"]
    assert spec.read_text() == "mine\n"
    workflow = shop / ".github" / "workflows" / "nightly-videos.yml"
    assert "jogg-pipeline==0.1.0" in workflow.read_text()

    # A second time it is there: refused, unless --force, which rewrites the workflow alone.
    workflow.write_text("name: mine\n")
    assert main(["init", "--github-actions", *source]) == 2
    assert capsys.readouterr().err == (
        "jogg-pipeline: error: .github/workflows/nightly-videos.yml exists; use --force to "
        "overwrite\n"
    )
    assert main(["init", "--github-actions", "--force", *source]) == 0
    capsys.readouterr()
    assert "jogg-pipeline==0.1.0" in workflow.read_text()
    assert spec.read_text() == "mine\n"


def test_gitignore_gets_the_missing_lines_appended_once(shop, capsys) -> None:
    (shop / ".gitignore").write_text("node_modules/\n/.jogg")  # no final newline
    assert main(["init"]) == 0
    assert "  wrote .gitignore (added videos/)\n" in capsys.readouterr().out
    expected = (
        "node_modules/\n/.jogg\n\n"
        "# jogg-pipeline: the run state (a cache, rebuilt from results/) and downloaded videos\n"
        "videos/\n"
    )
    assert (shop / ".gitignore").read_text() == expected

    assert main(["init", "--force"]) == 0
    assert ".gitignore" not in capsys.readouterr().out
    assert (shop / ".gitignore").read_text() == expected


def test_results_with_manifests_get_no_gitkeep(shop, capsys) -> None:
    (shop / "results").mkdir()
    (shop / "results" / "old.json").write_text("{}\n")
    assert main(["init"]) == 0
    assert "results/.gitkeep" not in capsys.readouterr().out
    assert sorted(p.name for p in (shop / "results").iterdir()) == ["old.json"]


def test_init_refuses_bad_names_and_mixed_options(shop, capsys) -> None:
    cases = {
        ("init", "--campaign", "Fall Sale"): "campaign name 'Fall Sale' must use lowercase "
        "letters, digits, '.', '_' and '-' (e.g. 'fall-sale')",
        ("init", "specs/a.yaml", "--dir", "x"): "--dir is for a project: leave out FILE to "
        "scaffold one",
        ("init", "specs/a.yaml", "--github-actions"): "--github-actions is for a project: leave "
        "out FILE to scaffold one",
        ("init", "--source", "jogg-pipeline==0.1.0"): "--source sets the nightly workflow's: "
        "use it with --github-actions",
        ("init", "--github-actions", "--source", "${{ secrets.X }}"): "--source '${{ secrets.X }}'"
        ": give one pip requirement on one line, e.g. 'jogg-pipeline @ "
        "git+https://github.com/you/jogg-pipeline@<commit>'",
    }
    for argv, message in cases.items():
        assert main(list(argv)) == 2, argv
        assert capsys.readouterr().err == f"jogg-pipeline: error: {message}\n"
    assert files_under(shop) == []


def test_a_dir_that_is_a_file_is_one_line(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    Path("shop").write_text("a file\n")
    assert main(["init", "--dir", "shop"]) == 2
    assert capsys.readouterr().err == (
        "jogg-pipeline: error: cannot write shop/specs/shop.yaml: shop is a file, not a folder\n"
    )


def test_init_inside_a_projects_specs_is_refused(shop, monkeypatch, capsys) -> None:
    assert main(["init"]) == 0
    capsys.readouterr()
    monkeypatch.chdir(shop / "specs")
    assert main(["init"]) == 2
    assert capsys.readouterr().err == (
        f"jogg-pipeline: error: . is inside specs/ of the project in {shop}: run init in a "
        "project's root, or pass --dir\n"
    )
    assert main(["init", "--dir", str(shop / "results" / "x")]) == 2
    assert "is inside results/ of the project" in capsys.readouterr().err
    assert sorted(p.name for p in (shop / "specs").iterdir()) == ["summer-shop.yaml"]
