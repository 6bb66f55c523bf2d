"""tools/corpus_report.py (`make corpus-report`): its counts on a small corpus of fixture seeds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SCRIPT = ROOT / "tools" / "corpus_report.py"
FIXTURES = Path(__file__).parent.parent / "fixtures" / "seeds"


def report(folder: Path, *args: str) -> tuple[int, str, str]:
    done = subprocess.run([sys.executable, str(SCRIPT), str(folder), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    return done.returncode, done.stdout, done.stderr


def row(text: str, label: str) -> list[str]:
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] == label:
            return cells[1:]
    raise AssertionError(f"no row {label!r} in:\n{text}")


def corpus(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "corpus"
    (folder / "Kent").mkdir(parents=True)
    for name in names:
        shutil.copy(FIXTURES / f"{name}.txt", folder / "Kent" / f"{name}.md")
    return folder


def test_counts_repairs_coverage_and_speakers(tmp_path: Path) -> None:
    folder = corpus(tmp_path, "residue_web_widgets", "residue_cloudflare_email", "meta_publisher_from_area",
                    "meta_updated_later_day", "speaker_title_kept", "speaker_caption_doubled")
    code, out, err = report(folder, "--check")
    assert (code, err) == (0, "")
    assert "6 articles read, 0 failed." in out
    assert row(out, "web-widget lines") == ["1", "5", "0"]
    assert row(out, "gallery numbers") == ["1", "12", "0"]
    assert row(out, "Cloudflare e-mail placeholders") == ["1", "5", "0"]
    assert row(out, "e-mail labels with no address") == ["1", "2", "0"]
    assert row(out, "doubled speaker captions") == ["1", "1", "0"]
    assert row(out, "HTML tags") == ["0", "0", "0"]
    assert row(out, "publisher") == ["6", "100.0%"]
    assert row(out, "… from the area's force table") == ["3", "50.0%"]  # BTP, Dorset, Scotland
    assert row(out, "updated") == ["1", "16.7%"]
    assert row(out, '… a later day than published ("Updated …" shown)') == ["1", "16.7%"]
    assert row(out, "per article (mean)") == ["0.33"]  # Mick Crennell, Nikki Watson
    # the editorial view's rule: the one summary (Cloudflare's) repeats its opening
    assert row(out, "summary shown") == ["0", "0.0%"] and row(out, "summary suppressed") == ["1", "16.7%"]


def test_counts_structure_repairs(tmp_path: Path) -> None:
    folder = corpus(tmp_path, "structure_tag_and_headline", "structure_key_points", "structure_run_together")
    code, out, err = report(folder)
    assert (code, err) == (0, "")
    assert row(out, "removed leading tags") == ["1", "1"]
    assert row(out, "removed repeated headlines") == ["2", "2"]
    assert row(out, "removed doubled paragraphs") == ["1", "1"]
    assert row(out, "made paragraphs of headings in list items") == ["1", "3"]
    assert row(out, "made paragraphs of sentences typed as headings") == ["1", "1"]
    assert row(out, "split paragraphs at their line breaks") == ["1", "1"]


def test_residue_that_survives_reading_is_measured_and_fails_the_check(tmp_path: Path) -> None:
    folder = corpus(tmp_path, "residue_web_widgets")
    unclosed = "```yaml\narea: Kent\nurl: https://www.kent.police.uk/x\ntitle: T\n```\n\n"
    unclosed += "A tag <img src=x never closed\n"
    (folder / "Kent" / "unclosed.md").write_text(unclosed)
    (folder / "Kent" / "broken.md").write_text("no header at all\n")
    code, out, _ = report(folder, "--check")
    assert code == 1
    assert row(out, "HTML tags") == ["0", "0", "1"]
    assert "Articles with any residue left: 1 (50.0%)." in out
    assert "- HTML tags: Kent/unclosed.md" in out
    assert "- Kent/broken.md:1: no opening ```yaml fence" in out
    assert report(folder)[0] == 0  # without --check it only reports


def test_an_empty_or_missing_folder_is_an_error(tmp_path: Path) -> None:
    assert report(tmp_path)[0] == 1
    code, _, err = report(tmp_path / "nowhere")
    assert code == 2 and "not a folder" in err


@pytest.mark.corpus
def test_the_sample_has_no_residue_left_and_every_publisher() -> None:
    """The issue's targets on the real sample (run by `.ci/run` with `pytest -m corpus`)."""
    sample = Path(os.environ.get("CONVERT_CORPUS", ROOT.parent / "shared" / "corpus" / "police-news"))
    assert sample.is_dir(), f"the corpus is missing: expected {sample}"
    code, out, _ = report(sample, "--check")
    assert code == 0, out
    assert "Articles with any residue left: 0 (0.0%)." in out
    assert row(out, "publisher")[1] == "100.0%"
