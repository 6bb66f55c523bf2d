"""Facts the reader finds in the text (`Article.facts`): references to quote, contacts, named
operations, the kinds of story; and the model's JSON form of them (schema 3).

`tests/fixtures/facts/NAME.txt` are short seeds written for these tests, each with a `NAME.json`
next to it: the exact `facts` part of the model JSON the reader must produce (the blocks are
tested by test_reader.py). The shapes come from the shared sample (`quoting incident 281 of 10
February`, `0800 555 111`, ...); the look-alikes that must not be found are in
`references_not.txt`.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from seedkit import seed_text

from convert.model import Article, Contact, Facts, Meta, Paragraph, Reference, Text
from convert.reader import facts, kinds, loads
from convert.taxonomy import CONTACT_KINDS, REFERENCE_KINDS, STORY_KINDS
from convert.text import blocks_text

HERE = Path(__file__).parent.parent / "fixtures"
FACTS = HERE / "facts"
NAMES = sorted(p.stem for p in FACTS.glob("*.txt"))
ALL_SEEDS = sorted([*FACTS.glob("*.txt"), *(HERE / "seeds").glob("*.txt")])


def read(path: Path) -> Article:
    return loads(path.read_bytes(), source=path.name)


def article(body: str, headline: str = "Officers praised for quick response") -> Article:
    return loads(seed_text(headline=headline, body=body + "\n"), "x.md")


def test_there_are_fixtures() -> None:
    assert {"references_shapes", "references_not", "contacts"} <= set(NAMES)
    for name in NAMES:
        assert (FACTS / f"{name}.json").is_file(), f"{name}.txt has no expected {name}.json"


@pytest.mark.parametrize("name", NAMES)
def test_fixture_facts_are_exactly_the_expected_json(name: str) -> None:
    expected = json.loads((FACTS / f"{name}.json").read_text(encoding="utf-8"))
    assert read(FACTS / f"{name}.txt").to_dict()["facts"] == expected


def test_every_reference_shape_of_the_issue() -> None:
    found = [(r.text, r.kind) for r in read(FACTS / "references_shapes.txt").facts.references]
    assert found == [
        ("281 of 10 February", "incident"),
        ("15 of 14th January 2021", "log"),
        ("37/45092/20", "crime reference"),
        ("46/127718/20", "other"),
        ("55170103879", "occurrence"),
        ("391 of Sunday 18 December", "CAD"),
        ("15025/17", "crime reference"),  # a second reference in the same sentence
        ("12:347", "incident"),
        ("SM/JW/40/2020", "other"),
        ("Operation Zebu", "operation"),
        ("12160033151", "incident"),  # `Incident reference: ...`, without `quoting`
        ("37/71195/17", "crime reference"),  # a list: `..., ... or ...`
        ("37/71135/17", "crime reference"),
        ("37/71021/17", "crime reference"),
        ("37/3158/19", "crime reference"),  # after `(Lavenham)`
        ("37/3159/19", "crime reference"),
        ("PR/ 45200012901", "other"),  # as printed, space and all
        ("Claudia Lawrence", "other"),  # `quote “Claudia Lawrence”`
    ]


def test_look_alikes_are_not_references_or_contacts() -> None:
    # dates (12/03/2021), years, percentages, prices, `101 people`, `101st`, `A101`, `101,710`,
    # `999 cars`, `a 999 call`, a number that called: none of them is a fact
    f = read(FACTS / "references_not.txt").facts
    assert f.references == ()
    assert f.contacts == ()
    assert f.operations == ("Operation Remedy",)  # named, but not given to quote


@pytest.mark.parametrize(
    "body",
    [
        "The 101st Airborne landed.",
        "Traffic on the A101 was slow.",
        "Tickets cost £101 each.",
        "He lived at 101 High Street.",
        "Officers gave 101,710 hours.",
        "It was 10.101 metres long.",
        "Email 101@dorset.pnn.police.uk for help.",  # the address is a contact, the 101 in it is not
        "A total of 101 people were arrested.",
        "We received a 999 call at 4pm.",
        "Fantastic 999 response teams.",
        "The Cold Caller Helpline is on 0800 101 2020.",  # one number, not 101
    ],
)
def test_101_and_999_only_as_numbers_to_call(body: str) -> None:
    assert [c.value for c in article(body).facts.contacts if c.value in ("101", "999")] == []


@pytest.mark.parametrize(
    ("body", "value", "reaches"),
    [
        ("Anyone with information should call 101.", "101", "police (non-emergency)"),
        ("Call us on our non-emergency number 101, quoting 44200245610.", "101", "police (non-emergency)"),
        ("In an emergency always dial 999.", "999", "emergency services"),
        ("Contact Crimestoppers, anonymously, on 0800 555111.", "0800 555111", "Crimestoppers"),
        ("Or call 0800555111 anonymously.", "0800555111", "Crimestoppers"),
        ("Call the Roads Policing Unit on 0151 777 5747.", "0151 777 5747", "Roads Policing Unit"),
        ("Police can be contacted on 0161 856 4744.", "0161 856 4744", "police"),
        ("Ring DC Smith directly on 07811 311 908.", "07811 311 908", "DC Smith"),
        ("If dialling from abroad call +44 20 7158 0010.", "+44 20 7158 0010", None),
    ],
)
def test_phone_numbers_and_whom_they_reach(body: str, value: str, reaches: str | None) -> None:
    contacts = article(body).facts.contacts
    assert [(c.kind, c.value, c.reaches) for c in contacts] == [("phone", value, reaches)]
    assert contacts[0].sentence == body


def test_emails_and_report_online_links() -> None:
    f = article(
        "Email appeals@kent.police.uk or report online at www.kent.police.uk/report, or anonymously "
        "at www.crimestoppers-uk.org.\n\nMore about the town at www.visit-maidstone.co.uk."
    ).facts
    assert [(c.kind, c.value, c.reaches) for c in f.contacts] == [
        ("email", "appeals@kent.police.uk", "police"),
        ("online", "www.kent.police.uk/report", "police"),
        ("online", "www.crimestoppers-uk.org", "Crimestoppers"),
    ]  # the tourist site is not a way to respond


def test_the_same_number_twice_is_one_contact() -> None:
    f = article("Call Crimestoppers on 0800 555 111.\n\nOr Kent Crimestoppers on 0800 555111.").facts
    assert [c.value for c in f.contacts] == ["0800 555 111"]


def test_the_most_telling_label_wins_for_a_reference_given_twice() -> None:
    f = article("Please quote reference 12150173226.\n\nINCIDENT REFERENCE: 12150173226").facts
    assert [(r.text, r.kind) for r in f.references] == [("12150173226", "incident")]


def test_a_reference_does_not_run_into_the_next_paragraph() -> None:
    f = article("Please call 101 quoting reference\n\n12345678 people attended.").facts
    assert f.references == ()


@pytest.mark.parametrize("path", ALL_SEEDS, ids=lambda p: p.stem)
def test_facts_are_verbatim_and_from_their_sentence(path: Path) -> None:
    a = read(path)
    text = blocks_text(a.blocks)
    for ref in a.facts.references:
        assert ref.kind in REFERENCE_KINDS
        assert ref.text in ref.sentence and ref.sentence in text, ref
    for contact in a.facts.contacts:
        assert contact.kind in CONTACT_KINDS
        assert contact.sentence in text, contact
        if contact.kind != "online":  # a link's URL may be behind its words
            assert contact.value in contact.sentence, contact
    assert a.facts.kinds and set(a.facts.kinds) <= set(STORY_KINDS)
    assert len(set(a.facts.kinds)) == len(a.facts.kinds)


# --- kinds of story -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headline", "body", "kinds"),
    [
        ("Appeal for witnesses after collision on A37",
         "Officers are appealing for witnesses after a collision.", ("appeal", "collision")),
        ("Serious collision in Maidstone", "A car hit a wall. Anyone with dash cam footage should call 101.",
         ("collision", "appeal")),
        ("Man charged after Luton stabbing", "A man was arrested on Monday and has now been charged.",
         ("charge",)),  # the charge is the latest stage: the arrest is not listed
        ("Burglar jailed", "He was arrested, charged and sentenced to three years.", ("court",)),
        ("Pub licensee fined", "The licensee was fined £1,000.", ("court",)),
        ("Have you seen missing Joshua?", "Joshua was last seen on Monday. Call 101.", ("missing",)),
        ("Missing woman found safe", "Thank you for sharing our appeal.", ("found", "community")),
        ("Two arrested and drugs seized in Operation Remedy raids", "Officers seized cannabis.",
         ("arrest", "seizure", "operation")),
        ("Call handler recruitment now open", "Apply now to join us.", ("recruitment",)),
        ("Officer awarded MBE", "The constable was honoured for community work.", ("community",)),
        ("Warning issued after telephone scam", "Residents are urged to be vigilant.", ("advice",)),
        ("Statement from the Chief Constable", "The force has responded to the report.", ("statement",)),
        ("Sudden death in Whitehaven", "Police were called to a house on Monday.", ("statement",)),
        ("Force launches new 4x4 vehicles", "The vehicles are red.", ("other",)),
        ("Disorder in the town centre", "No arrests have been made. Anyone who saw it should get in touch.",
         ("appeal",)),  # `No arrests` is not an arrest
        ("Murder investigation launched", "A man was stabbed.\n\nA crowd gathered.\n\nTwo men were arrested."
         "\n\nOfficers are appealing for anyone who saw what happened.", ("appeal", "arrest")),
        # a pedestrian or a police motorcyclist further down is not a collision; a crash is
        ("Rider skills days return", "Sign up today.\n\nCourses run all summer.\n\nYou will ride out with a "
         "police motorcyclist and learn how pedestrian crossings catch riders out.", ("other",)),
        ("Rider skills days return", "Sign up today.\n\nCourses run all summer.\n\nLast year a rider "
         "crashed on the A5 near Dunstable.", ("collision",)),
        ("Motorcyclist seriously hurt in Leighton Buzzard", "He was taken to hospital.", ("collision",)),
    ],
)
def test_kinds(headline: str, body: str, kinds: tuple[str, ...]) -> None:
    assert article(body, headline=headline).facts.kinds == kinds


PADDING = "A car was seen.\n\nIt was blue.\n\n"  # the first two paragraphs: the rest is the body


@pytest.mark.parametrize(
    ("headline", "body", "kinds"),
    [
        # `appealing` as the verb asks; as an adjective or negated it does not
        ("Man hurt in Hull", "Police are appealing for witnesses after a man was hurt.", ("appeal",)),
        ("Man hurt in Hull", PADDING + "We're appealing to anyone who saw it.", ("appeal",)),
        ("Get the lived in look this Christmas",
         "Lock up.\n\nUse timers.\n\nAll these steps will make your home less appealing to a criminal.",
         ("other",)),
        ("Thieves target catalytic converters", "Advice has been issued.\n\nLock up.\n\nThe metals make "
         "them appealing to thieves.", ("advice",)),
        ("Remains near Cirencester", PADDING + "At this stage I am not appealing for further information.",
         ("other",)),
        ("Remains near Cirencester", PADDING + "We aren't appealing for help.", ("other",)),
        # a past appeal, thanked or followed, does not ask; a continuing, new or renewed one does
        ("Man arrested in Weymouth", "Following a media appeal, a man has been arrested.", ("arrest",)),
        ("Man arrested in Ferndown", "A man has been arrested following a photo appeal.", ("arrest",)),
        ("Remains near Cirencester", "An appeal was launched last year.\n\nNames were given as a result of "
         "their appeal.\n\nThank you to everyone who shared our earlier appeal.", ("other",)),
        ("Man hurt in Hull", PADDING + "Detectives are continuing to appeal for information.", ("appeal",)),
        ("CCTV released as part of new appeal", "A car was seen.", ("appeal",)),
        ("Man hurt in Hull", "Police have renewed their appeal for witnesses.", ("appeal",)),
        ("Man hurt in Hull", PADDING + "An appeal has been launched.", ("appeal",)),
        # `identity` is no appeal: a name released; `identify` still is
        ("Bodies of men found at sea identified", "Police have released the identity of the two men.",
         ("other",)),
        ("Man hurt in Hull", "Can you help us identify this man?", ("appeal",)),
        # a missing person's page updated near the top: found; a thing found, or `found guilty`: not
        ("Have you seen missing Egremont man?", "This person has been found. Thank you to those that shared "
         "the appeal.", ("found", "community")),
        ("Appeal to find missing Ipswich woman", "Jane Doe, reported missing on Wednesday 4 April, has been "
         "located safe and well.", ("found",)),
        ("Have you seen missing Tom?", "His car has been found in a car park.", ("missing",)),
        # wishing someone safe and well is not finding them
        ("Police appeal to find a missing man from Bury", "Tom was last seen on Monday. Officers want to "
         "make sure he is safe and well.", ("missing",)),
        ("Have you seen missing Tom?", "Tom has been found safe and well.", ("found",)),
        ("Body found at the river named", "We can confirm that the body found in the river is that of "
         "missing man Tom.", ("found",)),
        ("Have you seen missing Tom?", "A man has been found guilty of theft.", ("missing", "court")),
        ("Police appeal over teen missing from Brampton", "She was last seen on Monday.", ("missing",)),
        # a search and rescue operation is not a police one; a body recovered is not a seizure
        ("Bodies named", "A search and rescue operation was carried out.\n\nA body was spotted by the crew "
         "of a helicopter in the water near the beach and was recovered by the lifeboat.", ("statement",)),
        ("Drugs found in Hull", "Officers recovered cannabis worth £5,000.", ("seizure",)),
        ("Operation Remedy raids", "A search operation was carried out.", ("operation",)),
    ],
)
def test_kind_cues_in_context(headline: str, body: str, kinds: tuple[str, ...]) -> None:
    assert article(body, headline=headline).facts.kinds == kinds


def test_quoting_a_reference_is_an_appeal() -> None:
    a = article("A window was broken.\n\nA wall was painted.\n\nCall 101 quoting log 12 of 3 May.",
                headline="Window broken in Hull")
    assert a.facts.kinds == ("appeal",)


def test_every_story_kind_is_documented() -> None:
    assert set(facts.kinds._PRECEDENCE) | {"other"} == set(STORY_KINDS)
    assert all(STORY_KINDS.values())


# --- worst-case inputs: linear time -------------------------------------------------------------

N = 200_000  # characters of body text
_rng = random.Random(14)
WORST = {
    "digits spaces slashes": "".join(_rng.choice("0123456789 /") for _ in range(N)),
    "quoting repeated": "quoting " * (N // 8),
    "quoting reference number": "quoting reference number " * (N // 25),
    "one reference, many times": "quoting reference 1234 " * (N // 23),
    "one number, many times": "call 0800 555 111 " * (N // 18),
    "call 101 repeated": "call 101 " * (N // 9),
    "of of of": "quoting 1 of 1 of 1 of " * (N // 23),
    "opening quote marks": "quote “" * (N // 7),
    "capitals before a label": "quote the A B C D E F G reference " * (N // 35),
    "Operation repeated": "Operation " * (N // 10),
    "one long token": "1" * N,
    "phone-like lines": "0800 555 " * (N // 9),  # one text run: lines would pass the inline limit
    "appealing, negated": "not appealing " * (N // 14),
    "appeal, past": "following our earlier appeal " * (N // 29),
    "appeal, spaces": "shared our" + " " * N + "appeal was   launched",
    "found updates": "Missing man, reported missing, has been found " * (N // 47),
    "recovered, no stop": "recovered " * (N // 10),
}


@pytest.mark.parametrize("name", sorted(WORST))
def test_worst_case_shapes_finish_quickly(name: str) -> None:
    a = article(WORST[name])
    start = time.process_time()
    found = facts.extract(a.meta, a.blocks)
    assert time.process_time() - start < 5.0  # linear: about 0.5 s here; quadratic would be minutes
    assert found == a.facts
    for item in (*found.references, *found.contacts):
        assert len(item.sentence) <= facts.MAX_SENTENCE  # no 200 KB "sentence" in the model


# --- the model ----------------------------------------------------------------------------------


SENTENCE = "Call 101 quoting log 15 of 14 May."


def sample() -> Article:
    return Article(
        Meta("Appeal", "Kent", "https://k/"),
        (Paragraph((Text(SENTENCE),)),),
        Facts(
            kinds=("appeal", "collision"),
            references=(Reference("15 of 14 May", "log", SENTENCE),),
            contacts=(Contact("phone", "101", "police (non-emergency)", SENTENCE),),
            operations=("Operation Zebu",),
        ),
    )


def test_facts_round_trip_through_json_exactly() -> None:
    a = sample()
    data = json.loads(json.dumps(a.to_dict()))
    assert data["schema"] == 3
    assert list(data) == ["schema", "meta", "blocks", "facts"]
    assert data["facts"] == {
        "kinds": ["appeal", "collision"],
        "references": [{"text": "15 of 14 May", "kind": "log", "sentence": SENTENCE}],
        "contacts": [
            {"kind": "phone", "value": "101", "reaches": "police (non-emergency)", "sentence": SENTENCE}
        ],
        "operations": ["Operation Zebu"],
    }
    assert Article.from_dict(data) == a


def test_schema_1_documents_still_read_with_no_facts() -> None:
    data = sample().to_dict()
    data["schema"] = 1
    del data["facts"]
    again = Article.from_dict(data)
    assert again.facts == Facts()
    assert again.meta == sample().meta and again.blocks == sample().blocks


def test_unknown_schema_is_refused() -> None:
    data = sample().to_dict()
    data["schema"] = 4
    with pytest.raises(ValueError, match="unsupported schema 4"):
        Article.from_dict(data)


def test_a_hand_built_article_has_empty_facts() -> None:
    a = Article(Meta("H", "Kent", "https://k/"))
    assert a.facts == Facts() and a.to_dict()["facts"]["kinds"] == []


# What `kinds.fold` must equal: the character table it replaced.
_FOLD = str.maketrans({
    **{c: " " for c in map(chr, range(128)) if not c.isalnum()},
    **{c: c.lower() for c in map(chr, range(65, 91))},
    **dict.fromkeys("‘’“”–—…•·‐‑«»\u00a0\u2009\u202f\u200b", " "),
})


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("‘’“”–—…•·«»\u00a0\u200bAZaz09 .\n-")))
def test_kinds_fold_is_the_character_table_byte_for_byte(text: str) -> None:
    """The cue words are looked up in the text folded through its UTF-8 bytes: the same string,
    offset for offset, as the per-character table, for any text."""
    assert kinds.fold(text) == text.translate(_FOLD)
    assert kinds.fold(text + "\ud800X") == (text + "\ud800X").translate(_FOLD)  # even a lone surrogate
