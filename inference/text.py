"""Free text to symptom codes: lay phrases, negation ("no fever" is not fever), and the words
that matched nothing, which are reported back rather than dropped.

Negation follows NegEx: a cue ("no", "without", "denies"...) negates a phrase that follows it
closely (at most NEGATION_WINDOW other words between), in the same clause, with no comma or
"and" between: "no fever or cough" denies both, "no appetite, and chest pain" denies nothing
after the comma. Pseudo-negations ("no idea", "not going away", "never had a headache this
bad") negate nothing. Every doubt falls on the side of a symptom being present, because a
wrongly denied symptom can hide a red flag."""

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
NEGATION_WINDOW = 4
SCOPE_END = re.compile(r",|\band\b")
PSEUDO_NEGATION = re.compile(
    r"\b(?:no idea|not sure|no clue|no doubt|not only|no better|not better|not getting better|"
    r"not improving|not go(?:ing)? away|not stopping|not stop)\b"
)
# "I've never had a headache this bad" says the headache is there.
NEVER_BEFORE = re.compile(r"\b(?:like (?:this|that)|this bad|so bad|before|in my life)\b")
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


TOKEN = re.compile(r"[a-z0-9][a-z0-9'-]*")


@cache
def _phrase_index() -> dict[str, list[tuple[int, re.Pattern, str]]]:
    """Phrase patterns by their first word, each with its rank (longest phrases first, so
    that "chest pain" wins over "pain"). A plural ending is allowed: "chest pains"."""
    pairs = [
        (phrase.lower(), code) for code, symptom in symptoms().items() for phrase in symptom.phrases
    ]
    pairs.sort(key=lambda pair: -len(pair[0]))
    index: dict[str, list[tuple[int, re.Pattern, str]]] = {}
    for rank, (phrase, code) in enumerate(pairs):
        pattern = re.compile(rf"(?<![a-z]){re.escape(phrase)}(?:s|es)?(?![a-z])")
        index.setdefault(TOKEN.findall(phrase)[0], []).append((rank, pattern, code))
    return index


def _candidates(clause: str) -> list[tuple[re.Pattern, str]]:
    """Only the phrases whose first word occurs in the clause, in rank order."""
    index = _phrase_index()
    found: dict[int, tuple[re.Pattern, str]] = {}
    for token in set(TOKEN.findall(clause)) | set(re.findall(r"[a-z0-9']+", clause)):
        for word in (token, token.removesuffix("s"), token.removesuffix("es")):
            for rank, pattern, code in index.get(word, ()):
                found[rank] = (pattern, code)
    return [found[rank] for rank in sorted(found)]


def _negated(before: str, rest: str) -> bool:
    """Whether the text before a phrase (other phrases blanked out) negates it; `rest` is the
    clause from the phrase on."""
    cues = list(NEGATION.finditer(before))
    if not cues:
        return False
    cue = cues[-1]
    if PSEUDO_NEGATION.match(before, cue.start()):
        return False
    if cue.group() == "never" and NEVER_BEFORE.search(rest):
        return False
    gap = before[cue.end() :]
    return not SCOPE_END.search(gap) and len(WORD.findall(gap)) <= NEGATION_WINDOW


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
        for pattern, code in _candidates(clause):
            for match in pattern.finditer(clause):
                if any(taken[match.start() : match.end()]):
                    continue
                taken[match.start() : match.end()] = [True] * (match.end() - match.start())
                matches.append((match.start(), match.end(), code))
        for start, _end, code in sorted(matches):
            before = "".join(" " if taken[i] else clause[i] for i in range(start))
            (negated if _negated(before, clause[start:]) else present)[code] = None
        for word in WORD.finditer(clause):
            if not any(taken[word.start() : word.end()]) and word.group() not in COMMON:
                unknown[word.group()] = None
    reading.present = list(present)
    reading.negated = [code for code in negated if code not in present]
    reading.unknown = list(unknown)
    return reading
