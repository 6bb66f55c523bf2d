"""Measure the shapes of the real sample and write `bench/profile.json` (statistics only, no text).

    .venv/bin/python bench/learn.py [/work/shared/corpus/police-news] [-o bench/profile.json]

Per area it records: how many articles (the weight), body length quantiles, words per paragraph,
how often lists, headings, bold, links, quotes... appear, the header key mixes, the date shapes
(header and body, with their position), the title shape and the URL template. `corpus.py` draws
synthetic articles from it. Nothing here copies article text: only counts, shape names, key
names and site-level constants (force names, locales, URL templates).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shapes import MONTHS, classify_date, classify_title, headline_of

DEFAULT_SAMPLE = Path("/work/shared/corpus/police-news")
HERE = Path(__file__).resolve().parent
FENCE = re.compile(r"\A\ufeff?```yaml\r?\n(.*?)\r?\n```[ \t]*\r?\n(.*)\Z", re.S)
# Header keys whose value is a site-wide constant, kept as the most common value per area.
CONSTANT_KEYS = ("og.locale", "og.type", "og.site.name", "pressroom.name", "position")
QUANTILES = (0, 5, 10, 25, 50, 75, 90, 95, 98, 99, 100)

_BULLET = re.compile(r"^(\s*)([*-]|\d+\.) ")
_HEADING = re.compile(r"^(#{1,6}) ")
_BOLD = re.compile(r"\*\*[^*\n]+?\*\*")
_ITALIC = re.compile(r"(?<![\w*])_[^_\n]+_(?!\w)")
_LINK = re.compile(r"\[[^\]\n]*\]\([^)\s]+\)")
_URL = re.compile(r"(?<![(<\[])\b(?:https?://|www\.)[^\s)\]]+")
_EMAIL = re.compile(r"\[email[^\]]*protected\]|\b[\w.+-]+@[\w-]+\.[\w.]+")
_SAID = re.compile(r"\b(?:said|says|added|explained)\s*:", re.I)
_ESCAPE = re.compile(r"\\[-_.+*#!()\[\]]")


def flatten(d: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def url_template(url: str) -> str:
    """The URL with its variable parts named: {year}, {month}, {Month}, {id}, {slug}."""
    m = re.match(r"^(https?://[^/]+)(/[^?#]*)?(\?.*)?$", url)
    if not m:
        return "https://{host}/{slug}"
    root, path, query = m[1], m[2] or "/", m[3] or ""
    segs = []
    for seg in path.split("/"):
        low = seg.lower()
        if re.fullmatch(r"(19|20)\d\d", seg):
            seg = "{year}"
        elif low in {x.lower() for x in MONTHS}:
            seg = "{month}" if seg == low else "{Month}"
        elif re.fullmatch(r"[a-z]+-(19|20)\d\d", low) and low.split("-")[0] in {x.lower() for x in MONTHS}:
            seg = "{month}-{year}"
        elif re.fullmatch(r"[a-z]+-\d\d", low) and low.split("-")[0] in {x.lower() for x in MONTHS}:
            seg = "{month}-{yy}"
        elif re.fullmatch(r"\d\d-\d\d-\d{4}", seg):
            seg = "{dd-mm-yyyy}"
        elif re.fullmatch(r"\d+", seg):
            seg = "{id}"
        elif seg.count("-") + seg.count("_") >= 3 or len(seg) > 30:
            ext = re.search(r"\.(aspx|html?)$", seg)
            if seg[:1].isupper():
                seg = "{Slug}" + (ext[0] if ext else "")
            else:
                seg = ("{slug_id}" if re.search(r"-\d+$", seg) else "{slug}") + (ext[0] if ext else "")
        segs.append(seg)
    if query:
        query = re.sub(r"=[^&]+", "={id}", query)
    return root + "/".join(segs) + query


def body_features(body: str) -> dict[str, Any]:
    lines = body.splitlines()
    blocks = [b for b in re.split(r"\n[ \t]*\n", body) if b.strip()]
    words = len(body.split())
    items = [m for ln in lines if (m := _BULLET.match(ln)) and ln.strip() != "* * *"]
    nonempty = [ln for ln in lines if ln.strip()]
    h1_top = bool(nonempty) and nonempty[0].startswith("# ")
    # The title repeated as a top H1 is counted apart from the body's own headings.
    heads = [m for ln in lines[lines.index(nonempty[0]) + 1 if h1_top else 0:] if (m := _HEADING.match(ln))]
    # Lancashire sets quoted speech as level-4 headings: those are quotes, not headings.
    hash_quotes = sum(1 for m in heads
                      if len(m[1]) == 4 and (_SAID.search(m.string) or m.string[5:6] in "“\"'‘"))
    curly = sum(body.count(c) for c in "“”‘’")
    straight = body.count('"') + len(re.findall(r"(?<!\w)'|'(?!\w)", body))
    top, tail = None, None
    for i, ln in enumerate(nonempty[:4]):
        if shape := classify_date(ln):
            prev = nonempty[i - 1] if i else ""
            pos = "first" if i == 0 else ("h1" if prev.startswith("# ") else "label")
            top = (shape, pos)
            break
    for ln in nonempty[-2:]:
        if shape := classify_date(ln):
            tail = shape
    return {
        "words": words,
        "paras": len(blocks),
        "items": sum(1 for m in items if not m[2].endswith(".")),
        "ordered": sum(1 for m in items if m[2].endswith(".")),
        "bullet_style": (" * " if items[0][1] == " " else f"{items[0][2]} ") if items else None,
        "heads": Counter(len(m[1]) for m in heads if not (len(m[1]) == 4 and hash_quotes)),
        "h1_top": h1_top,
        "hash_quotes": hash_quotes,
        "bold": len(_BOLD.findall(body)),
        "bold_paras": sum(1 for b in blocks if b.strip().startswith("**") and b.strip().endswith("**")),
        "italic": len(_ITALIC.findall(body)),
        "links": len(_LINK.findall(body)),
        "urls": len(_URL.findall(_LINK.sub("", body))),
        "emails": len(_EMAIL.findall(body)),
        "said": len(_SAID.findall(body)),
        "blockquote": any(ln.startswith(">") for ln in lines),
        "rule": any(ln.strip() == "* * *" for ln in lines),
        "escapes": len(_ESCAPE.findall(body)),
        "empty_bold": body.count("****") + body.count("** **"),
        "softbreak_paras": sum(1 for b in blocks if "\n" in b.strip() and not _BULLET.match(b.strip())),
        "curly": curly,
        "straight": straight,
        "top_date": top,
        "tail_date": tail,
    }


def quantiles(values: list[int]) -> list[float]:
    values = sorted(values)
    out = []
    for q in QUANTILES:
        pos = (len(values) - 1) * q / 100
        lo = int(pos)
        hi = min(lo + 1, len(values) - 1)
        out.append(round(values[lo] + (values[hi] - values[lo]) * (pos - lo), 1))
    return out


def _mean(xs: list[float]) -> float:
    return round(statistics.fmean(xs), 4) if xs else 0.0


def summarise(area: str, files: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    heads = [h for h, _ in files]
    feats = [f for _, f in files]
    n = len(files)
    kwords = sum(f["words"] for f in feats) / 1000 or 1
    list_files = [f for f in feats if f["items"]]
    head_files = [f for f in feats if sum(f["heads"].values())]
    levels: Counter[int] = Counter()
    for f in feats:
        levels.update(f["heads"])
    titles = Counter(classify_title(h.get("title"), h.get("og.title")) for h in heads)
    # A one-off dash affix is a place name, not a site suffix: keep only its shape.
    for (kind, affix), c in list(titles.items()):
        if kind == "dash" and c < 3 and "Police" not in affix and not affix.isupper():
            del titles[kind, affix]
            titles[kind, "{place}"] += c
    og_rel: Counter[str] = Counter()
    og_affix: Counter[str] = Counter()
    for h in heads:
        if "og.title" not in h:
            continue
        title, og = str(h.get("title") or ""), str(h["og.title"])
        kind, affix = classify_title(title, og)
        if og == title:
            og_rel["title"] += 1
        elif title and og.startswith(title):
            og_rel["suffix"] += 1
            og_affix[og[len(title):]] += 1
        elif og == headline_of(title, kind, affix):
            og_rel["headline"] += 1
        else:
            og_rel["other"] += 1
    header_dates: dict[str, Counter[str]] = defaultdict(Counter)
    for h in heads:
        for key in ("publish.date", "article.published.time", "article.modified.time", "og.updated.time"):
            if key in h:
                header_dates[key][classify_date(str(h[key])) or "unknown"] += 1
    constants = {}
    for key in CONSTANT_KEYS:
        vals = Counter(str(h[key]) for h in heads if key in h)
        if vals:
            constants[key] = vals.most_common(1)[0][0]
    ref_len = Counter(len(str(h["incident.reference"])) for h in heads if "incident.reference" in h)
    inc_month = Counter("upper" if str(h["incident.month"]).isupper() else "full"
                        for h in heads if "incident.month" in h)
    desc = [str(h["og.description"]) for h in heads if "og.description" in h]
    images = [str(h.get("og.image", h.get("og.image.url", "")))
              for h in heads if "og.image" in h or "og.image.url" in h]
    urls = Counter(url_template(str(h["url"])) for h in heads)
    return {
        "weight": n,
        "words": quantiles([f["words"] for f in feats]),
        "words_per_para": round(statistics.median(f["words"] / max(f["paras"], 1) for f in feats), 1),
        "p_list": round(len(list_files) / n, 3),
        "items_per_list_file": _mean([f["items"] for f in list_files]),
        "p_ordered": round(sum(1 for f in feats if f["ordered"]) / n, 3),
        "bullet_style": dict(Counter(f["bullet_style"] for f in feats if f["bullet_style"])),
        "p_heading": round(len(head_files) / n, 3),
        "heads_per_heading_file": _mean([sum(f["heads"].values()) for f in head_files]),
        "heading_levels": {str(k): v for k, v in sorted(levels.items())},
        "p_h1_top": round(sum(f["h1_top"] for f in feats) / n, 3),
        "hash_quotes_per_file": _mean([f["hash_quotes"] for f in feats]),
        "bold_per_kw": round(sum(f["bold"] for f in feats) / kwords, 3),
        "p_bold_para": round(sum(1 for f in feats if f["bold_paras"]) / n, 3),
        "italic_per_kw": round(sum(f["italic"] for f in feats) / kwords, 3),
        "links_per_kw": round(sum(f["links"] for f in feats) / kwords, 3),
        "urls_per_kw": round(sum(f["urls"] for f in feats) / kwords, 3),
        "emails_per_kw": round(sum(f["emails"] for f in feats) / kwords, 3),
        "said_per_file": _mean([f["said"] for f in feats]),
        "p_blockquote": round(sum(f["blockquote"] for f in feats) / n, 3),
        "p_rule": round(sum(f["rule"] for f in feats) / n, 3),
        "escapes_per_kw": round(sum(f["escapes"] for f in feats) / kwords, 3),
        "empty_bold_per_file": _mean([f["empty_bold"] for f in feats]),
        "p_softbreak": round(sum(1 for f in feats if f["softbreak_paras"]) / n, 3),
        "curly_ratio": round(sum(f["curly"] for f in feats)
                             / max(1, sum(f["curly"] + f["straight"] for f in feats)), 3),
        "top_date": {f"{s}@{p}": c
                     for (s, p), c in Counter(f["top_date"] for f in feats if f["top_date"]).items()}
        | ({"none": c} if (c := sum(1 for f in feats if not f["top_date"])) else {}),
        "tail_date": dict(Counter(f["tail_date"] or "none" for f in feats)),
        "header_dates": {k: dict(v) for k, v in header_dates.items()},
        "header_keys": [[list(k), c] for k, c in Counter(tuple(sorted(h)) for h in heads).most_common()],
        "title": [[kind, affix, c] for (kind, affix), c in titles.most_common()],
        "og_title": dict(og_rel),
        "og_title_affix": og_affix.most_common(1)[0][0] if og_affix else "",
        "constants": constants,
        "incident_ref_len": ref_len.most_common(1)[0][0] if ref_len else 8,
        "incident_month": inc_month.most_common(1)[0][0] if inc_month else "full",
        "p_desc_html": round(sum("<p>" in d for d in desc) / len(desc), 3) if desc else 0.0,
        "p_desc_entity": round(sum(bool(re.search(r"&#?\w+;", d)) for d in desc) / len(desc), 3)
        if desc else 0.0,
        "p_image_amp": round(sum("&amp;" in i for i in images) / len(images), 3) if images else 0.0,
        "p_og_url_pct": round(sum("%2f" in str(h.get("og.url", "")).lower() for h in heads) / n, 3),
        "url": urls.most_common(1)[0][0],
    }


def learn(sample: Path) -> dict[str, Any]:
    by_area: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = defaultdict(list)
    for path in sorted(sample.rglob("*.md")):
        text = path.read_bytes().decode("utf-8", "replace")
        m = FENCE.match(text)
        if not m:
            continue
        header = yaml.safe_load(m[1])
        if not isinstance(header, dict):
            continue
        by_area[path.parent.name].append((flatten(header), body_features(m[2])))
    all_words = [f["words"] for files in by_area.values() for _, f in files]
    return {
        "sample": f"{sample.name}: {len(all_words)} articles, {len(by_area)} areas",
        "quantiles": list(QUANTILES),
        "words": quantiles(all_words),
        "areas": {area: summarise(area, files) for area, files in sorted(by_area.items())},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sample", nargs="?", type=Path, default=DEFAULT_SAMPLE)
    ap.add_argument("-o", "--output", type=Path, default=HERE / "profile.json")
    args = ap.parse_args()
    profile = learn(args.sample)
    args.output.write_text(json.dumps(profile, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{args.output}: {profile['sample']}")


if __name__ == "__main__":
    main()
