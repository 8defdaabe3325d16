"""Allergy check "by drug class" for prescriptions. Pure Python: no Django, no database.

The curated table is `data/drug_classes.csv` (see `data/README.md`): one row per generic or
combination product, with its class(es), other generic names and brands.

Free text is matched as tokens: lower case, accents and punctuation dropped, so strengths and
forms ("500mg caps") are simply ignored and a name is found anywhere in the text. Where names
overlap the longest wins ("Nurofen Plus" is ibuprofen + codeine, "Nurofen" alone ibuprofen).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

CSV_PATH = Path(__file__).resolve().parent / "data" / "drug_classes.csv"

CONFLICT: Literal["conflict"] = "conflict"
WARNING: Literal["warning"] = "warning"
Severity = Literal["conflict", "warning"]


@dataclass(frozen=True)
class DrugClass:
    key: str  # as written in the CSV's `class` column
    name: str  # plural, for people: "penicillins"
    a_member: str  # "a penicillin", for messages
    atc: str  # WHO ATC group the class follows
    allergy_terms: tuple[str, ...]  # words an allergy record uses for the whole class


# Class words live here rather than in the CSV: they describe how allergies are written down,
# not the formulary. A term may name several classes ("beta-lactam").
DRUG_CLASSES: dict[str, DrugClass] = {
    c.key: c
    for c in (
        DrugClass(
            "penicillins",
            "penicillins",
            "a penicillin",
            "J01C",
            ("penicillin", "pcn", "beta lactam"),
        ),
        DrugClass(
            "cephalosporins",
            "cephalosporins",
            "a cephalosporin",
            "J01DB-J01DI",
            ("cephalosporin", "cefalosporin", "beta lactam"),
        ),
        DrugClass(
            "sulfonamides",
            "sulfonamide antibiotics",
            "a sulfonamide antibiotic",
            "J01E",
            ("sulfa", "sulpha", "sulfonamide", "sulphonamide", "sulfa drug", "sulpha drug"),
        ),
        DrugClass(
            "nsaids",
            "NSAIDs",
            "an NSAID",
            "M01A",
            (
                "nsaid",
                "non steroidal anti inflammatory",
                "nonsteroidal anti inflammatory",
                "non steroidal antiinflammatory",
                "nonsteroidal antiinflammatory",
            ),
        ),
        DrugClass("macrolides", "macrolides", "a macrolide", "J01FA", ("macrolide",)),
        DrugClass(
            "fluoroquinolones",
            "fluoroquinolones",
            "a fluoroquinolone",
            "J01MA",
            ("fluoroquinolone", "quinolone"),
        ),
        DrugClass("opioids", "opioids", "an opioid", "N02A", ("opioid", "opiate", "narcotic")),
        DrugClass(
            "ace_inhibitors",
            "ACE inhibitors",
            "an ACE inhibitor",
            "C09A",
            ("ace inhibitor", "acei", "ace i", "angiotensin converting enzyme inhibitor"),
        ),
        # Everyday drugs, so that an allergy to one is caught under any of its names; each is
        # a class of its own, or with its close relatives where allergy lists name the group.
        DrugClass("paracetamol", "paracetamol (acetaminophen)", "paracetamol", "N02BE01", ()),
        DrugClass("biguanides", "biguanides", "a biguanide", "A10BA", ("biguanide",)),
        DrugClass("statins", "statins", "a statin", "C10AA", ("statin",)),
        DrugClass(
            "proton_pump_inhibitors",
            "proton pump inhibitors",
            "a proton pump inhibitor",
            "A02BC",
            ("proton pump inhibitor", "ppi"),
        ),
        DrugClass(
            "dihydropyridines",
            "dihydropyridine calcium channel blockers",
            "a dihydropyridine calcium channel blocker",
            "C08CA",
            ("calcium channel blocker", "dihydropyridine"),
        ),
        DrugClass("tetracyclines", "tetracyclines", "a tetracycline", "J01AA", ("tetracycline",)),
        DrugClass("carbapenems", "carbapenems", "a carbapenem", "J01DH", ("carbapenem",)),
    )
}

# An allergy to any class on the left is a cross-reactivity warning (not a refusal) for a drug
# of the class on the right: penicillin -> cephalosporin is low but real (data/README.md).
CROSS_REACTIVE: dict[str, str] = {"penicillins": "cephalosporins"}

# Words that, before a name in the same clause, mean "not allergic" ("no known drug allergies",
# "not allergic to penicillin"). A bare "no"/"not" is not one: "NO PENICILLIN" is an alert.
_NEGATIONS = (
    "no known",
    "no allergy",
    "no allergies",
    "no history",
    "no reaction",
    "no reactions",
    "not allergic",
    "not an allergy",
    "non allergic",
    "nonallergic",
    "denies",
    "denied",
    "negative for",
    "tolerates",
    "tolerated",
    "tolerant",
    "nkda",
    "nka",
)
_NEGATION_TOKENS = frozenset(tuple(cue.split()) for cue in _NEGATIONS)
_NEGATION_LONGEST = max(len(cue) for cue in _NEGATION_TOKENS)
# Clause breaks, so "amoxicillin rash, not anaphylaxis" or "NKDA except penicillin" keep the
# name outside the negation.
_CLAUSE_BREAK = re.compile(
    r"[,;:()\[\]]|\.(?:\s|$)|\s[-\u2013\u2014]+\s|\b(?:but|however|except|apart from|other than)\b"
)


@dataclass(frozen=True)
class DrugIdentity:
    generics: tuple[str, ...]  # component generic names, e.g. ("amoxicillin", "clavulanic acid")
    classes: tuple[str, ...]  # DRUG_CLASSES keys, e.g. ("penicillins",)


@dataclass(frozen=True)
class AllergyFinding:
    severity: Severity  # "conflict": refuse; "warning": cross-reactivity, prescriber decides
    allergy: str  # the allergy text as recorded
    drug_class: str  # human class name, e.g. "penicillins"
    message: str


@dataclass(frozen=True)
class _Product:
    """One CSV row."""

    generic: str  # display name; a combination's components joined by " + "
    components: tuple[str, ...]
    classes: tuple[str, ...]


Tokens = tuple[str, ...]


def _tokens(text: str) -> Tokens:
    # Accents and apostrophes dropped ("ACEi's", "indométacine"); any other punctuation splits.
    text = text.replace("\u03b2", "beta").replace("'", "").replace("\u2019", "")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return tuple(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def _name_variants(name: str) -> set[Tokens]:
    # "co-amoxiclav" may be typed "co amoxiclav" or "coamoxiclav".
    return {_tokens(name), _tokens(name.replace("-", ""))} - {()}


def _split(field: str) -> list[str]:
    return [part.strip() for part in field.split(";") if part.strip()]


@dataclass(frozen=True)
class _Table:
    names: dict[Tokens, tuple[_Product, ...]]  # every generic, other name and brand
    class_terms: dict[Tokens, tuple[str, ...]]  # allergy words for whole classes
    component_classes: dict[str, tuple[str, ...]]  # single generic -> its classes
    longest: int  # in tokens, to bound the scan


@cache
def _table() -> _Table:
    """Read the CSV once, on first use."""
    names: dict[Tokens, list[_Product]] = {}
    component_classes: dict[str, tuple[str, ...]] = {}
    with CSV_PATH.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            classes = tuple(_split(row["class"]))
            unknown = set(classes) - DRUG_CLASSES.keys()
            if unknown:  # a typo in the curated table must not silently drop a class
                raise ValueError(f"{CSV_PATH.name}: unknown class {unknown} for {row['generic']}")
            components = tuple(part.strip() for part in row["generic"].split("+"))
            product = _Product(" + ".join(components), components, classes)
            if len(components) == 1:
                component_classes[components[0]] = classes
            for name in [row["generic"], *_split(row["other_names"]), *_split(row["brands"])]:
                for variant in _name_variants(name):
                    if product not in names.setdefault(variant, []):
                        names[variant].append(product)
    class_terms: dict[Tokens, list[str]] = {}
    for drug_class in DRUG_CLASSES.values():
        for term in drug_class.allergy_terms:
            variants = _name_variants(term)
            if len(term.split()[-1]) > 2:  # plurals: "penicillins", "NSAIDs", "opiates"
                variants |= _name_variants(term + "s")
            for variant in variants:
                class_terms.setdefault(variant, []).append(drug_class.key)
    longest = max(len(tokens) for tokens in [*names, *class_terms])
    return _Table(
        {k: tuple(v) for k, v in names.items()},
        {k: tuple(v) for k, v in class_terms.items()},
        component_classes,
        longest,
    )


@dataclass(frozen=True)
class _Mentions:
    products: tuple[_Product, ...] = ()
    classes: tuple[str, ...] = ()  # classes named as a whole ("penicillin allergy")


def _scan(tokens: Tokens, *, with_classes: bool, honour_negation: bool) -> _Mentions:
    """Find names left to right, longest first, so overlapping names are not double counted."""
    table = _table()
    products: list[_Product] = []
    classes: list[str] = []
    longest = max(table.longest, _NEGATION_LONGEST)
    negated = False
    i = 0
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            window = tokens[i : i + size]
            if honour_negation and window in _NEGATION_TOKENS:
                negated = True  # everything after it in this clause is "not allergic"
                break
            found_products = table.names.get(window, ())
            found_classes = table.class_terms.get(window, ()) if with_classes else ()
            if found_products or found_classes:
                if not negated:
                    products += [p for p in found_products if p not in products]
                    classes += [c for c in found_classes if c not in classes]
                break
        i += size
    return _Mentions(tuple(products), tuple(classes))


def _identify(drug_name: str) -> tuple[_Product, ...]:
    return _scan(_tokens(drug_name), with_classes=False, honour_negation=False).products


def drug_identity(drug_name: str) -> DrugIdentity | None:
    """Recognise a drug in free text as typed ("AUGMENTIN DUO", "Amoxicillin 500mg caps").

    None when nothing in the table is named: the caller must show that as "not checked", never
    as "no allergy conflict"."""
    products = _identify(drug_name)
    if not products:
        return None
    generics = dict.fromkeys(g for p in products for g in p.components)
    classes = dict.fromkeys(c for p in products for c in p.classes)
    return DrugIdentity(tuple(generics), tuple(classes))


def _members_of(product: _Product, class_key: str) -> set[str]:
    """The components that put a product in a class: {"codeine"} for ibuprofen + codeine."""
    classes = _table().component_classes
    members = {c for c in product.components if class_key in classes.get(c, ())}
    return members or {product.generic}


def _member_of(product: _Product, class_key: str) -> str:
    return min(_members_of(product, class_key))  # min: the same name every time


def _drug_phrase(product: _Product, class_key: str, member: str | None = None) -> str:
    # "amoxicillin is a penicillin" / "amoxicillin + clavulanic acid contains amoxicillin, ..."
    a_member = DRUG_CLASSES[class_key].a_member
    if len(product.components) == 1:
        return f"{product.generic} is {a_member}"
    return f"{product.generic} contains {member or _member_of(product, class_key)}, {a_member}"


def _finding(
    product: _Product, class_key: str, allergy: str, named: _Mentions
) -> AllergyFinding | None:
    """The strongest finding for one class of the prescribed product against one allergy."""
    drug_class = DRUG_CLASSES[class_key]
    prefix = f"Recorded allergy '{allergy}': "
    in_class = [p for p in named.products if class_key in p.classes]
    own_members = _members_of(product, class_key)
    for allergen in in_class:
        shared = own_members & _members_of(allergen, class_key)
        if shared:  # the allergen itself, alone or inside a combination
            allergen_name = min(shared)
            what = (
                f"{product.generic} is"
                if len(product.components) == 1
                else f"{product.generic} contains"
            )
            return AllergyFinding(
                CONFLICT,
                allergy,
                drug_class.name,
                f"{prefix}{what} {allergen_name}, the recorded allergen.",
            )
    if class_key in named.classes:
        return AllergyFinding(
            CONFLICT, allergy, drug_class.name, f"{prefix}{_drug_phrase(product, class_key)}."
        )
    if in_class:
        other = _member_of(in_class[0], class_key)
        return AllergyFinding(
            CONFLICT,
            allergy,
            drug_class.name,
            f"{prefix}{_drug_phrase(product, class_key)}, the same class as {other}.",
        )
    for source, target in CROSS_REACTIVE.items():
        if target != class_key:
            continue
        source_members = [_member_of(p, source) for p in named.products if source in p.classes]
        if source in named.classes or source_members:
            source_name = DRUG_CLASSES[source].name
            also = f" ({', '.join(source_members)})" if source_members else ""
            return AllergyFinding(
                WARNING,
                allergy,
                drug_class.name,
                f"{prefix}{_drug_phrase(product, class_key)}; cross-reactivity with "
                f"{source_name}{also} is low but real. Check the reaction: avoid after an "
                "immediate or severe reaction.",
            )
    return None


def _allergy_mentions(allergy: str) -> _Mentions:
    products: list[_Product] = []
    classes: list[str] = []
    for clause in _CLAUSE_BREAK.split(allergy.lower()):
        found = _scan(_tokens(clause), with_classes=True, honour_negation=True)
        products += [p for p in found.products if p not in products]
        classes += [c for c in found.classes if c not in classes]
    return _Mentions(tuple(products), tuple(classes))


# Words of an allergy record that describe the reaction or the record, not the substance.
_NOT_SUBSTANCES = frozenset(
    [
        "allergy",
        "allergic",
        "allergies",
        "reaction",
        "reactions",
        "severe",
        "moderate",
        "mild",
        "swelling",
        "hives",
        "itching",
        "itchy",
        "vomiting",
        "nausea",
        "tablet",
        "tablets",
        "capsule",
        "capsules",
        "cream",
        "drops",
        "child",
        "childhood",
        "years",
        "anaphylaxis",
        "breathing",
        "throat",
        "wheeze",
        "wheezing",
        "rashes",
        "blisters",
        "intolerance",
        "intolerant",
        "unknown",
        "drugs",
        "medicine",
        "medicines",
    ]
)


def _names_the_allergen(drug_name: str, allergy: str) -> str | None:
    """The recorded allergen's own word in the prescribed drug's name, for drugs the table does
    not know ("Zopiclone" recorded, "zopiclone 7.5 mg" prescribed). Negated clauses name
    nothing ("no known allergy to zopiclone")."""
    prescribed = set(_tokens(drug_name))
    for clause in _CLAUSE_BREAK.split(allergy.lower()):
        tokens = _tokens(clause)
        negated = any(
            tokens[start : start + len(cue)] == cue
            for cue in _NEGATION_TOKENS
            for start in range(len(tokens))
        )
        if negated:
            continue
        words = {
            token for token in tokens
            if len(token) >= 5 and token.isalpha() and token not in _NOT_SUBSTANCES
        }  # fmt: skip
        if words & prescribed:
            return min(words & prescribed)
    return None


def allergy_findings(drug_name: str, allergies: Iterable[str]) -> list[AllergyFinding]:
    """Findings of a prescribed drug against the patient's recorded allergies (free text).

    Conflicts come first, then warnings; at most one finding per allergy and drug class."""
    if isinstance(allergies, str):  # one allergy passed bare would be iterated letter by letter
        allergies = [allergies]
    products = _identify(drug_name)
    findings: list[AllergyFinding] = []
    for allergy in allergies:
        if not allergy or not allergy.strip():
            continue
        named = _allergy_mentions(allergy)
        if not (named.products or named.classes):
            allergen = _names_the_allergen(drug_name, allergy)
            if allergen is not None:  # a drug the table does not know, named in the record
                findings.append(
                    AllergyFinding(
                        CONFLICT,
                        allergy,
                        "the recorded allergen",
                        f"Recorded allergy '{allergy}': the prescribed drug is {allergen}, "
                        "the recorded allergen.",
                    )
                )
            continue  # "latex", "NKDA": nothing this table knows
        seen: set[str] = set()
        for product in products:
            for class_key in product.classes:
                if class_key in seen:
                    continue
                finding = _finding(product, class_key, allergy, named)
                if finding is not None:
                    seen.add(class_key)
                    findings.append(finding)
    return sorted(findings, key=lambda f: f.severity != CONFLICT)
