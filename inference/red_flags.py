"""Red flags: rules that override any model. Each found flag means an emergency: call
emergency services, and no booking is offered. When in doubt between a flag and none, the
rules raise it: a missed emergency is the worst mistake triage can make."""

from dataclasses import dataclass

CALL = "Call emergency services now (112 in Europe, 911 in the US and Canada)."

# Every flag, rule-raised or learned (inference.flag_detector), and what it tells the patient.
MESSAGES = {
    "possible_heart_attack": "Chest pain with breathlessness, sweating, sickness or pain "
    "spreading to the arm or jaw.",
    "possible_stroke": "Signs of a stroke: face, arm, speech or sudden loss of sight.",
    "severe_bleeding": "Bleeding that is heavy or will not stop, or vomiting blood.",
    "possible_anaphylaxis": "Signs of a severe allergic reaction.",
    "possible_meningitis": "Fever with a stiff neck or light that hurts the eyes, a rash "
    "that does not fade, or a bulging soft spot on a baby's head.",
    "suicidal_thoughts": "Thoughts of ending one's life: help is there now. Stay with someone "
    "and keep away from anything you could harm yourself with. You can also talk to a crisis "
    "line at any hour (116 123 in the UK and Ireland, 988 in the US and Canada).",
    "child_breathing_difficulty": "A child who struggles to breathe.",
    "thunderclap_headache": "A sudden, worst-ever headache.",
    "possible_poisoning": "An overdose, a poison swallowed, fumes such as carbon monoxide, or "
    "signs of too much of a medicine such as lithium or digoxin.",
    "unresponsive": "Someone who cannot be woken.",
    "seizure": "A seizure (fit).",
    "stated_emergency": "You describe a medical emergency.",
    "infant_fever": "A fever in a baby under 3 months old.",
    "possible_ectopic_pregnancy": "Tummy pain in a possible pregnancy, with fainting, "
    "dizziness, bleeding or shoulder-tip pain.",
    "severe_breathing_difficulty": "Severe difficulty breathing, blue or grey lips or skin, or "
    "an oxygen level of 92 % or less.",
    "serious_head_injury": "A head injury followed by confusion, drowsiness, fainting, vomiting, "
    "a fit, memory loss or blurred sight, or in someone who takes blood thinners.",
}
# Every flag that the learned detector is trained, calibrated and measured on: all of them.
CATEGORIES = tuple(MESSAGES)

# Conditions that are emergencies whose warning signs are these rules: the rules watch for them,
# so the model needs the ordinary likelihood to call them (inference.triage).
WATCHED_CONDITIONS = {
    "heart_attack": "possible_heart_attack",
    "stroke": "possible_stroke",
    "anaphylaxis": "possible_anaphylaxis",
    "meningitis": "possible_meningitis",
    "subarachnoid_haemorrhage": "thunderclap_headache",
    "carbon_monoxide_poisoning": "possible_poisoning",
    "infant_fever": "infant_fever",
    "ectopic_pregnancy": "possible_ectopic_pregnancy",
    "severe_asthma_attack": "severe_breathing_difficulty",
    "pulmonary_embolism": "severe_breathing_difficulty",
}

