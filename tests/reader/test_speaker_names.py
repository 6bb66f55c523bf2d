"""A speaker quoted by title and surname (`Sgt Sanderson said`) is captioned with the fuller
name the story introduced them by (`Sergeant John Sanderson, of ..., condemned ...`)."""

from __future__ import annotations

import pytest

from convert import loads
from convert.model import Quote


def _speakers(*paragraphs: str) -> tuple[str, ...]:
    seed = "```yaml\narea: Kent\nurl: https://x/\ntitle: T\n```\n\n" + "\n\n".join(paragraphs) + "\n"
    return loads(seed).meta.speakers


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (  # the introduction has no speech verb; the quote gives rank and surname only
            ("Sergeant John Sanderson, of Northumbria Police, condemned the driving.",
             "“It was a catastrophic collision,” Sgt Sanderson said."),
            ("Sergeant John Sanderson",),
        ),
        (  # an organisation before the title is not part of it
            ("Yesterday Essex Police Chief Constable Ben-Julian Harrington opened the book.",
             'Chief Constable Harrington said: "We remember him."'),
            ("Chief Constable Ben-Julian Harrington",),
        ),
        (  # `DC` spelled out, and a longer title that holds it
            ("The case was led by Detective Constable Philip Jacobs.", 'DC Jacobs said: "Justice."'),
            ("Detective Constable Philip Jacobs",),
        ),
        (  # `Mr` matches any title
            ("Chief Constable Simon Cole opened the station.", 'Mr Cole said: "A great day."'),
            ("Chief Constable Simon Cole",),
        ),
        (  # introduced later than quoted: still the one person
            ('Mr Thompson said: "Thank you."', "The award went to Dave Thompson, a volunteer."),
            ("Dave Thompson",),
        ),
    ],
)
def test_short_speaker_gets_the_introduced_name(paragraphs: tuple[str, ...], expected: tuple) -> None:
    assert _speakers(*paragraphs) == expected


@pytest.mark.parametrize(
    "paragraphs",
    [
        # two people with that surname: which one is not known
        ("PC John Farmer and PC Jane Farmer attended.", 'PC Farmer said: "We helped."'),
        # a different rank is a different person (or the article does not say)
        ("Inspector Mark Hughes closed the road.", 'PC Hughes said: "It was icy."'),
        # the possessive is not an introduction
        ("Sergeant Lucy Bearman’s team went in.", 'Sgt Bearman said: "Good work."'),
        # no fuller mention at all
        ("Officers attended.", 'ACC Hamilton said: "Enough."'),
    ],
)
def test_short_speaker_is_kept_when_unsure(paragraphs: tuple[str, ...]) -> None:
    assert _speakers(*paragraphs) == (paragraphs[-1].split(" said")[0],)


def test_the_quote_caption_follows() -> None:
    seed = (
        "```yaml\narea: Kent\nurl: https://x/\ntitle: T\n```\n\n"
        "Sergeant John Sanderson attended the scene.\n\n"
        "Sgt Sanderson said:\n\n> “We will not tolerate it.”\n"
    )
    quotes = [b for b in loads(seed).blocks if isinstance(b, Quote)]
    assert [q.speaker for q in quotes] == ["Sergeant John Sanderson"]


def test_a_long_run_of_capitalised_words_is_cheap() -> None:
    words = " ".join(["Sanderson"] * 50_000)
    assert _speakers(f"Sergeant {words}.", 'Sgt Sanderson said: "Yes."') == ("Sgt Sanderson",)
