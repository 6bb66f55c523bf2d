"""A small built-in vocabulary and sentence templates for synthetic press releases.

Written for the benchmark, not taken from the corpus: invented places and people, and the stock
phrases every police press office uses. `Story` keeps one article's facts consistent (the same
place, suspect and officer throughout).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import datetime

from shapes import MONTHS, WEEKDAYS

PLACES = (
    "Ashbury", "Brackenfield", "Coldmoor", "Dunmere", "Elmstead", "Fairhaven", "Greyford", "Hollowell",
    "Kingsmead", "Longridge", "Marshfield", "Northcote", "Oakhampton Vale", "Pennington", "Queensbury",
    "Redbridge Green", "Saltmarsh", "Thornbury Heath", "Upper Wexley", "Westbrook", "Yarrowfield",
    "Castleford End", "Millhaven", "Stonebridge", "Harrowgate Park", "Lowther Cross", "Bramley Down",
)
STREET_A = ("Church", "Mill", "Station", "Victoria", "Albert", "Park", "High", "Manor", "Chapel",
            "Queen", "King", "Green", "Market", "Bridge", "Meadow", "Orchard", "Hill", "Elm", "Oak")
STREET_B = ("Road", "Street", "Lane", "Avenue", "Close", "Drive", "Way", "Crescent", "Gardens", "Terrace")
FIRST = ("James", "Sarah", "Michael", "Emma", "David", "Laura", "Daniel", "Rachel", "Thomas", "Hannah",
         "Mark", "Claire", "Paul", "Sophie", "Andrew", "Rebecca", "Lee", "Joanne", "Gary", "Natalie")
LAST = ("Smith", "Walker", "Hughes", "Patel", "Robinson", "Clarke", "Wright", "Turner", "Ahmed",
        "Morgan", "Bennett", "Fletcher", "Kaur", "Harrison", "Doyle", "Whitfield", "Marsh", "O'Neill")
ROLES = ("Detective Sergeant", "Detective Inspector", "Detective Chief Inspector", "PC", "Sergeant",
         "Inspector", "Chief Inspector", "Superintendent", "Detective Superintendent",
         "Chief Superintendent", "Assistant Chief Constable", "Deputy Chief Constable")
CRIMES = ("burglary", "robbery", "serious assault", "theft from a vehicle", "criminal damage",
          "distraction burglary", "arson", "stabbing", "attempted robbery", "hit and run",
          "sexual assault", "fraud", "shop theft", "aggravated burglary", "public order offence")
OFFENCES = ("possession with intent to supply class A drugs", "causing death by dangerous driving",
            "burglary", "robbery", "assault occasioning actual bodily harm", "theft",
            "grievous bodily harm with intent", "possession of an offensive weapon",
            "fraud by false representation", "dangerous driving", "criminal damage", "arson")
# Who, and a plausible age range for them.
PEOPLE = {"man": (19, 64), "woman": (19, 64), "teenager": (13, 19), "boy": (11, 17), "girl": (11, 17),
          "pensioner": (68, 94), "motorcyclist": (18, 70), "cyclist": (16, 75), "driver": (18, 85)}
_AN = re.compile(r"\b([Aa]) (?=[aeiouAEIOU]|8\d?-|11-|18-)")
VEHICLES = ("a silver Ford Focus", "a black Audi A3", "a white Transit van", "a blue Vauxhall Corsa",
            "a red motorbike", "a grey BMW 3 Series", "a dark-coloured hatchback")
ADVICE = ("Lock your doors and windows, even when you are at home",
          "Keep valuables out of sight in your vehicle",
          "Never let anyone into your home unless you are sure who they are",
          "Ask callers for identification and check it with the company",
          "Mark your property and register it online",
          "Report anything suspicious to us straight away",
          "Keep your car keys away from the front door",
          "Talk to elderly relatives and neighbours about doorstep crime")
HEADINGS = ("Do you recognise this man?", "Appeal for information", "Background", "Advice",
            "Update", "How to contact us", "Further information", "Do you remember anything?",
            "Support for victims", "What happens next")
QUOTES = (
    "We are determined to find the people responsible and bring them to justice.",
    "I would urge anyone who was in the area at the time and saw anything suspicious to get in touch.",
    "Incidents like this are thankfully rare, but we understand the concern they cause in the community.",
    "Our thoughts are with the family at this incredibly difficult time.",
    "No matter how small or insignificant you think your information is, it could prove vital.",
    "We have increased patrols in the area to reassure residents while our enquiries continue.",
    "This result shows what can be achieved when the public and the police work together.",
    "We will continue to target those who bring misery to our communities.",
    "I want to thank the members of the public who have already come forward.",
    "Officers worked tirelessly on this investigation and I am pleased with the outcome.",
)
NARRATIVE = (
    "Officers were called at around {time} on {weekday} {day} {month} to reports of a {crime} "
    "on {street}, {place}.",
    "A {age}-year-old {person} suffered injuries which are not thought to be life-threatening.",
    "The {person} was taken to hospital for treatment and has since been discharged.",
    "A {age}-year-old {person} from {place} was arrested on suspicion of {offence} and remains in custody.",
    "{name}, aged {age}, of {street}, {place}, has been charged with {offence}.",
    "{name} appeared at {place} Magistrates' Court on {weekday} and was remanded in custody.",
    "The suspect is described as white, around {height} tall, of slim build, with short dark hair.",
    "He was wearing a dark hooded top, grey jogging bottoms and white trainers at the time.",
    "The offenders left the scene in {vehicle}, which was later found abandoned nearby.",
    "Enquiries are ongoing and officers are reviewing CCTV footage from the area.",
    "Residents can expect to see an increased police presence in {place} over the coming days.",
    "The road was closed for several hours while officers carried out their investigation.",
    "At {court} Crown Court on {weekday} {day} {month}, {name} was sentenced to {years} years in prison.",
    "Detectives believe the incident was targeted and there is no wider risk to the public.",
    "Specialist officers are supporting the victim's family.",
    "A cordon remains in place on {street} while forensic examinations take place.",
    "The victim, a {age}-year-old {person}, was approached by two men who demanded money.",
    "Items including jewellery, cash and a laptop were stolen during the break-in.",
    "Officers would particularly like to hear from anyone with dashcam or doorbell footage.",
    "The investigation has been referred to the Independent Office for Police Conduct as is standard.",
)
APPEAL = (
    "Anyone with information is asked to call 101 quoting incident {ref}.",
    "You can also report information online or speak to an officer using our live chat.",
    "Alternatively, you can contact the independent charity Crimestoppers anonymously on 0800 555 111.",
    "If you have any information, please contact us quoting crime reference {ref}.",
    "Witnesses or anyone with information should call us on 101, quoting log {ref}.",
)
HEADLINES = (
    "Appeal following {crime} in {place}",
    "Witness appeal after {crime} on {street}",
    "{Person} charged following {crime} in {place}",
    "Man jailed for {offence}",
    "Police release CCTV after {crime} in {place}",
    "Have you seen missing {place} {person}?",
    "Arrest made after {crime} in {place}",
    "Renewed appeal one year on from {crime} in {place}",
    "Two arrested after drugs seized in {place}",
    "Update - {person} found safe and well",
    "Tribute paid to {place} {person} following fatal collision",
    "Officers step up patrols in {place} town centre",
    "Woman sentenced after {crime} at {place} shop",
    "Do you recognise this man? Appeal after {crime} in {place}",
)


@dataclass(slots=True)
class Story:
    """One article's facts, so that the text stays consistent."""

    rng: random.Random
    when: datetime
    place: str = ""
    street: str = ""
    crime: str = ""
    offence: str = ""
    person: str = ""
    suspect: str = ""
    officer: str = ""
    ref: str = ""
    curly: float = 0.5
    decks: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        r = self.rng
        self.place = r.choice(PLACES)
        self.street = f"{r.choice(STREET_A)} {r.choice(STREET_B)}"
        self.crime = r.choice(CRIMES)
        self.offence = r.choice(OFFENCES)
        self.person = r.choice(sorted(PEOPLE))
        self.suspect = f"{r.choice(FIRST)} {r.choice(LAST)}"
        self.officer = f"{r.choice(ROLES)} {r.choice(FIRST)} {r.choice(LAST)}"
        self.ref = f"{r.randint(10, 999)} of {self.when.day} {MONTHS[self.when.month - 1]}"

    def fill(self, template: str) -> str:
        r = self.rng
        values = {
            "place": self.place, "street": self.street, "crime": self.crime, "offence": self.offence,
            "person": self.person, "Person": self.person.capitalize(), "name": self.suspect,
            "ref": self.ref, "age": str(r.randint(*PEOPLE[self.person])),
            "height": f"{r.randint(5, 6)}ft {r.randint(0, 11)}in",
            "time": f"{r.randint(1, 11)}.{r.randrange(0, 60, 5):02d}{r.choice(('am', 'pm'))}",
            "weekday": r.choice(WEEKDAYS), "day": str(r.randint(1, 28)),
            "month": MONTHS[r.randrange(12)], "vehicle": r.choice(VEHICLES), "court": r.choice(PLACES),
            "years": str(r.randint(2, 14)),
        }
        return _AN.sub(lambda m: m[1] + "n ", template.format(**values))

    def draw(self, name: str, pool: tuple[str, ...]) -> str:
        """The next item of a shuffled deck, so an article repeats itself only once the deck is spent."""
        deck = self.decks.get(name)
        if not deck:
            deck = self.decks[name] = list(pool)
            self.rng.shuffle(deck)
        return deck.pop()

    def headline(self) -> str:
        return self.fill(self.rng.choice(HEADLINES))

    def sentence(self) -> str:
        return self.fill(self.draw("narrative", NARRATIVE))

    def appeal(self) -> str:
        return self.fill(self.draw("appeal", APPEAL))

    def quote_marks(self) -> tuple[str, str]:
        """The article's own quote marks, with the odd inconsistency real pages have."""
        if "marks" not in self.decks or self.rng.random() < 0.1:
            self.decks["marks"] = list(self._marks())
        return self.decks["marks"][0], self.decks["marks"][1]

    def _marks(self) -> tuple[str, str]:
        if self.rng.random() < self.curly:
            return ("“", "”") if self.rng.random() < 0.8 else ("‘", "’")
        return ('"', '"') if self.rng.random() < 0.7 else ("'", "'")

    def speech(self, sentences: int) -> str:
        return " ".join(self.draw("quotes", QUOTES) for _ in range(max(1, sentences)))

    def list_item(self, kind: str) -> str:
        r = self.rng
        if kind == "advice":
            return self.draw("advice", ADVICE)
        if kind == "charges":
            n = r.choice(("One count", "Two counts", "Three counts", "Four counts"))
            return f"{n} of {self.draw('offences', OFFENCES)}"
        return self.sentence().rstrip(".")
