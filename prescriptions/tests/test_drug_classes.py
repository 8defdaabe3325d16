"""The allergy check by drug class: pure Python, no database."""

import csv

import pytest

from prescriptions.drug_classes import (
    CONFLICT,
    CSV_PATH,
    DRUG_CLASSES,
    WARNING,
    AllergyFinding,
    DrugIdentity,
    allergy_findings,
    drug_identity,
)


def _rows() -> list[dict[str, str]]:
    # Read the CSV independently of the module, so a loader bug cannot hide a row.
    with CSV_PATH.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _names(field: str) -> list[str]:
    return [name.strip() for name in field.split(";") if name.strip()]


def _only(drug: str, allergy: str) -> AllergyFinding:
    findings = allergy_findings(drug, [allergy])
    assert len(findings) == 1, findings
    return findings[0]


# --- recognising the drug ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "generics", "classes"),
    [
        ("Amoxicillin 500mg caps", ("amoxicillin",), ("penicillins",)),
        ("AUGMENTIN DUO", ("amoxicillin", "clavulanic acid"), ("penicillins",)),
        ("co-amoxiclav 625mg tabs", ("amoxicillin", "clavulanic acid"), ("penicillins",)),
        ("co-trimoxazole", ("sulfamethoxazole", "trimethoprim"), ("sulfonamides",)),
        (
            "trimethoprim/sulfamethoxazole 960",
            ("sulfamethoxazole", "trimethoprim"),
            ("sulfonamides",),
        ),
        ("Ibuprofen (Nurofen)", ("ibuprofen",), ("nsaids",)),
        ("acetylsalicylic acid", ("aspirin",), ("nsaids",)),
        ("cephalexin 250 mg", ("cefalexin",), ("cephalosporins",)),
        ("Indomethacin 25mg", ("indometacin",), ("nsaids",)),
        ("penicillin V 250mg", ("phenoxymethylpenicillin",), ("penicillins",)),
        ("Z-Pak", ("azithromycin",), ("macrolides",)),
        ("Tritace 5mg", ("ramipril",), ("ace_inhibitors",)),
        ("Altace", ("ramipril",), ("ace_inhibitors",)),
        ("Tramal SR", ("tramadol",), ("opioids",)),
        # A combination in two classes; the longer brand wins over plain "Nurofen".
        ("Nurofen Plus", ("ibuprofen", "codeine"), ("nsaids", "opioids")),
    ],
)
def test_drug_identity_reads_free_text(
    typed: str, generics: tuple[str, ...], classes: tuple[str, ...]
) -> None:
    assert drug_identity(typed) == DrugIdentity(generics, classes)


@pytest.mark.parametrize("typed", ["zopiclone 7.5mg", "latex", "", "   ", "500mg tablets", "xyzzy"])
def test_drug_identity_is_none_for_unknown_text(typed: str) -> None:
    assert drug_identity(typed) is None


def test_every_generic_other_name_and_brand_in_the_csv_is_recognised() -> None:
    rows = _rows()
    assert rows
    for row in rows:
        components = [part.strip() for part in row["generic"].split("+")]
        classes = _names(row["class"])
        for name in [row["generic"], *_names(row["other_names"]), *_names(row["brands"])]:
            for typed in (name, name.upper(), f"{name} 100mg tablets"):
                identity = drug_identity(typed)
                assert identity is not None, typed
                assert list(identity.generics) == components, typed
                assert list(identity.classes) == classes, typed


def test_csv_is_consistent() -> None:
    rows = _rows()
    single = {
        row["generic"]: set(_names(row["class"])) for row in rows if "+" not in row["generic"]
    }
    seen: dict[str, str] = {}
    for row in rows:
        classes = set(_names(row["class"]))
        assert classes and classes <= DRUG_CLASSES.keys(), row
        # A name that points at two rows would make the match ambiguous.
        for name in [row["generic"], *_names(row["other_names"]), *_names(row["brands"])]:
            key = name.lower()
            assert seen.setdefault(key, row["generic"]) == row["generic"], name
        # A combination belongs to exactly the classes of its components that have rows.
        components = [part.strip() for part in row["generic"].split("+")]
        if len(components) > 1:
            known = set().union(*(single.get(c, set()) for c in components))
            assert known == classes, row