# After long cold or heat, the signs that the body's temperature is dangerous (NHS: hypothermia,
# heatstroke). "Sleepy in this heat" is no sign: only drowsiness after the cold counts.
HEAT_DANGER_SIGNS = ("confusion", "unresponsive", "speech_difficulty")
COLD_DANGER_SIGNS = (*HEAT_DANGER_SIGNS, "drowsiness")
# A sign of severe infection (mottled skin, low blood pressure, very fast breathing, no urine)
# with an infection or fever is sepsis with a high-risk sign (NICE NG51; NICE NG143: a feverish
# child who is mottled); no urine for many hours with drowsiness, confusion or sunken eyes is
# severe dehydration or shock, whatever the cause, and so are sunken eyes or a sunken soft spot
# with drowsiness in a child, or in an adult who is being sick, has diarrhoea, a fever or has
# been in the heat (NHS: dehydration, call 999 or go to A&E).
INFECTED = ("fever", "infection_signs")
DROWSY = ("confusion", "drowsiness", "unresponsive")
NO_URINE_COMPANIONS = (*INFECTED, *DROWSY, "dehydration_sign", "dizziness", "fainting")
HEART_ATTACK_COMPANIONS = (
    "shortness_of_breath",
    "sweating",
    "arm_or_jaw_pain",
    "nausea",
    "vomiting",
    "dizziness",
    "fainting",
    "pale_skin",
    "arm_weakness",
)
FAINT_SIGNS = ("dizziness", "fainting", "pale_skin")
ALLERGY_SIGNS = ("hives", "lip_swelling", "allergic_reaction", "sting")
SEVERE_ALLERGY_SIGNS = (
    "shortness_of_breath",
    "wheezing",
    "fainting",
    "difficulty_swallowing",
    "blue_lips",
    "hoarse_voice",
    "dizziness",
    "unresponsive",  # floppy or collapsed: shock
)
# Pain low in the belly or in the side, in a possible pregnancy: ectopic until shown otherwise.
LOW_BELLY_PAIN = (
    "abdominal_pain",
    "pelvic_pain",
    "right_lower_abdominal_pain",
    "flank_pain",
    "groin_pain",
    "shoulder_pain",  # shoulder-tip pain: blood under the diaphragm
    "one_sided_pain",  # "the pain on the right side is back"
)
# Carbon monoxide: fumes, a faulty heater or a CO alarm, and the signs it causes.
CO_SIGNS = ("headache", "dizziness", "nausea", "vomiting", "confusion", "fainting")
# Pupils shrunk to pinpoints with sweating, sickness or drowsiness: opioids or an insecticide
# (organophosphates); after eye drops alone they are no poisoning.
PINPOINT_PUPIL_SIGNS = (
    "sweating",
    "drowsiness",
    "confusion",
    "vomiting",
    "unresponsive",
    "abdominal_pain",
    "shortness_of_breath",
)
# Lithium, digoxin, theophylline or phenytoin with these: too much of it in the blood (BNF).
TOXICITY_SIGNS = ("vomiting", "confusion", "tremor", "drowsiness", "blurred_vision", "diarrhoea")
CHILD_BREATHING = (
    "shortness_of_breath",
    "wheezing",
    "blue_lips",
    "low_oxygen",
    "breathing_pauses",
    "inhaler_not_helping",
    "choking",
)
# A head injury needs a scan today when any of these follow it (NICE NG232), or when the person
# takes blood thinners.
AFTER_HEAD_INJURY = (
    "confusion",
    "drowsiness",
    "fainting",
    "vomiting",
    "seizure",
    "unresponsive",
    "speech_difficulty",
    "fluid_from_nose_or_ear",
    "ear_discharge",
    "unequal_pupils",
    "anticoagulant",
    "skull_fracture_sign",
)
# Signs that follow a knock to the head only (NHS: memory loss, problems with sight): after a
# fall of any kind, an older person's known forgetfulness or glasses would say nothing new.
AFTER_KNOCK_TO_THE_HEAD = ("memory_problems", "blurred_vision")
# An electric shock followed by any of these needs A&E (NHS: burns, a racing or irregular
# heart, chest pain, passing out, a fit, confusion or breathlessness).
AFTER_ELECTRIC_SHOCK = (
    "palpitations",
    "burn",
    "chest_pain",
    "unresponsive",
    "collapse",
    "confusion",
    "shortness_of_breath",
    "fainting",
    "seizure",
)
# A testicle that hurts with sickness or all of a sudden: torsion until shown otherwise (NHS: go
# to A&E straight away).
TORSION_SIGNS = ("vomiting", "nausea", "sudden_onset")
# A hypo (named, or a blood sugar under 3 given as a number) with these is severe: the person
# needs someone else's help (NHS: call 999).
SEVERE_HYPO_SIGNS = ("confusion", "drowsiness", "unresponsive", "seizure", "speech_difficulty")
# Ketones with any of these: diabetic ketoacidosis until shown otherwise (NHS: go to A&E).
DKA_SIGNS = (
    "vomiting",
    "abdominal_pain",
    "shortness_of_breath",
    "drowsiness",
    "confusion",
    "unresponsive",
)


