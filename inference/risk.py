"""Published, validated risk scores, computed exactly. Each result names its score and source.
Input outside a score's validated range is refused (RangeError), never extrapolated."""

import math
from dataclasses import dataclass
from typing import Literal

Sex = Literal["female", "male"]


class RangeError(ValueError):
    """An input lies outside the range the score was validated on."""

    def __init__(self, field: str, low: float, high: float, value: float, score: str) -> None:
        super().__init__(
            f"{field} must be between {low:g} and {high:g} for {score}; got {value:g}."
        )
        self.field = field


def _check(field: str, value: float, low: float, high: float, score: str) -> None:
    if not (low <= value <= high):
        raise RangeError(field, low, high, value, score)


@dataclass(frozen=True)
class Result:
    score: str
    source: str
    value: float
    category: str
    detail: dict


# --- BMI (WHO) ------------------------------------------------------------------------------

BMI = "Body mass index, WHO classification"
BMI_SOURCE = "WHO. Obesity: preventing and managing the global epidemic. TRS 894, 2000."
BMI_CATEGORIES = [
    (18.5, "underweight"),
    (25.0, "normal weight"),
    (30.0, "pre-obesity"),
    (35.0, "obesity class I"),
    (40.0, "obesity class II"),
    (math.inf, "obesity class III"),
]


def bmi(*, weight_kg: float, height_cm: float) -> Result:
    _check("weight_kg", weight_kg, 20, 350, BMI)
    _check("height_cm", height_cm, 100, 250, BMI)
    value = weight_kg / (height_cm / 100) ** 2
    category = next(name for limit, name in BMI_CATEGORIES if value < limit)
    return Result(BMI, BMI_SOURCE, round(value, 1), category, {})


# --- Blood pressure (2017 ACC/AHA) --------------------------------------------------------------

BP = "Blood pressure category, 2017 ACC/AHA"
BP_SOURCE = (
    "Whelton PK et al. 2017 ACC/AHA guideline for high blood pressure in adults. "
    "Hypertension 2018;71:e13-e115."
)


def blood_pressure(*, systolic: float, diastolic: float) -> Result:
    _check("systolic", systolic, 60, 300, BP)
    _check("diastolic", diastolic, 30, 200, BP)
    if diastolic >= systolic:
        raise RangeError("diastolic", 30, systolic - 1, diastolic, BP)
    if systolic > 180 or diastolic > 120:
        category = "hypertensive crisis"
    elif systolic >= 140 or diastolic >= 90:
        category = "stage 2 hypertension"
    elif systolic >= 130 or diastolic >= 80:
        category = "stage 1 hypertension"
    elif systolic >= 120:
        category = "elevated"
    else:
        category = "normal"
    detail = {"systolic": systolic, "diastolic": diastolic}
    return Result(BP, BP_SOURCE, systolic, category, detail)


# --- FINDRISC (Lindström and Tuomilehto 2003) ---

FINDRISC = "FINDRISC, 10-year risk of type 2 diabetes"
FINDRISC_SOURCE = (
    "Lindström J, Tuomilehto J. The diabetes risk score: a practical tool to predict type 2 "
    "diabetes risk. Diabetes Care 2003;26:725-731."
)
FINDRISC_CATEGORIES = [
    (6, "low", "about 1 in 100"),
    (11, "slightly elevated", "about 1 in 25"),
    (14, "moderate", "about 1 in 6"),
    (20, "high", "about 1 in 3"),
    (26, "very high", "about 1 in 2"),
]
FamilyHistory = Literal["none", "second_degree", "first_degree"]


def findrisc(
    *,
    age: int,
    sex: Sex,
    bmi_value: float,
    waist_cm: float,
    physically_active: bool,
    eats_vegetables_daily: bool,
    takes_blood_pressure_medication: bool,
    history_of_high_glucose: bool,
    family_history: FamilyHistory,
) -> Result:
    _check("age", age, 18, 120, FINDRISC)
    _check("bmi", bmi_value, 10, 80, FINDRISC)
    _check("waist_cm", waist_cm, 40, 250, FINDRISC)
    points = {
        "age": 0 if age < 45 else 2 if age <= 54 else 3 if age <= 64 else 4,
        "bmi": 0 if bmi_value < 25 else 1 if bmi_value <= 30 else 3,
        "waist": _waist_points(sex, waist_cm),
        "physical_activity": 0 if physically_active else 2,
        "vegetables": 0 if eats_vegetables_daily else 1,
        "blood_pressure_medication": 2 if takes_blood_pressure_medication else 0,
        "high_glucose": 5 if history_of_high_glucose else 0,
        "family_history": {"none": 0, "second_degree": 3, "first_degree": 5}[family_history],
    }
    total = sum(points.values())
    _, category, risk = next(row for row in FINDRISC_CATEGORIES if total <= row[0])
    return Result(
        FINDRISC, FINDRISC_SOURCE, total, category, {"points": points, "ten_year_risk": risk}
    )


