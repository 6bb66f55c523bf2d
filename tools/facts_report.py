"""How well the reader finds facts (references, contacts, kinds) in a folder of seeds.

    .venv/bin/python tools/facts_report.py [FOLDER] [--show] [--misses]

FOLDER defaults to the shared sample (../shared/corpus/police-news, or $CONVERT_CORPUS). It
prints the share of articles with a reference and with a contact, the kinds, the share of
`quoting ...` phrases that gave a reference (target >= 98 %), every reference or contact not
found verbatim in the text (target 0), and the agreement with the hand-checked articles in
tests/fixtures/facts/expected.json when FOLDER is the sample. Not part of the package.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

from convert.model import Article
from convert.reader import loads
from convert.taxonomy import STORY_KINDS
from convert.text import blocks_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = Path(os.environ.get("CONVERT_CORPUS", ROOT.parent / "shared" / "corpus" / "police-news"))
EXPECTED = ROOT / "tests" / "fixtures" / "facts" / "expected.json"

# `quoting`/`quote` with something to quote after it in the same sentence: a digit, an
# operation, or a name in quote marks. (Not `quoting the crime reference number` alone.)
QUOTING = re.compile(r"\bquot(?:ing|e)\b[^.\n]{0,80}")
SOMETHING = re.compile(r"\d|\bOp(?:eration)?\b|[“\"]")


def read(folder: Path) -> dict[str, Article]:
    articles = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".md", ".txt") and path.is_file():
            source = str(path.relative_to(folder))
            articles[source] = loads(path.read_bytes(), source)
    return articles


def share(n: int, total: int) -> str:
    return f"{n:4d} / {total} = {n / total:6.1%}" if total else "0"


def quoting_phrases(article: Article) -> tuple[int, list[str]]:
    """How many `quoting ...` phrases, and the ones no reference was found in."""
    text = blocks_text(article.blocks)
    phrases = [m for m in QUOTING.finditer(text) if SOMETHING.search(m.group())]
    # the reference may run past the phrase's first full stop (`1087 of 03.09.20`)
    missed = [m.group() for m in phrases
              if not any(r.text in text[m.start():m.end() + 40] for r in article.facts.references)]
    return len(phrases), missed


def not_verbatim(article: Article) -> list[str]:
    text = blocks_text(article.blocks)
    problems = []
    for ref in article.facts.references:
        if ref.text not in ref.sentence or ref.sentence not in text:
            problems.append(f"reference {ref.text!r}")
    for contact in article.facts.contacts:
        if contact.kind in ("phone", "email") and (contact.value not in contact.sentence
                                                    or contact.sentence not in text):
            problems.append(f"{contact.kind} {contact.value!r}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=SAMPLE)
    parser.add_argument("--show", action="store_true", help="print every article's facts")
    parser.add_argument("--misses", action="store_true", help="print the quoting phrases with no reference")
    parser.add_argument("--disagree", action="store_true", help="print where hand-checked articles differ")
    args = parser.parse_args()
    if not args.folder.is_dir():
        print(f"no such folder: {args.folder}", file=sys.stderr)
        return 2
    articles = read(args.folder)
    total = len(articles)
    if not total:
        print(f"no seeds in {args.folder}", file=sys.stderr)
        return 2

    with_ref = sum(bool(a.facts.references) for a in articles.values())
    with_contact = sum(bool(a.facts.contacts) for a in articles.values())
    print(f"{total} articles in {args.folder}")
    print(f"with a reference to quote   {share(with_ref, total)}")
    print(f"with a contact              {share(with_contact, total)}")
    for kind in ("phone", "email", "online"):
        n = sum(any(c.kind == kind for c in a.facts.contacts) for a in articles.values())
        print(f"  with a contact by {kind:7s} {share(n, total)}")
    n = sum(bool(a.facts.operations) for a in articles.values())
    print(f"naming an operation         {share(n, total)}")
    refs = Counter(r.kind for a in articles.values() for r in a.facts.references)
    print("references by kind:", ", ".join(f"{k} {n}" for k, n in refs.most_common()))

    main_kind = Counter(a.facts.kinds[0] for a in articles.values())
    any_kind = Counter(k for a in articles.values() for k in a.facts.kinds)
    print("\nkind            main kind              any kind")
    for kind in STORY_KINDS:
        print(f"{kind:15s} {share(main_kind[kind], total)}   {share(any_kind[kind], total)}")

    phrases, missed = 0, []
    for source, article in articles.items():
        n, lost = quoting_phrases(article)
        phrases += n
        missed += [f"{source}: {p}" for p in lost]
    found = share(phrases - len(missed), phrases)
    print(f"\n`quoting ...` phrases with a reference: {found}  (target >= 98 %)")
    if args.misses:
        for line in missed:
            print("  missed:", line)

    violations = [f"{s}: {p}" for s, a in articles.items() for p in not_verbatim(a)]
    print(f"references, phones and e-mails not verbatim in the text: {len(violations)}  (target 0)")
    for line in violations:
        print("  ", line)

    if args.folder.resolve() == SAMPLE.resolve() and EXPECTED.is_file():
        report_agreement(articles, args.disagree)

    if args.show:
        for source, article in articles.items():
            f = article.facts
            print(f"\n== {source}: {article.meta.headline}\n   kinds: {', '.join(f.kinds)}")
            for r in f.references:
                print(f"   ref [{r.kind}] {r.text}")
            for c in f.contacts:
                print(f"   {c.kind} {c.value}  -> {c.reaches}")
            if f.operations:
                print(f"   operations: {', '.join(f.operations)}")
    return 0


def report_agreement(articles: dict[str, Article], show: bool) -> None:
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))["articles"]
    for title, group in (("all", expected),
                         ("held out", [e for e in expected if e.get("held_out")])):
        main = sets = refs = contacts = reaches = 0
        for entry in group:
            facts = articles[entry["source"]].facts
            got = {
                "kinds": list(facts.kinds),
                "references": sorted([r.text, r.kind] for r in facts.references),
                "contacts": sorted([c.kind, c.value] for c in facts.contacts),
            }
            want = {
                "kinds": entry["kinds"],
                "references": sorted(entry["references"]),
                "contacts": sorted(c[:2] for c in entry["contacts"]),
            }
            main += got["kinds"][0] == want["kinds"][0]
            sets += set(got["kinds"]) == set(want["kinds"])
            refs += got["references"] == want["references"]
            contacts += got["contacts"] == want["contacts"]
            said = {(c.kind, c.value): c.reaches for c in facts.contacts}
            reaches += all(said.get((k, v), "?") == r for k, v, r in entry["contacts"])
            if show and title == "all":
                for key in ("kinds", "references", "contacts"):
                    if got[key][:1] != want[key][:1] or set(map(str, got[key])) != set(map(str, want[key])):
                        print(f"  {entry['source']}: {key}: got {got[key]}, expected {want[key]}")
        n = len(group)
        print(f"\nhand-checked articles, {title}: {n}")
        print(f"  main kind right       {share(main, n)}  (target >= 90 %)")
        print(f"  same set of kinds     {share(sets, n)}")
        print(f"  references all right  {share(refs, n)}")
        print(f"  contacts all right    {share(contacts, n)}")
        print(f"  whom they reach right {share(reaches, n)}")


if __name__ == "__main__":
    sys.exit(main())