@dataclass(frozen=True)
class RedFlag:
    code: str
    message: str


GRAVE_SITUATIONS = (
    "hypothermia",
    "heatstroke",
    "choking",
    "emergency_birth",
    "decompression_illness",
)


def flag(code: str) -> RedFlag:
    return RedFlag(code, MESSAGES[code])


def _any(present: set[str], *codes: str) -> bool:
    return any(code in present for code in codes)


def red_flag_codes(present: set[str], *, child: bool = False, infant: bool = False) -> list[str]:
    """The flags that the rules raise. `child`: under 16; `infant`: under 3 months."""
    found = []
    # "I think I'm having a heart attack", "it's a stroke": believe them, and name it.
    # Angina that the GTN spray does not ease is a heart attack until shown otherwise (NHS).
    # A heart attack may feel like indigestion: "indigestion gone up into his jaw, sweaty".
    if (
        _any(present, "says_heart_attack", "gtn_not_working")
        or ("chest_pain" in present and _any(present, *HEART_ATTACK_COMPANIONS))
        or (
            {"heartburn", "arm_or_jaw_pain"} <= present
            and _any(present, "sweating", "shortness_of_breath", "fainting", "pale_skin")
        )
    ):
        found.append("possible_heart_attack")
    if _any(
        present,
        "face_droop",
        "arm_weakness",
        "speech_difficulty",
        "sudden_vision_loss",
        "says_stroke",
    ):
        found.append("possible_stroke")
    # Blood spat or coughed up after a tonsillectomy is a bleed from the wound (NHS: go to A&E;
    # most come in the first fortnight). No time is checked: one told as long ago ("had my
    # tonsils out as a child") is read as history, not as present.
    if (
        _any(present, "severe_bleeding", "vomiting_blood")
        or ("blood_in_stool" in present and _any(present, *FAINT_SIGNS))
        or {"after_tonsillectomy", "coughing_blood"} <= present
    ):
        found.append("severe_bleeding")
    if (
        "throat_swelling" in present
        or (_any(present, *ALLERGY_SIGNS) and _any(present, *SEVERE_ALLERGY_SIGNS))
        or ("lip_swelling" in present and _any(present, "allergic_reaction", "sting"))
    ):
        found.append("possible_anaphylaxis")
    if (
        _any(present, "non_blanching_rash", "bulging_fontanelle")
        or {"fever", "stiff_neck"} <= present
        or (
            {"fever", "light_sensitivity"} <= present
            and _any(present, "neck_pain", "headache", "confusion", "drowsiness", "rash")
        )
        or {"fever", "neck_pain", "confusion"} <= present
        # a fever and a rash in someone hard to wake or confused (NICE NG240)
        or ({"fever", "rash"} <= present and _any(present, "unresponsive", "confusion"))
        # without a fever told: a stiff neck with confusion, or with light that hurts and a rash
        or (
            {"stiff_neck", "confusion"} <= present
            and _any(present, "headache", "light_sensitivity", "rash", "vomiting")
        )
        or {"stiff_neck", "light_sensitivity", "rash"} <= present
        # a child's head raised "like a dome" on top, with a fever and no knock: a bulging soft
        # spot told without its name
        or (
            child
            and {"raised_top_of_head", "fever"} <= present
            and not _any(present, "head_injury", "injury", "fall")
        )
    ):
        found.append("possible_meningitis")
    # An overdose taken on purpose is an attempt on one's life, however far apart the two are
    # told ("took a whole box of paracetamol an hour ago on purpose").
    if "suicidal_thoughts" in present or {"overdose", "on_purpose"} <= present:
        found.append("suicidal_thoughts")
    if child and (
        _any(present, *CHILD_BREATHING) or {"inhaler_not_helping", "speech_difficulty"} <= present
    ):
        found.append("child_breathing_difficulty")
    # A flu that "came on suddenly" with a headache among its aches is no thunderclap: there the
    # sudden onset is the illness's, and only a worst-ever headache counts.
    flu_like = "fever" in present and _any(present, "muscle_aches", "cough")
    if "worst_headache" in present or ({"headache", "sudden_onset"} <= present and not flu_like):
        found.append("thunderclap_headache")
    if (
        "overdose" in present
        or ("co_exposure" in present and _any(present, *CO_SIGNS))
        or ("narrow_range_medicine" in present and _any(present, *TOXICITY_SIGNS))
        or ("pinpoint_pupils" in present and _any(present, *PINPOINT_PUPIL_SIGNS))
        # drink with someone who cannot be woken: alcohol poisoning (NHS: call 999)
        or {"alcohol", "unresponsive"} <= present
    ):
        found.append("possible_poisoning")
    if _any(present, "unresponsive", "collapse"):
        found.append("unresponsive")
    # Collapsed, or not waking, and shaking: a fit until shown otherwise.
    if "seizure" in present or ("tremor" in present and _any(present, "collapse", "unresponsive")):
        found.append("seizure")
    # "I think I'm having a heart attack": believe them. Someone collapsed, not breathing or
    # without a pulse is an emergency whatever the cause (and cannot be woken: "unresponsive"),
    # and so is a serious injury: stabbed, hit by a car, a fall from a height, a bone through
    # the skin, large burns (NHS: major trauma, severe burns and scalds are 999 calls), and
    # someone found dangerously cold or overheated (out in the cold or heat and confused or
    # slurring, or drowsy after the cold: hypothermia or heatstroke until shown otherwise),
    # someone choking, and a birth under way (NHS: 999 calls); sepsis with a high-risk sign, and
    # severe dehydration; a testicular torsion; a fever during chemotherapy (neutropenic sepsis,
    # NICE NG151); a blood pressure of 160/110 or more in pregnancy (NICE NG133); a severe
    # hypo or ketoacidosis; a burn over a large area; a baby who moves less with pain or
    # bleeding in pregnancy (NHS: a placental abruption is an emergency); an electric shock with
    # a burn, a racing heart or any other sign after it.
    if (
        _any(present, "stated_emergency", "collapse", "major_injury", *GRAVE_SITUATIONS)
        or ("cold_exposure" in present and _any(present, *COLD_DANGER_SIGNS))
        or ("heat_exposure" in present and _any(present, *HEAT_DANGER_SIGNS))
        or (_any(present, "sepsis_sign", "mottled_skin") and _any(present, *INFECTED))
        or ("no_urine" in present and _any(present, *NO_URINE_COMPANIONS))
        or ("testicular_pain" in present and _any(present, *TORSION_SIGNS))
        or {"on_chemotherapy", "fever"} <= present
        or {"severe_bp_reading", "pregnancy"} <= present
        # a back or neck hurt in a fall or a crash, with legs that feel weak or numb: a spinal
        # injury (NHS: call 999, do not move them)
        or (
            _any(present, "injury", "fall", "major_injury", "head_injury")
            and "leg_weakness" in present
            and _any(present, "neck_pain", "back_pain")
        )
        # and a neck hurt in a fall or a crash with numb or weak arms or hands
        or (
            _any(present, "fall", "major_injury", "head_injury")
            and "neck_pain" in present
            and _any(present, "numbness_tingling", "arm_weakness")
        )
        or (_any(present, "ketosis_sign", "very_high_sugar") and _any(present, *DKA_SIGNS))
        # heavy bleeding in pregnancy (NHS: call 999), and a belly gone hard as a board with
        # pain that came on suddenly or with vomiting (peritonitis until shown otherwise)
        or {"pregnancy", "severe_bleeding"} <= present
        or (
            {"rigid_belly", "abdominal_pain"} <= present
            and "pregnancy" not in present  # a pregnant belly tightens (Braxton Hicks)
            and _any(present, "sudden_onset", "vomiting", "fainting", "fever")
        )
        or ("low_sugar" in present and _any(present, *SEVERE_HYPO_SIGNS))
        or {"burn", "large_area"} <= present
        or ("electric_shock" in present and _any(present, *AFTER_ELECTRIC_SHOCK))
        or (
            "reduced_fetal_movements" in present
            and _any(present, "abdominal_pain", "vaginal_bleeding", "severe_bleeding")
        )
        or (
            "dehydration_sign" in present
            and _any(present, *DROWSY)
            # an adult's sunken eyes may be only tiredness or weight lost
            and (child or _any(present, "vomiting", "diarrhoea", "fever", "heat_exposure"))
        )
    ):
        found.append("stated_emergency")
    # At any age: struggling for breath, choking, the lips or skin turning blue or an oxygen
    # level of 92 % or less (too little oxygen), or an asthma attack that the reliever inhaler
    # does not ease.
    # An adult's gasp after the pauses of loud snoring is sleep apnoea, not a struggle for
    # breath (the other signs still count, and a child's pauses raise the child's flag).
    struggling = "severe_breathlessness" in present and (child or "snoring" not in present)
    breathing = (
        struggling
        or _any(present, "blue_lips", "low_oxygen", "inhaler_not_helping", "choking")
        or (
            # too breathless or wheezy to talk
            _any(present, "shortness_of_breath", "wheezing") and "speech_difficulty" in present
        )
    )
    # Both flags when a child's is raised too: a parent who writes "the kids are off school and
    # I can't say a whole sentence" may be the one who struggles.
    if breathing:
        found.append("severe_breathing_difficulty")
    # A fall from a height counts as a knock to the head when the same signs follow it.
    if (_any(present, "head_injury", "fall") and _any(present, *AFTER_HEAD_INJURY)) or (
        "head_injury" in present and _any(present, *AFTER_KNOCK_TO_THE_HEAD)
    ):
        found.append("serious_head_injury")
    # Sudden breathlessness with a swollen or painful calf: a clot in the lung until shown
    # otherwise; so is sudden breathlessness with chest pain after an operation or a long
    # journey (NICE NG158: recent surgery and immobility).
    clot_in_leg = _any(present, "calf_pain", "one_leg_swollen") and _any(
        present,
        "sudden_breathlessness",
        "sudden_onset",
        "chest_pain",
        "pleuritic_pain",
        "coughing_blood",
        "recent_surgery_or_travel",
    )
    # Breathlessness with pain on breathing in or blood coughed up after either is one too,
    # sudden or not.
    after_surgery_or_travel = "recent_surgery_or_travel" in present and (
        _any(present, "pleuritic_pain", "coughing_blood")
        or {"sudden_breathlessness", "chest_pain"} <= present
    )
    if (
        "shortness_of_breath" in present
        and (clot_in_leg or after_surgery_or_travel)
        and "severe_breathing_difficulty" not in found
    ):
        found.append("severe_breathing_difficulty")
    if infant and "fever" in present:
        found.append("infant_fever")
    if _any(present, "missed_period", "pregnancy") and (
        _any(present, *LOW_BELLY_PAIN)
        or ("vaginal_bleeding" in present and _any(present, "fainting", "dizziness"))
    ):
        found.append("possible_ectopic_pregnancy")
    return found