def _waist_points(sex: Sex, waist_cm: float) -> int:
    low, high = (94, 102) if sex == "male" else (80, 88)
    return 0 if waist_cm < low else 3 if waist_cm <= high else 4


# --- Pooled cohort equations (2013 ACC/AHA) ---

PCE = "10-year ASCVD risk, 2013 ACC/AHA pooled cohort equations"
PCE_SOURCE = (
    "Goff DC Jr et al. 2013 ACC/AHA guideline on the assessment of cardiovascular risk. "
    "Circulation 2014;129(25 Suppl 2):S49-S73, Table A."
)
Race = Literal["white", "african_american", "other"]


@dataclass(frozen=True)
class _Equation:
    ln_age: float
    ln_age_sq: float
    ln_tc: float
    ln_age_ln_tc: float
    ln_hdl: float
    ln_age_ln_hdl: float
    ln_treated_sbp: float
    ln_age_ln_treated_sbp: float
    ln_untreated_sbp: float
    ln_age_ln_untreated_sbp: float
    smoker: float
    ln_age_smoker: float
    diabetes: float
    mean: float
    baseline_survival: float


EQUATIONS: dict[tuple[str, str], _Equation] = {
    ("female", "white"): _Equation(
        -29.799, 4.884, 13.540, -3.114, -13.578, 3.149, 2.019, 0, 1.957, 0, 7.574, -1.665, 0.661,
        -29.18, 0.9665,
    ),
    ("female", "african_american"): _Equation(
        17.114, 0, 0.940, 0, -18.920, 4.475, 29.291, -6.432, 27.820, -6.087, 0.691, 0, 0.874,
        86.61, 0.9533,
    ),
    ("male", "white"): _Equation(
        12.344, 0, 11.853, -2.664, -7.990, 1.769, 1.797, 0, 1.764, 0, 7.837, -1.795, 0.658,
        61.18, 0.9144,
    ),
    ("male", "african_american"): _Equation(
        2.469, 0, 0.302, 0, -0.307, 0, 1.916, 0, 1.809, 0, 0.549, 0, 0.645, 19.54, 0.8954,
    ),
}  # fmt: skip


def ascvd_pooled_cohort(
    *,
    age: int,
    sex: Sex,
    race: Race,
    total_cholesterol: float,
    hdl: float,
    systolic: float,
    on_blood_pressure_treatment: bool,
    smoker: bool,
    diabetic: bool,
) -> Result:
    """10-year risk of a first hard ASCVD event, in percent. Races other than African American
    use the white equations, as the guideline directs."""
    _check("age", age, 40, 79, PCE)
    _check("total_cholesterol", total_cholesterol, 130, 320, PCE)
    _check("hdl", hdl, 20, 100, PCE)
    _check("systolic", systolic, 90, 200, PCE)
    equation = EQUATIONS[(sex, "african_american" if race == "african_american" else "white")]
    ln_age, ln_tc, ln_hdl, ln_sbp = (math.log(v) for v in (age, total_cholesterol, hdl, systolic))
    treated = on_blood_pressure_treatment
    total = (
        equation.ln_age * ln_age
        + equation.ln_age_sq * ln_age**2
        + equation.ln_tc * ln_tc
        + equation.ln_age_ln_tc * ln_age * ln_tc
        + equation.ln_hdl * ln_hdl
        + equation.ln_age_ln_hdl * ln_age * ln_hdl
        + (equation.ln_treated_sbp + equation.ln_age_ln_treated_sbp * ln_age) * ln_sbp * treated
        + (equation.ln_untreated_sbp + equation.ln_age_ln_untreated_sbp * ln_age)
        * ln_sbp
        * (not treated)
        + (equation.smoker + equation.ln_age_smoker * ln_age) * smoker
        + equation.diabetes * diabetic
    )
    risk = 1 - equation.baseline_survival ** math.exp(total - equation.mean)
    percent = round(risk * 100, 1)
    if percent < 5:
        category = "low"
    elif percent < 7.5:
        category = "borderline"
    elif percent < 20:
        category = "intermediate"
    else:
        category = "high"
    return Result(
        PCE,
        PCE_SOURCE,
        percent,
        category,
        {"individual_sum": round(total, 4), "ten_year_risk_exact": risk * 100},
    )
