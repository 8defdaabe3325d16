"""Red flags: rules that override any model. Each found flag means an emergency: call
emergency services, and no booking is offered."""

from dataclasses import dataclass

CALL = "Call emergency services now (112 in Europe, 911 in the US and Canada)."


@dataclass(frozen=True)
class RedFlag:
    code: str
    message: str


def _any(present: set[str], *codes: str) -> bool:
    return any(code in present for code in codes)


def red_flags(present: set[str], *, child: bool = False) -> list[RedFlag]:
    found = []
    if "chest_pain" in present and _any(present, "shortness_of_breath", "sweating"):
        found.append(
            RedFlag("possible_heart_attack", "Chest pain with breathlessness or sweating.")
        )
    if _any(present, "face_droop", "arm_weakness", "speech_difficulty"):
        found.append(RedFlag("possible_stroke", "Signs of a stroke: face, arm or speech."))
    if "severe_bleeding" in present:
        found.append(RedFlag("severe_bleeding", "Bleeding that is heavy or will not stop."))
    if "throat_swelling" in present or (
        _any(present, "hives", "lip_swelling")
        and _any(present, "shortness_of_breath", "wheezing", "fainting")
    ):
        found.append(RedFlag("possible_anaphylaxis", "Signs of a severe allergic reaction."))
    if "fever" in present and _any(present, "stiff_neck", "non_blanching_rash"):
        found.append(
            RedFlag("possible_meningitis", "Fever with a stiff neck or a rash that does not fade.")
        )
    if "suicidal_thoughts" in present:
        found.append(
            RedFlag("suicidal_thoughts", "Thoughts of ending one's life: help is there now.")
        )
    if child and _any(present, "shortness_of_breath", "wheezing"):
        found.append(RedFlag("child_breathing_difficulty", "A child who struggles to breathe."))
    if "worst_headache" in present:
        found.append(RedFlag("thunderclap_headache", "A sudden, worst-ever headache."))
    if "overdose" in present:
        found.append(RedFlag("possible_poisoning", "An overdose or a poison swallowed."))
    if "unresponsive" in present:
        found.append(RedFlag("unresponsive", "Someone who cannot be woken."))
    if "seizure" in present:
        found.append(RedFlag("seizure", "A seizure (fit)."))
    if "stated_emergency" in present:  # "I think I'm having a heart attack": believe them
        found.append(RedFlag("stated_emergency", "You describe a medical emergency."))
    return found
