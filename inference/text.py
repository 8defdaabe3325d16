"""Free text to symptom codes: lay phrases, negation ("no fever" is not fever), and the words
that matched nothing, which are reported back rather than dropped.

Negation follows NegEx's idea: a cue ("no", "without", "denies"...) negates the phrases after it
within the same clause; clauses end at sentence punctuation and at words like "but"."""

import re
from dataclasses import dataclass, field
from functools import cache

from inference.vocabulary import symptoms

CLAUSE_BREAK = re.compile(
    r"[.;!?\n]|\b(?:but|however|although|though|except|yet)\b|,\s*(?=i\b|my\b)"
    r"|\band\s+(?=i\b|i'm\b|my\b)"
)
NEGATION = re.compile(
    r"\b(?:no|not|without|denies|deny|never|none|nor|free of|don't have|do not have|"
    r"haven't had|have not had|didn't have|did not have|isn't|aren't|wasn't)\b"
)
CHILD = re.compile(
    r"\b(?:my (?:son|daughter|baby|child|kid|boy|girl|toddler)|toddler|infant|newborn)\b"
)
WORD = re.compile(r"[a-z][a-z'-]+")
# Words that carry no symptom: they are neither matched nor reported as unknown.
_COMMON_WORDS = """
a an the i i'm im me my mine we our you your he she his her him they them it its this that
these those is am are was were be been being have has had having do does did doing feel feels
felt feeling get got getting since for from with and or of to in on at by as so very really
quite bit lot little some much many more most also too just still again now today yesterday
tonight morning evening night day days week weeks hour hours minute minutes month months ago
last started start starting begin began suddenly sudden bad badly worse worst severe mild slight
constant keep keeps kept when while after before about around like can could would should will
may might what which who there here then than left right side both sometimes often always every
each all any one two three four five few several no not without denies deny never none nor free
don't dont doesn't haven't didn't isn't aren't wasn't son daughter baby child kid boy girl
toddler infant newborn years year old
"""
COMMON = frozenset(_COMMON_WORDS.split())


@dataclass
class Reading:
    present: list[str] = field(default_factory=list)
    negated: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    mentions_child: bool = False


@cache
def _phrase_index() -> list[tuple[re.Pattern, str]]:
    pairs = [
        (phrase.lower(), code) for code, symptom in symptoms().items() for phrase in symptom.phrases
    ]
    pairs.sort(key=lambda pair: -len(pair[0]))  # longest first: "chest pain" before "pain"
    return [(re.compile(rf"(?<![a-z]){re.escape(p)}(?![a-z])"), code) for p, code in pairs]


def normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip()


def read(text: str) -> Reading:
    text = normalise(text)
    reading = Reading(mentions_child=bool(CHILD.search(text)))
    present: dict[str, None] = {}
    negated: dict[str, None] = {}
    unknown: dict[str, None] = {}
    for clause in CLAUSE_BREAK.split(text):
        if not clause or not clause.strip():
            continue
        taken = [False] * len(clause)
        matches = []
        for pattern, code in _phrase_index():
            for match in pattern.finditer(clause):
                if any(taken[match.start() : match.end()]):
                    continue
                taken[match.start() : match.end()] = [True] * (match.end() - match.start())
                matches.append((match.start(), code))
        for start, code in sorted(matches):
            before = "".join(" " if taken[i] else clause[i] for i in range(start))
            (negated if NEGATION.search(before) else present)[code] = None
        for word in WORD.finditer(clause):
            if not any(taken[word.start() : word.end()]) and word.group() not in COMMON:
                unknown[word.group()] = None
    reading.present = list(present)
    reading.negated = [code for code in negated if code not in present]
    reading.unknown = list(unknown)
    return reading
