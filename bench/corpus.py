"""Synthetic seeds in the real format, shaped like the shared sample: `python bench/corpus.py N DIR`.

Each article is drawn from `profile.json` (made by `learn.py` from the 531-article sample): its area
by the sample's weights, then that area's header key mix, title shape, URL template, date shapes and
positions, body length, paragraph length and the frequency of lists, headings, quotes, bold, links,
rules and artefacts. The words come from `prose.py`'s own vocabulary. Article `i` depends only on
(seed, i), so a prefix of a larger corpus is the smaller corpus, and reruns give identical bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import re
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from prose import HEADINGS, PLACES, Story
from shapes import MONTHS, render_date, render_title

PROFILE = Path(__file__).resolve().with_name("profile.json")
START = datetime(2016, 1, 1, 7)
SPAN_DAYS = 5 * 365 + 180
LABELS = ("News", "Charged", "Appeal", "Update", "Sentenced")


def load_profile(path: Path = PROFILE) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0] if keys else "none"


def _count(rng: random.Random, mean: float) -> int:
    """A whole number with the given mean (floor plus a Bernoulli for the fraction)."""
    whole = int(mean)
    return whole + (rng.random() < mean - whole)


def _interpolate(rng: random.Random, qs: list[float], cuts: list[float]) -> float:
    """A draw from the distribution given by its quantiles (log-linear between them: long tails)."""
    u = rng.random() * 100
    for i in range(1, len(cuts)):
        if u <= cuts[i]:
            lo, hi = math.log(max(1.0, qs[i - 1])), math.log(max(1.0, qs[i]))
            return math.exp(lo + (hi - lo) * (u - cuts[i - 1]) / (cuts[i] - cuts[i - 1]))
    return qs[-1]


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in flat.items():
        node = out
        *parents, last = key.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[last] = value
    return out


class Generator:
    """Draws article `i` of the corpus for `seed`."""

    def __init__(self, profile: dict[str, Any], seed: int = 1) -> None:
        self.profile = profile
        self.seed = seed
        self.areas = profile["areas"]
        self.names = sorted(self.areas)
        self.weights = [self.areas[a]["weight"] for a in self.names]
        self.cuts = [float(q) for q in profile["quantiles"]]
        self.global_words = profile["words"]

    def article(self, i: int) -> tuple[str, str, str]:
        """(area, file name, seed text) for article `i`."""
        rng = random.Random(f"{self.seed}:{i}")
        area = rng.choices(self.names, weights=self.weights)[0]
        ap = self.areas[area]
        when = START + timedelta(days=rng.randrange(SPAN_DAYS), minutes=rng.randrange(13 * 60))
        story = Story(rng, when, curly=ap["curly_ratio"])
        header = self._header(rng, area, ap, story, when)
        body = Body(rng, ap, story, when, header).render(self._words(rng, ap))
        name = hashlib.sha1(f"{self.seed}:{i}".encode()).hexdigest() + ".md"
        head = yaml.safe_dump(_nest(header), sort_keys=True, allow_unicode=False, width=10**6)
        return area, name, f"```yaml\n{head}```\n\n{body}\n"

    def _words(self, rng: random.Random, ap: dict[str, Any]) -> int:
        if ap["weight"] >= 10:
            return max(15, round(_interpolate(rng, ap["words"], self.cuts)))
        # Too few real articles for their own tail: borrow the sample's shape, scaled to the area.
        scale = min(2.0, max(0.5, ap["words"][4] / self.global_words[4]))
        return max(15, round(_interpolate(rng, self.global_words, self.cuts) * scale))

    def _header(self, rng: random.Random, area: str, ap: dict[str, Any], story: Story,
                when: datetime) -> dict[str, Any]:
        keys = rng.choices([k for k, _ in ap["header_keys"]], weights=[c for _, c in ap["header_keys"]])[0]
        headline = story.headline()
        titles = [t for t in ap["title"] if t[0] != "missing"] or [["bare", "", 1]]
        kind, affix, _ = rng.choices(titles, weights=[t[2] for t in titles])[0]
        affix = affix.replace("{place}", rng.choice(PLACES))
        title = render_title(kind, affix, headline) or headline
        url = self._url(rng, ap["url"], headline, when)
        host = url.split("/")[2]
        image = f"https://{host}/media/{rng.randrange(10**5, 10**6)}/{slugify(headline)[:24]}.jpg"
        if rng.random() < ap["p_image_amp"]:
            image += "?crop=(0,0,600,300)&amp;w=600&amp;h=300&amp;scale=both"
        og_rel = _pick(rng, ap["og_title"]) if ap["og_title"] else "headline"
        og_title = {"title": title, "suffix": title + ap["og_title_affix"],
                    "other": "UPDATE: " + headline}.get(og_rel, headline)
        desc = story.sentence()
        if rng.random() < ap["p_desc_entity"]:
            desc = desc.replace("&", "&amp;").replace("'", "&#039;").replace(" and ", " &amp; ", 1)
        if rng.random() < ap["p_desc_html"]:
            desc = f"<p>{desc}</p>"
        dates = ap["header_dates"]
        later = when + timedelta(hours=rng.randint(0, 72))
        ref_len = ap["incident_ref_len"]

        def date(key: str, default: str, moment: datetime) -> str:
            return render_date(_pick(rng, dates[key]) if dates.get(key) else default, moment, rng)

        values: dict[str, Any] = {
            "area": area, "url": url, "title": title, "og.title": og_title, "og.description": desc,
            "og.image": image, "og.image.url": image, "twitter.image": image,
            "og.url": quote(url, safe="-_.~").replace("%3A", "%3a").replace("%2F", "%2f")
            if rng.random() < ap["p_og_url_pct"] else url,
            "og.locale": "en_GB", "og.type": "website", "og.site.name": f"{area} Police",
            "pressroom.name": f"{area} Police", "position": "2",
            "publish.date": date("publish.date", "d_mon_y", when),
            "article.published.time": date("article.published.time", "iso_sec", when),
            "article.modified.time": date("article.modified.time", "iso_sec", later),
            "og.updated.time": date("og.updated.time", "iso_sec", later),
            "article.publisher": f"https://www.facebook.com/{slugify(area).replace('-', '')}police",
            "article.author": f"https://www.facebook.com/{slugify(area).replace('-', '')}police",
            "fb.app.id": str(rng.randrange(10**14, 10**15)),
            "incident.reference": str(rng.randrange(10 ** (ref_len - 1), 10**ref_len)),
            "incident.day": str(max(1, when.day - rng.randint(0, 3))),
            "incident.month": MONTHS[when.month - 1][:3].upper() if ap["incident_month"] == "upper"
            else MONTHS[when.month - 1],
            "incident.year": str(when.year),
            "day": str(when.day), "month": MONTHS[when.month - 1][:3], "time": when.strftime("%H:%M"),
            "twitter.title": headline, "twitter.url": url,
        } | ap["constants"]
        return {k: values.get(k, "-") for k in keys}

    @staticmethod
    def _url(rng: random.Random, template: str, headline: str, when: datetime) -> str:
        slug = slugify(headline)
        month = MONTHS[when.month - 1]
        subs = {
            "{year}": str(when.year), "{yy}": f"{when.year % 100:02d}", "{month}": month.lower(),
            "{Month}": month, "{dd-mm-yyyy}": when.strftime("%d-%m-%Y"),
            "{id}": str(rng.randrange(10**3, 10**6)),
            "{slug_id}": f"{slug}-{rng.randrange(10**5, 10**6)}", "{slug}": slug,
            "{Slug}": "-".join(w.capitalize() for w in slug.split("-")), "{host}": "www.example.police.uk",
        }
        for key, value in subs.items():
            template = template.replace(key, value)
        return template


class Body:
    """The Markdown body of one article, following its area's measured habits."""

    def __init__(self, rng: random.Random, ap: dict[str, Any], story: Story, when: datetime,
                 header: dict[str, Any]) -> None:
        self.rng, self.ap, self.story, self.when = rng, ap, story, when
        self.headline = header.get("og.title") or header.get("title") or story.headline()
        self.host = header["url"].split("/")[2]

    def render(self, words: int) -> str:
        rng, ap, story = self.rng, self.ap, self.story
        top: list[str] = []
        shape_pos = _pick(rng, ap["top_date"])
        if shape_pos != "none":
            shape, pos = shape_pos.split("@")
            if pos == "h1":
                top.append(f"# {self.headline}")
            elif pos == "label":
                top.append(rng.choice(LABELS))
            top.append(render_date(shape, self.when, rng))
        elif rng.random() < ap["p_h1_top"]:
            top.append(f"# {self.headline}")
        if top and top[0].startswith("# ") and rng.random() < ap["p_rule"]:
            top.append("* * *")
        blocks: list[str] = []
        if rng.random() < ap["p_bold_para"]:
            blocks.append(f"**{story.sentence()}**")
        inserts = self._inserts()
        appeal = story.appeal()
        tail = _pick(rng, ap["tail_date"])
        tail_line = render_date(tail, self.when, rng) if tail != "none" else ""
        budget = words - sum(len(b.split()) for b in (*top, *blocks, *inserts, appeal, tail_line))
        wpp = max(8.0, ap["words_per_para"])
        while budget > wpp / 3 or not blocks:
            para = self._paragraph(min(budget, wpp * rng.uniform(0.5, 1.6)))
            budget -= len(para.split())
            blocks.append(para)
        blocks.append(appeal)
        for ins in inserts:  # after the lead paragraph, before the appeal
            blocks.insert(rng.randint(1, max(1, len(blocks) - 1)), ins)
        if tail_line:
            blocks.append(tail_line)
        return "\n\n".join(top + blocks)

    def _paragraph(self, target: float) -> str:
        rng, ap, story = self.rng, self.ap, self.story
        sentences: list[str] = []
        have = 0
        while not sentences or have < target:
            nxt = story.sentence()
            # Stop short rather than overshoot by more than half a sentence.
            if sentences and have + len(nxt.split()) / 2 > target:
                break
            sentences.append(nxt)
            have += len(nxt.split())
        n = sum(len(s.split()) for s in sentences) / 1000
        for _ in range(_count(rng, ap["bold_per_kw"] * n)):
            k = rng.randrange(len(sentences))
            if story.place in sentences[k] and "**" not in sentences[k]:
                sentences[k] = sentences[k].replace(story.place, f"**{story.place}**", 1)
            else:
                sentences[k] = f"**{sentences[k]}**"
        for _ in range(_count(rng, ap["italic_per_kw"] * n)):
            sentences.append(f"_{story.sentence()}_")
        for _ in range(_count(rng, ap["links_per_kw"] * n)):
            sentences.append(f"More advice is on [our website](https://{self.host}/advice/{slugify(story.crime)}/).")
        for _ in range(_count(rng, ap["urls_per_kw"] * n)):
            sentences.append(f"Visit www.{self.host.removeprefix('www.')}/report to report online.")
        for _ in range(_count(rng, ap["emails_per_kw"] * n)):
            sentences.append("You can also email [email protected] with any information.")
        for _ in range(_count(rng, ap["escapes_per_kw"] * n)):
            sentences.append(r"Use a trusted trader \- ask for references.")
        return " ".join(sentences)

    def _inserts(self) -> list[str]:
        """Lists, headings, quotes and rules, to be scattered through the body."""
        rng, ap, story = self.rng, self.ap, self.story
        out: list[str] = []
        if rng.random() < ap["p_list"]:
            mean = max(2.0, ap["items_per_list_file"])
            n = rng.randint(2, max(2, round(mean * 1.5)))
            kind = rng.choice(("advice", "charges", "facts"))
            if rng.random() < ap["p_ordered"] / max(ap["p_list"], 1e-9):
                out.append("\n".join(f" {k}. {story.list_item(kind)}." for k in range(1, n + 1)))
            else:
                bullet = _pick(rng, ap["bullet_style"]) if ap["bullet_style"] else " * "
                # The converters wrote "* first" then " * next": the first item sits at the margin.
                rest = " * " if bullet == "* " else bullet
                items = [story.list_item(kind) for _ in range(n)]
                out.append("\n".join((bullet if k == 0 else rest) + it for k, it in enumerate(items)))
        if rng.random() < ap["p_heading"]:
            levels = ap["heading_levels"] or {"2": 1}
            for _ in range(max(1, _count(rng, ap["heads_per_heading_file"]))):
                out.append("#" * int(_pick(rng, levels)) + " " + rng.choice(HEADINGS))
        for _ in range(_count(rng, ap["said_per_file"])):
            out.append(self._quote())
        for _ in range(_count(rng, ap["hash_quotes_per_file"])):
            o, c = story.quote_marks()
            out.append(f"#### {o}{story.speech(rng.randint(1, 3))}{c}")
        if rng.random() < ap["p_blockquote"]:
            out.append("\n".join(f"> {story.speech(1)}" for _ in range(rng.randint(1, 3))))
        if rng.random() < ap["p_rule"] and not ap["p_h1_top"]:
            out.append("* * *")
        for _ in range(_count(rng, ap["empty_bold_per_file"])):
            out.append("****")
        return out

    def _quote(self) -> str:
        """A speaker paragraph, sometimes followed by continuation paragraphs, like the real ones."""
        rng, story = self.rng, self.story
        o, c = story.quote_marks()
        paras = [f"{story.officer} said: {o}{story.speech(rng.randint(1, 3))}"]
        for _ in range(rng.choice((0, 0, 1, 2))):
            paras.append(f"{o}{story.speech(rng.randint(1, 3))}")
        paras[-1] += c
        sep = "\n" if rng.random() < self.ap["p_softbreak"] else "\n\n"
        return sep.join(paras)


def generate(n: int, seed: int = 1, profile: dict[str, Any] | None = None) -> Iterator[tuple[str, str, str]]:
    gen = Generator(profile or load_profile(), seed)
    for i in range(n):
        yield gen.article(i)


def write_corpus(n: int, dest: Path, seed: int = 1) -> list[Path]:
    """Write `n` seeds as DEST/<Area>/<sha1>.md; returns their paths in generation order."""
    paths = []
    for area, name, text in generate(n, seed):
        path = dest / area / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description="Write N synthetic seeds into DIR/<Area>/.")
    ap.add_argument("n", type=int)
    ap.add_argument("dest", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    paths = write_corpus(args.n, args.dest, args.seed)
    print(f"{len(paths)} seeds in {args.dest}")


if __name__ == "__main__":
    main()
