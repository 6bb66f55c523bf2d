"""Packs: the "At a glance" page and --group-by area|kind|date (issue 14, part 3)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from testpaths import FIXTURES

import convert
from convert.cli import main
from convert.collate import group
from convert.exporters import OptionError
from convert.model import Article

SEEDS = FIXTURES / "callout"


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    appeal = convert.load(SEEDS / "appeal.md")
    recruitment = convert.load(SEEDS / "recruitment.md")
    # a third, older and from another area, so area and date orders differ from kind's
    court = replace(recruitment, meta=replace(recruitment.meta, area="Avonshire", headline="Man jailed",
                                              published=date(2021, 1, 20)),
                    facts=replace(recruitment.facts, kinds=("court",)))
    return [appeal, recruitment, court]


def test_group_orders_and_heads_the_sections(articles: list[Article]) -> None:
    assert [(s.title, [a.meta.headline for a in s.articles]) for s in group(articles, "kind")] == [
        ("Appeal", ["Appeal for witnesses after burglary in Millbrook"]),
        ("Court", ["Man jailed"]),
        ("Recruitment", ["Join our Special Constabulary this spring"]),
    ]
    assert [s.title for s in group(articles, "area")] == ["Avonshire", "Testshire"]
    # 44 days apart: grouped by month, newest first
    assert [s.title for s in group(articles, "date")] == ["March 2021", "January 2021"]
    assert [s.title for s in group(articles[:2], "date")] == ["Friday 5 March 2021", "Thursday 4 March 2021"]
    with pytest.raises(ValueError, match="cannot group a bundle by 'size'"):
        group(articles, "size")
    with pytest.raises(OptionError, match="cannot group"):
        convert.export(articles, "txt", group_by="size")


def test_pdf_pack_has_an_at_a_glance_page_and_follows_the_grouping(articles: list[Article]) -> None:
    pdf = PdfReader(io.BytesIO(convert.export(articles, "pdf", group_by="kind")))
    page = " ".join(pdf.pages[1].extract_text().replace("\u00a0", " ").split())
    assert page.startswith("At a glance") or "At a glance" in page[:60]
    assert ("4 Mar 2021 Testshire Appeal Appeal for witnesses after burglary in Millbrook"
            " crime reference 37/45092/21") in page
    assert "5 Mar 2021 Testshire Recruitment Join our Special Constabulary this spring" in page
    # group headings in the table, in the taxonomy's order
    assert page.index("APPEAL") < page.index("COURT") < page.index("RECRUITMENT")
    outline = [item.title for item in pdf.outline if not isinstance(item, list)]
    assert outline[:2] == ["At a glance", "Contents"] and outline[2:] == ["Appeal", "Court", "Recruitment"]


def test_html_pack_glance_table_and_date_grouping(articles: list[Article]) -> None:
    page = convert.export(articles, "html", group_by="date").decode()
    table = page[page.index('<table class="glance-table">'):page.index("</table>")]
    assert table.count("<tr>") == 1 + 3  # the header row and one per article
    assert '<td class="glance-quote">crime reference\u00a037/45092/21</td>' in table  # number with its word
    assert table.index("March 2021") < table.index("January 2021")
    contents = page[page.index('<nav class="contents"'):page.index("</nav>")]
    assert contents.index("March 2021") < contents.index("January 2021") < contents.index("Man jailed")


def test_digest_contents_at_a_glance_and_by_kind(articles: list[Article]) -> None:
    text = convert.export(articles, "txt", group_by="kind", width=100).decode()
    contents = text[text.index("Contents"):text.index("=" * 100)]
    assert contents.index("\nAppeal\n") < contents.index("\nCourt\n") < contents.index("\nRecruitment\n")
    assert "1. Appeal for witnesses after burglary in Millbrook (4 Mar 2021) – Appeal, quote\n" \
        "     crime reference 37/45092/21\n" in contents


def test_cli_group_by(tmp_path, articles: list[Article]) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    args = ["txt", str(SEEDS), "-o", str(out), "--bundle", "pack.txt", "--group-by"]
    result = runner.invoke(main, [*args, "kind"])
    assert result.exit_code == 0, result.output
    first = (out / "pack.txt").read_text()
    assert first.index("\nAppeal\n") < first.index("\nRecruitment\n")
    # regrouped: rebuilt, not "up to date"
    result = runner.invoke(main, [*args, "date"])
    assert result.exit_code == 0, result.output
    assert "\nFriday 5 March 2021\n" in (out / "pack.txt").read_text()
    bad = runner.invoke(main, ["txt", str(SEEDS), "-o", str(out), "--bundle", "p.txt", "--group-by", "size"])
    assert bad.exit_code == 2 and "'size' is not one of 'area', 'kind', 'date'" in bad.output
