"""A perturbation suite for the truth check, built from real sentences of the dev articles.

Deterministic: the same data gives the same cases. Each case is a claim, the text
of the article its sentence came from, and a kind: ``as written`` (the sentence
itself: must be supported) or one alteration that its own article contradicts:

- ``negation``: "not" added after the first auxiliary, or removed where present;
- ``opposite``: a verb or adjective turned into its opposite (a small lexicon);
- ``roles``: two named actors of the sentence swapped;
- ``number``: a number changed;
- ``date``: a weekday or month changed;
- ``place``: a place (a gazetteer of countries, US states and large cities) changed;
- ``attribution dropped``: "X said (that) Y" / "Y, X said" / "according to X, Y" -> "Y";
- ``attribution moved``: "A said" -> "B said", B another name of the same article
  (sharing no word with A; never where A is a pronoun, which B may stand for).

Sentences come from wikinews-dev (articles of many outlets) and gvc-dev, 8 to 40
words, ending a sentence; each kind takes at most ``per_kind`` cases, at most two
per article, articles in sorted order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

KINDS = ("as written", "negation", "opposite", "roles", "number", "date", "place",
         "attribution dropped", "attribution moved")

_AUX = re.compile(
    r"\b(is|are|was|were|has|have|had|will|would|can|could|should|may|might|must|did|does)"
    r"\s+(?!not\b|n't\b)(?=[a-z])", re.IGNORECASE)
_NOT = re.compile(r"\b(is|are|was|were|has|have|had|will|would|can|could|should|did|does|do)"
                  r"(\s+not\b|n't\b)", re.IGNORECASE)
_PAIRS = """arrested released|confirmed denied|accepted rejected|approved rejected|won lost
increased decreased|rose fell|raised lowered|opened closed|allowed banned|agreed refused
guilty innocent|killed spared|survived died|alive dead|before after|higher lower
more fewer|larger smaller|first last|supported opposed|supports opposes|resigned stayed
acquitted convicted|condemned praised|criticised praised|criticized praised|ended began
joined left|entered left|rising falling|gained lost|success failure|successful unsuccessful
legal illegal|peaceful violent|public private|increase decrease|positive negative
strong weak|open closed|largest smallest|highest lowest|true false|male female
won lost|wins loses|win lose|included excluded|imported exported|north south|east west
accused cleared|charged cleared|found lost|expanded reduced|hired fired|domestic foreign"""
OPPOSITES: dict[str, str] = {}
for line in _PAIRS.split("|"):
    for pair in line.split("\n"):
        a, b = pair.split()
        OPPOSITES.setdefault(a, b)
        OPPOSITES.setdefault(b, a)
_OPPOSITE = re.compile(r"\b(" + "|".join(sorted(OPPOSITES, key=len, reverse=True)) + r")\b")

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
_DATE = re.compile(r"\b(" + "|".join(WEEKDAYS + MONTHS) + r")\b")
PLACES = """Afghanistan|Australia|Brazil|Britain|Canada|China|Egypt|England|France|Germany|India|
Indonesia|Iran|Iraq|Ireland|Israel|Italy|Japan|Kenya|Mexico|Nigeria|Pakistan|Poland|Russia|
Scotland|Spain|Syria|Turkey|Ukraine|Alabama|Arizona|California|Colorado|Florida|Georgia|
Illinois|Indiana|Kentucky|Louisiana|Michigan|Missouri|Ohio|Oklahoma|Oregon|Pennsylvania|
Tennessee|Texas|Virginia|Washington|Wisconsin|London|Paris|Berlin|Moscow|Beijing|Tokyo|
Chicago|Houston|Atlanta|Detroit|Philadelphia|Baltimore|Memphis|Boston|Miami|Dallas|Denver|
Phoenix|Seattle|Sydney|Toronto|Baghdad|Kabul|Cairo|Delhi|Mumbai|Madrid|Rome|Dublin""".replace(
    "\n", "").split("|")
_PLACE = re.compile(r"\b(" + "|".join(PLACES) + r")\b")
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?![\w,]*\d)")
_SAID = re.compile(
    r"^(?P<who>(?:[A-Z][\w.'-]*\s+){0,4}?(?:[A-Z][\w.'-]*|officials|police|authorities))"
    r"\s+(?:said|says|told [\w ]+?)(?:\s+that)?,?\s+(?P<what>[a-z].+)$")
_WHO = r"(?:(?:[A-Z][\w.'-]*|the|of|a|an|and|[a-z]+man|police|officials|authorities)\s*){1,7}"
_SAID_AFTER = re.compile(
    r"^(?P<what>.{20,}?),[\"”’']?\s+(?:(?:said|says)\s+(?P<who>" + _WHO + r")|(?P<who2>"
    + _WHO + r")\s+(?:said|says))\.$")
_ACCORDING = re.compile(r"^According to (?P<who>[^,]+), (?P<what>.+)$")
_NAME = re.compile(r"\b(?:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+|[A-Z][a-z]{2,})\b")
_NOT_NAMES = set(WEEKDAYS + MONTHS) | set(
    """The A An In On At He She It They We This That But And Police Officials Authorities
    His Her Their Its After Before When While If As For With From By Mr Mrs Ms Dr There
    Some Many Most According Also However Meanwhile Earlier Later Last Next One Two Three Four
    Five Six Seven Eight Nine Ten I You We Our My Your Who What Authorities Crews Deputies
    Officers Investigators Witnesses Neighbors Residents Friends Family Had Has Have Was Were
    Is Are Will Would Could Should Advertisement Senior Junior""".split())


@dataclass(frozen=True, slots=True)
class Case:
    kind: str
    claim: str
    original: str
    source: str  # the whole text of the article the sentence came from
    article: str  # the article's file, for reading


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def negate(s: str) -> str | None:
    if m := _NOT.search(s):
        return s[: m.start(2)] + s[m.end(2):] if m.group(2).strip() != "n't" else (
            s[: m.start(2)] + s[m.end(2):])
    if m := _AUX.search(s):
        return s[: m.end(1)] + " not" + s[m.end(1):]
    return None


def opposite(s: str) -> str | None:
    m = _OPPOSITE.search(s)
    return s[: m.start()] + OPPOSITES[m.group(1)] + s[m.end():] if m else None


def names(s: str) -> list[str]:
    found = []
    for m in _NAME.finditer(s):
        words = [w for w in m.group(0).split() if w not in _NOT_NAMES]
        name = " ".join(words)
        if name and name not in found and name not in PLACES:
            found.append(name)
    return found


_ROLES = re.compile(
    r"(?:^|(?<=[a-z,;:]\s))(?:[Tt]he\s+)?(?P<a>(?:[A-Z][a-z]+\s+){0,2}[A-Z][a-z]+)\s+(?P<verb>(?:[a-z][\w'-]*\s+){1,4}?)"
    r"(?:the\s+)?(?P<b>(?:[A-Z][a-z]+\s+){0,2}[A-Z][a-z]+)\b(?![.’'-])")


_VERB = re.compile(r"^(?:[a-z]+ed|[a-z]+[^s]s|beat|met|told|won|led|hit|took|gave|sent|sold|left|"
                   r"made|struck|shot|sought|bought|fought|caught|chose|drew|ran|saw|lost)$")


def swap_roles(s: str, source: str) -> str | None:
    """Swap the subject and the object of "A <verb ...> B" in a sentence.

    Both must be names (their first word never written in lower case in the article)
    and the words between must start with a verb.
    """
    m = _ROLES.search(s)
    if not m:
        return None
    a, b = m.group("a"), m.group("b")
    verb = m.group("verb").split()
    if a in b or b in a or not _VERB.match(verb[0]) or verb[0] in ("said", "says", "was", "has"):
        return None
    if {a.split()[0], b.split()[0]} & _NOT_NAMES:
        return None
    if not re.search(rf"[a-z,]\s+{re.escape(a)}\b", source):  # a name inside some sentence too
        return None
    if any(re.search(rf"\b{re.escape(n.split()[0].lower())}\b", source) for n in (a, b)):
        return None
    return s[: m.start("a")] + b + s[m.end("a"): m.start("b")] + a + s[m.end("b"):]


def change_number(s: str) -> str | None:
    m = _NUMBER.search(s)
    if not m:
        return None
    value = int(m.group(1).replace(",", ""))
    new = value + 3 if 1900 <= value <= 2100 else value * 2 + 3 if value < 10 else value * 2
    text = f"{new:,}" if "," in m.group(1) else str(new)
    return s[: m.start(1)] + text + s[m.end(1):]


def change_date(s: str) -> str | None:
    m = _DATE.search(s)
    if not m:
        return None
    pool = WEEKDAYS if m.group(1) in WEEKDAYS else MONTHS
    new = pool[(pool.index(m.group(1)) + 3) % len(pool)]
    return s[: m.start()] + new + s[m.end():]


def change_place(s: str, source: str) -> str | None:
    m = _PLACE.search(s)
    if not m:
        return None
    for step in range(7, len(PLACES), 7):
        new = PLACES[(PLACES.index(m.group(1)) + step) % len(PLACES)]
        if new not in source:
            return s[: m.start()] + new + s[m.end():]
    return None


def attribution(s: str) -> tuple[str, str] | None:
    """Return (who, what) of an attributed sentence, or None."""
    for pattern in (_SAID, _ACCORDING):
        if m := pattern.match(s):
            return m.group("who"), _cap(m.group("what"))
    if m := _SAID_AFTER.match(s):
        who = (m.group("who") or m.group("who2")).strip()
        what = m.group("what").strip("\"“”‘’' ")
        return who, _cap(what.rstrip(",")) + "."
    return None


def drop_attribution(s: str) -> str | None:
    found = attribution(s)
    return found[1] if found and len(found[1].split()) >= 5 else None


_SPEAKER = re.compile(r"\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})\s+(?:said|says|told)\b|"
                      r"\b(?:said|says)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})\b")


_PRONOUNS = frozenset("he she it they i we".split())


def move_attribution(s: str, source: str) -> str | None:
    """Give an attributed sentence to another speaker of the same article.

    Not where the speaker is a pronoun ("He said ..."): the article's other speaker may
    be the very person it stands for, and the claim then still says what the article
    says. The other speaker shares no word with the first ("Jan Egeland" is not another
    speaker than "Mr Egeland", nor "Michigan State Police" than "police").
    """
    found = attribution(s)
    if not found or found[0].lower() in _PRONOUNS:
        return None
    who = found[0]
    taken = {w.lower() for w in who.split()}
    speakers = [a or b for a, b in _SPEAKER.findall(source)]
    others = [n for n in dict.fromkeys(speakers)
              if not taken & {w.lower() for w in n.split()} and n.split()[0] not in _NOT_NAMES]
    return s.replace(who, others[0], 1) if others else None


def _sentences(text: str) -> list[str]:
    from briefing.text import split_sentences, word_count

    return [s for s in split_sentences(text)
            if 8 <= word_count(s) <= 40 and re.search(r"[.!?][\"'”’]?$", s)]


def articles(data: Path) -> Iterator[tuple[str, str]]:
    files = sorted((data / "wikinews-dev").glob("*/articles/*.json"))
    files += sorted((data / "gvc-dev" / "corpus").glob("*.json"))
    for f in files:
        doc = json.loads(f.read_text(encoding="utf-8"))
        yield f"{f.parent.parent.name}/{f.name}", doc.get("text", "")


def build(data: Path, per_kind: int = 150) -> list[Case]:
    """Return the cases: up to ``per_kind`` of each kind, at most two per article."""
    rules = {
        "as written": lambda s, src: s,
        "negation": lambda s, src: negate(s),
        "opposite": lambda s, src: opposite(s),
        "roles": swap_roles,
        "number": lambda s, src: change_number(s),
        "date": lambda s, src: change_date(s),
        "place": change_place,
        "attribution dropped": lambda s, src: drop_attribution(s),
        "attribution moved": move_attribution,
    }
    cases: list[Case] = []
    count = dict.fromkeys(KINDS, 0)
    for name, text in articles(data):
        taken = dict.fromkeys(KINDS, 0)
        for sentence in _sentences(text):
            for kind, rule in rules.items():
                if count[kind] >= per_kind or taken[kind] >= 2:
                    continue
                claim = rule(sentence, text)
                if claim and (claim == sentence) == (kind == "as written"):
                    cases.append(Case(kind, claim, sentence, text, name))
                    count[kind] += 1
                    taken[kind] += 1
        if all(n >= per_kind for n in count.values()):
            break
    return cases