# --- allergy findings -------------------------------------------------------------------------


def test_brand_in_capitals_against_class_allergy_is_a_conflict() -> None:
    finding = _only("AUGMENTIN", "penicillin allergy")
    assert finding.severity == CONFLICT
    assert finding.drug_class == "penicillins"
    assert finding.allergy == "penicillin allergy"
    assert "'penicillin allergy'" in finding.message
    assert "a penicillin" in finding.message


def test_message_names_the_allergy_and_the_class() -> None:
    finding = _only("Amoxicillin 500mg caps", "Penicillin")
    assert finding.message == "Recorded allergy 'Penicillin': amoxicillin is a penicillin."


def test_cephalosporin_with_penicillin_allergy_is_only_a_warning() -> None:
    finding = _only("Keflex", "Penicillin")
    assert finding.severity == WARNING
    assert finding.drug_class == "cephalosporins"
    assert "'Penicillin'" in finding.message
    assert "cephalosporin" in finding.message


def test_cephalosporin_with_a_penicillin_member_allergy_is_a_warning() -> None:
    finding = _only("ceftriaxone 1g IV", "amoxicillin rash as a child")
    assert finding.severity == WARNING
    assert "amoxicillin" in finding.message


def test_the_reverse_is_not_encoded() -> None:
    # Only penicillin allergy -> cephalosporin is a cross-reactivity rule here.
    assert allergy_findings("amoxicillin", ["cefalexin"]) == []


def test_cephalosporin_with_cephalosporin_allergy_is_a_conflict() -> None:
    assert _only("Rocephin", "cephalosporins").severity == CONFLICT
    assert _only("cefuroxime", "Keflex - rash").severity == CONFLICT


def test_bactrim_ds_with_sulfa_is_a_conflict() -> None:
    finding = _only("Bactrim DS", "sulfa")
    assert finding.severity == CONFLICT
    assert finding.drug_class == "sulfonamide antibiotics"
    assert _only("Septra", "allergic to sulfa drugs").severity == CONFLICT


def test_advil_with_aspirin_allergy_is_a_conflict_same_class() -> None:
    finding = _only("Advil", "aspirin")
    assert finding.severity == CONFLICT
    assert finding.drug_class == "NSAIDs"
    assert "aspirin" in finding.message
    assert _only("Advil", "Aspirin - hives").severity == CONFLICT


def test_a_member_allergy_conflicts_with_the_rest_of_its_class() -> None:
    assert _only("ampicillin", "amoxicillin rash as a child").severity == CONFLICT
    assert _only("morphine", "codeine").severity == CONFLICT
    assert _only("Zithromax", "erythromycin").severity == CONFLICT
    assert _only("Cipro", "levofloxacin").severity == CONFLICT
    assert _only("Zestril", "ramipril - angioedema").severity == CONFLICT


def test_the_allergen_itself_is_a_conflict() -> None:
    finding = _only("Amoxil", "amoxicillin")
    assert finding.severity == CONFLICT
    assert "recorded allergen" in finding.message
    assert _only("Augmentin", "amoxicillin").severity == CONFLICT


@pytest.mark.parametrize(
    ("drug", "allergy", "drug_class"),
    [
        ("amoxicillin", "penicillins", "penicillins"),
        ("amoxicillin", "PCN", "penicillins"),
        ("amoxicillin", "beta-lactams", "penicillins"),
        ("Celebrex", "NSAIDs", "NSAIDs"),
        ("Voltaren gel", "non-steroidal anti-inflammatory drugs", "NSAIDs"),
        ("clarithromycin", "Macrolides", "macrolides"),
        ("moxifloxacin", "quinolones", "fluoroquinolones"),
        ("OxyContin", "opiates", "opioids"),
        ("tramadol", "Opioids - vomiting", "opioids"),
        ("lisinopril", "ACE inhibitors", "ACE inhibitors"),
        ("perindopril", "ACEi", "ACE inhibitors"),
    ],
)
def test_class_named_in_the_allergy(drug: str, allergy: str, drug_class: str) -> None:
    finding = _only(drug, allergy)
    assert finding.severity == CONFLICT
    assert finding.drug_class == drug_class


