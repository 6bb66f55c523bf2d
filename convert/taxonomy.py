"""The vocabularies of `Article.facts`: kinds of story, kinds of reference, kinds of contact.

Plain data, shared by the reader (which assigns them), the selection (`--kind`) and the
documentation. Names are stable: they appear in JSON output and manifests.
"""

from __future__ import annotations

# Bump when the rules that find facts change what they find: selections by kind or reference
# cached in a manifest are then decided again.
FACTS_VERSION = 1

# What a story is about. An article may be several (`kinds`, the main one first), labelled
# with its latest stage (court drops charge and arrest, charge drops arrest); "other" only
# when it is none of the rest. `convert/reader/kinds.py` says how they are assigned.
STORY_KINDS: dict[str, str] = {
    "appeal": "an appeal for information or witnesses about an incident, or for a wanted person",
    "missing": "a missing person the police are looking for",
    "found": "a missing person has been found (replaces 'missing')",
    "arrest": "one or more arrests",
    "charge": "someone charged, summonsed or remanded",
    "court": "a result: guilty, convicted, sentenced, jailed, fined, a banning or restraining order",
    "collision": "a road collision",
    "seizure": "drugs, weapons, cash or stolen goods seized or recovered",
    "operation": "a named operation, a warrant, a crackdown or a day of action",
    "recruitment": "joining the force: officers, staff, specials, volunteers, cadets",
    "community": "community news: events, awards, visits, funding, thanks, retirements",
    "advice": "advice and prevention: warnings, scams, safety campaigns",
    "statement": "a statement by the force, its chief officers or the PCC (figures, inspections, budgets), "
    "or news of an incident with none of the above",
    "other": "none of the above",
}

# What a reference to quote is, by the words printed before it.
REFERENCE_KINDS: tuple[str, ...] = (
    "incident", "log", "crime reference", "occurrence", "CAD", "operation", "other",
)

# How a contact is reached.
CONTACT_KINDS: tuple[str, ...] = ("phone", "email", "online")

# How each kind is labelled by an article's date (every format); "other" shows nothing.
STORY_KIND_LABELS: dict[str, str] = {
    "appeal": "Appeal",
    "missing": "Missing person",
    "found": "Found",
    "arrest": "Arrest",
    "charge": "Charged",
    "court": "Court",
    "collision": "Road collision",
    "seizure": "Seizure",
    "operation": "Operation",
    "recruitment": "Recruitment",
    "community": "Community",
    "advice": "Advice",
    "statement": "Statement",
    "other": "",
}

# How a bundle may group its articles (`--group-by`); "area" is the default order.
GROUPINGS: tuple[str, ...] = ("area", "kind", "date")
