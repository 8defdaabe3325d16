"""The risk scores against their publications' worked examples and category limits."""

import pytest

from inference import risk

# Goff et al. 2014, Table A: 55 years, total cholesterol 213, HDL 50, untreated systolic 120,
# non-smoker, no diabetes.
PCE_EXAMPLE = {
    "age": 55,
    "total_cholesterol": 213,
    "hdl": 50,
    "systolic": 120,
    "on_blood_pressure_treatment": False,
    "smoker": False,
    "diabetic": False,
}


@pytest.mark.parametrize(
    ("sex", "race", "published_sum", "published_percent"),
    [
        ("female", "white", -29.67, 2.1),
        ("female", "african_american", 86.16, 3.0),
        ("male", "white", 60.69, 5.3),
        ("male", "african_american", 18.97, 6.1),
    ],
)
def test_pooled_cohort_equations_match_the_published_example(
    sex, race, published_sum, published_percent
):
    result = risk.ascvd_pooled_cohort(sex=sex, race=race, **PCE_EXAMPLE)
    assert result.detail["individual_sum"] == pytest.approx(published_sum, abs=0.02)
    assert result.detail["ten_year_risk_exact"] == pytest.approx(published_percent, abs=0.1)
    assert result.score == risk.PCE and "Goff" in result.source


def test_other_races_use_the_white_equations():
    other = risk.ascvd_pooled_cohort(sex="male", race="other", **PCE_EXAMPLE)
    white = risk.ascvd_pooled_cohort(sex="male", race="white", **PCE_EXAMPLE)
    assert other.value == white.value


def test_risk_rises_with_smoking_diabetes_and_treated_pressure():
    base = risk.ascvd_pooled_cohort(sex="female", race="white", **PCE_EXAMPLE).value
    for change in ({"smoker": True}, {"diabetic": True}, {"on_blood_pressure_treatment": True}):
        assert (
            risk.ascvd_pooled_cohort(sex="female", race="white", **{**PCE_EXAMPLE, **change}).value
            > base
        )
    high = risk.ascvd_pooled_cohort(
        sex="male",
        race="white",
        **{
            **PCE_EXAMPLE,
            "age": 75,
            "smoker": True,
            "systolic": 170,
            "on_blood_pressure_treatment": True,
            "diabetic": True,
        },
    )
    assert high.category == "high" and high.value >= 20


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("age", 39),
        ("age", 80),
        ("total_cholesterol", 129),
        ("total_cholesterol", 321),
        ("hdl", 19),
        ("hdl", 101),
        ("systolic", 89),
        ("systolic", 201),
    ],
)
def test_pooled_cohort_refuses_input_outside_its_validated_range(field, value):
    with pytest.raises(risk.RangeError, match=field):
        risk.ascvd_pooled_cohort(sex="male", race="white", **{**PCE_EXAMPLE, field: value})


@pytest.mark.parametrize(
    ("weight", "height", "value", "category"),
    [
        (50, 180, 15.4, "underweight"),
        (70, 175, 22.9, "normal weight"),
        (85, 175, 27.8, "pre-obesity"),
        (95, 175, 31.0, "obesity class I"),
        (110, 175, 35.9, "obesity class II"),
        (130, 175, 42.4, "obesity class III"),
        (56.7, 175, 18.5, "normal weight"),  # 18.51: the lower limit of normal
    ],
)
def test_bmi_and_who_categories(weight, height, value, category):
    result = risk.bmi(weight_kg=weight, height_cm=height)
    assert (result.value, result.category) == (value, category)


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("weight_kg", {"weight_kg": 5, "height_cm": 170}),
        ("height_cm", {"weight_kg": 70, "height_cm": 20}),
    ],
)
def test_bmi_refuses_impossible_bodies(field, kwargs):
    with pytest.raises(risk.RangeError, match=field):
        risk.bmi(**kwargs)


@pytest.mark.parametrize(
    ("systolic", "diastolic", "category"),
    [
        (118, 76, "normal"),
        (124, 78, "elevated"),
        (128, 82, "stage 1 hypertension"),
        (134, 70, "stage 1 hypertension"),
        (142, 70, "stage 2 hypertension"),
        (125, 92, "stage 2 hypertension"),
        (185, 100, "hypertensive crisis"),
        (170, 125, "hypertensive crisis"),
    ],
)
def test_blood_pressure_categories_2017_acc_aha(systolic, diastolic, category):
    assert risk.blood_pressure(systolic=systolic, diastolic=diastolic).category == category


def test_blood_pressure_refuses_diastolic_above_systolic():
    with pytest.raises(risk.RangeError):
        risk.blood_pressure(systolic=80, diastolic=90)


FINDRISC_LOW = {
    "age": 40,
    "sex": "female",
    "bmi_value": 22.0,
    "waist_cm": 75,
    "physically_active": True,
    "eats_vegetables_daily": True,
    "takes_blood_pressure_medication": False,
    "history_of_high_glucose": False,
    "family_history": "none",
}


def test_findrisc_points_follow_the_published_form():
    assert risk.findrisc(**FINDRISC_LOW).value == 0
    highest = risk.findrisc(
        age=70,
        sex="male",
        bmi_value=32,
        waist_cm=110,
        physically_active=False,
        eats_vegetables_daily=False,
        takes_blood_pressure_medication=True,
        history_of_high_glucose=True,
        family_history="first_degree",
    )
    assert highest.value == 26 and highest.category == "very high"
    assert highest.detail["points"] == {
        "age": 4,
        "bmi": 3,
        "waist": 4,
        "physical_activity": 2,
        "vegetables": 1,
        "blood_pressure_medication": 2,
        "high_glucose": 5,
        "family_history": 5,
    }


@pytest.mark.parametrize(
    ("changes", "total", "category"),
    [
        ({"age": 50, "bmi_value": 27}, 3, "low"),
        (
            {"age": 58, "bmi_value": 27, "waist_cm": 85, "physically_active": False},
            9,
            "slightly elevated",
        ),
        (
            {
                "age": 58,
                "family_history": "first_degree",
                "eats_vegetables_daily": False,
                "waist_cm": 85,
            },
            12,
            "moderate",
        ),
        (
            {
                "age": 66,
                "history_of_high_glucose": True,
                "family_history": "second_degree",
                "bmi_value": 31,
            },
            15,
            "high",
        ),
        ({"sex": "male", "waist_cm": 94}, 3, "low"),
        ({"sex": "male", "waist_cm": 103}, 4, "low"),
    ],
)
def test_findrisc_totals_and_categories(changes, total, category):
    result = risk.findrisc(**{**FINDRISC_LOW, **changes})
    assert (result.value, result.category) == (total, category)