def test_combination_in_two_classes_gets_a_finding_per_class() -> None:
    findings = allergy_findings("Nurofen Plus", ["NSAIDs", "codeine"])
    assert [(f.drug_class, f.allergy, f.severity) for f in findings] == [
        ("NSAIDs", "NSAIDs", CONFLICT),
        ("opioids", "codeine", CONFLICT),
    ]


def test_conflicts_come_before_warnings() -> None:
    findings = allergy_findings("cefalexin", ["Penicillin", "cephalosporins"])
    assert [f.severity for f in findings] == [CONFLICT, WARNING]


@pytest.mark.parametrize(
    "allergy",
    [
        "latex",
        "peanuts",
        "none known",
        "NKDA",
        "nil",
        "",
        "no known drug allergies",
        "not allergic to penicillin",
        "denies penicillin allergy",
        "tolerated amoxicillin 2019",
    ],
)
def test_allergies_that_name_nothing_or_are_negated_give_no_finding(allergy: str) -> None:
    assert allergy_findings("amoxicillin", [allergy]) == []


def test_negation_stays_in_its_clause() -> None:
    assert _only("amoxicillin", "NKDA except penicillin").severity == CONFLICT
    assert _only("amoxicillin", "Penicillin - rash, not anaphylaxis").severity == CONFLICT
    # A bare "no" is an alert, not a negation.
    assert _only("amoxicillin", "NO PENICILLIN").severity == CONFLICT


def test_paracetamol_with_nsaid_allergy_gives_nothing() -> None:
    assert allergy_findings("paracetamol", ["NSAIDs"]) == []


def test_unrelated_class_gives_nothing() -> None:
    assert allergy_findings("ciprofloxacin", ["Penicillin", "sulfa", "codeine"]) == []


def test_unknown_drug_gives_nothing() -> None:
    assert allergy_findings("xyzzy 10mg", ["Penicillin", "NSAIDs"]) == []


def test_a_single_allergy_string_is_not_read_letter_by_letter() -> None:
    assert _only("amoxicillin", "penicillin").severity == CONFLICT
    assert allergy_findings("amoxicillin", "penicillin") == allergy_findings(
        "amoxicillin", ["penicillin"]
    )


def test_every_class_has_a_name_and_atc_group() -> None:
    assert set(DRUG_CLASSES) == {
        "penicillins",
        "cephalosporins",
        "sulfonamides",
        "nsaids",
        "macrolides",
        "fluoroquinolones",
        "opioids",
        "ace_inhibitors",
        "paracetamol",
        "biguanides",
        "statins",
        "proton_pump_inhibitors",
        "dihydropyridines",
        "tetracyclines",
        "carbapenems",
    }
    for drug_class in DRUG_CLASSES.values():
        assert drug_class.name and drug_class.atc
        # Every class but a single drug's own has words for the whole class.
        assert drug_class.allergy_terms or drug_class.key == "paracetamol"


@pytest.mark.parametrize(
    ("drug", "allergy"),
    [
        ("Tylenol", "Paracetamol"),
        ("paracetamol 500 mg", "Paracetamol - anaphylaxis"),
        ("ACETAMINOPHEN", "tylenol"),
        ("Co-codamol 30/500", "paracetamol"),
        ("Glucophage", "metformin"),
        ("Lipitor 20mg", "simvastatin (myalgia)"),
        ("zopiclone 7.5mg", "Zopiclone"),  # not in the table: the name itself still counts
        ("Zopiclone", "ZOPICLONE - confusion"),
    ],
)
def test_a_drug_named_in_the_allergy_record_is_a_conflict(drug: str, allergy: str) -> None:
    findings = allergy_findings(drug, [allergy])
    assert [finding.severity for finding in findings] == ["conflict"], findings
    assert allergy in findings[0].message


@pytest.mark.parametrize(
    ("drug", "allergy"),
    [
        ("zopiclone", "no known allergy to zopiclone"),
        ("zopiclone", "NKDA"),
        ("Paracetamol", "NSAIDs"),
        ("zopiclone", "severe reaction to latex"),
        ("Lisinopril", "Paracetamol"),
    ],
)
def test_nothing_is_raised_when_the_record_does_not_name_the_drug(drug: str, allergy: str) -> None:
    assert allergy_findings(drug, [allergy]) == []
