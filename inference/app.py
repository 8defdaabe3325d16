"""The inference service: a separate process that the portal reaches over HTTP only.

    uvicorn inference.app:app --host 127.0.0.1 --port 8001

Every /v1 endpoint needs the X-API-Key header (INFERENCE_API_KEY in the environment)."""

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel as PydanticModel
from pydantic import ConfigDict, Field, model_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from inference import risk, triage
from inference.advice_model import advice_model
from inference.flag_detector import detector
from inference.model import URGENCIES, model
from inference.vocabulary import symptoms

SERVICE_VERSION = "0.1.0"


class BaseModel(PydanticModel):
    """Every body refuses NaN and infinity: no score is defined for them."""

    model_config = ConfigDict(allow_inf_nan=False)


def require_api_key(x_api_key: Annotated[str | None, Header()] = None) -> None:
    expected = os.environ.get("INFERENCE_API_KEY", "")
    if not expected or not x_api_key or not secrets.compare_digest(x_api_key, expected):
        raise HTTPException(status_code=401, detail="A valid X-API-Key header is required.")


# Read before the first request is accepted: the reader's phrase tables and English dictionary
# load on first use (about half a second), and the model and detector may come from the artefact
# cache without reading anything.
WARM_UP = "a sore throat and a runny nose, no fever, and a hedache for 3 days"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # trained or read from the cache
    triage.analyze(model(), detector(), advice_model(), codes=[], text=WARM_UP)
    yield


app = FastAPI(title="Clinic inference service", version=SERVICE_VERSION, lifespan=lifespan)
v1 = Depends(require_api_key)


@app.exception_handler(risk.RangeError)
async def out_of_range(request: Request, exc: risk.RangeError) -> JSONResponse:
    return JSONResponse(
        status_code=422,
        content={
            "error": {
                "code": "out_of_range",
                "message": str(exc),
                "fields": {exc.field: [str(exc)]},
            }
        },
    )


class UnknownCodes(ValueError):
    pass


@app.exception_handler(UnknownCodes)
async def unknown_codes(request: Request, exc: UnknownCodes) -> JSONResponse:
    return JSONResponse(
        status_code=422,
        content={
            "error": {
                "code": "unknown_symptoms",
                "message": str(exc),
                "fields": {"symptoms": [str(exc)]},
            }
        },
    )


@app.exception_handler(RequestValidationError)
async def invalid_input(request: Request, exc: RequestValidationError) -> JSONResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"] if part != "body") or "body"
        fields.setdefault(name, []).append(error["msg"].removeprefix("Value error, "))
    first = next(iter(fields.items()), ("body", ["Invalid input."]))
    return JSONResponse(
        status_code=422,
        content={
            "error": {
                "code": "validation_error",
                "message": f"{first[0]}: {first[1][0]}",
                "fields": fields,
            }
        },
    )


@app.exception_handler(StarletteHTTPException)  # FastAPI's own and the router's 404/405
async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    code = {
        400: "malformed_request",
        401: "not_authenticated",
        404: "not_found",
        405: "method_not_allowed",
    }.get(exc.status_code, "error")
    return JSONResponse(
        status_code=exc.status_code,
        content={"error": {"code": code, "message": str(exc.detail), "fields": {}}},
    )


class RiskResult(BaseModel):
    version: str = SERVICE_VERSION
    score: str
    source: str
    value: float
    category: str
    detail: dict


def _result(result: risk.Result) -> RiskResult:
    return RiskResult(**result.__dict__)


def model_version() -> str:
    """The versions of the triage model, the flag detector and the advice model: an answer
    depends on all three."""
    return f"{model().version}+flags-{detector().version}+advice-{advice_model().version}"


@app.get("/health")
def health() -> dict:
    trained = model()
    flags = detector()
    return {
        "status": "ok",
        "version": SERVICE_VERSION,
        "model_version": model_version(),
        "metrics": trained.metrics,
        "flag_detector": {"metrics": flags.metrics, "thresholds": flags.thresholds},
        "risk_scores": ["bmi", "blood-pressure", "findrisc", "ascvd"],
    }


MAX_TEXT_CHARACTERS = 2000
MAX_SYMPTOM_CODES = 50


class AnalyzeInput(BaseModel):
    symptoms: list[Annotated[str, Field(max_length=64)]] = Field(
        default_factory=list, max_length=MAX_SYMPTOM_CODES, description="Symptom codes"
    )
    text: str = Field(default="", max_length=MAX_TEXT_CHARACTERS, description="Plain English")
    sex: Literal["female", "male"] | None = None
    age: int | None = Field(default=None, ge=0, le=120)

    @model_validator(mode="after")
    def something_to_analyze(self) -> "AnalyzeInput":
        if not self.symptoms and not self.text.strip():
            raise ValueError("Give at least one symptom code or describe the symptoms in text.")
        return self


class NamedSymptom(BaseModel):
    code: str
    name: str


class RankedCondition(BaseModel):
    code: str
    name: str
    probability: float
    specialty: str
    urgency: str


class FoundFlag(BaseModel):
    code: str
    message: str


class AnalyzeResult(BaseModel):
    urgency: Literal[URGENCIES]  # type: ignore[valid-type]
    advice: str
    specialty: str
    booking_offered: bool
    red_flags: list[FoundFlag]
    conditions: list[RankedCondition]
    symptoms_present: list[NamedSymptom]
    symptoms_negated: list[NamedSymptom]
    unknown_words: list[str]
    model_version: str
    disclaimer: str


@app.get("/v1/symptoms", dependencies=[v1])
def symptom_list() -> list[NamedSymptom]:
    return [NamedSymptom(code=s.code, name=s.name) for s in symptoms().values()]


class ListedCondition(BaseModel):
    code: str
    name: str
    specialty: str
    urgency: str


@app.get("/v1/conditions", dependencies=[v1])
def condition_list() -> list[ListedCondition]:
    """The table the model knows, with the specialty each condition sends a patient to."""
    return [
        ListedCondition(code=c.code, name=c.name, specialty=c.specialty, urgency=c.urgency)
        for c in model().conditions
    ]


@app.post("/v1/symptoms/analyze", dependencies=[v1])
def symptoms_analyze(body: AnalyzeInput) -> AnalyzeResult:
    unknown = triage.unknown_codes(body.symptoms)
    if unknown:
        message = f"Unknown symptom codes: {', '.join(unknown[:10])}."
        raise UnknownCodes(message)
    trained = model()
    analysis = triage.analyze(
        trained,
        detector(),
        advice_model(),
        codes=body.symptoms,
        text=body.text,
        sex=body.sex,
        age=body.age,
    )
    named = symptoms()
    by_code = trained.by_code
    return AnalyzeResult(
        urgency=analysis.urgency,
        advice=analysis.advice,
        specialty=analysis.specialty,
        booking_offered=analysis.booking_offered,
        red_flags=[FoundFlag(code=f.code, message=f.message) for f in analysis.red_flags],
        conditions=[
            RankedCondition(
                code=code,
                name=by_code[code].name,
                probability=probability,
                specialty=by_code[code].specialty,
                urgency=by_code[code].urgency,
            )
            for code, probability in analysis.conditions
        ],
        symptoms_present=[NamedSymptom(code=c, name=named[c].name) for c in analysis.present],
        symptoms_negated=[NamedSymptom(code=c, name=named[c].name) for c in analysis.negated],
        unknown_words=analysis.unknown_words,
        model_version=model_version(),
        disclaimer=triage.DISCLAIMER,
    )


class BmiInput(BaseModel):
    weight_kg: float = Field(gt=0)
    height_cm: float = Field(gt=0)


class BloodPressureInput(BaseModel):
    systolic: float = Field(gt=0)
    diastolic: float = Field(gt=0)


class FindriscInput(BaseModel):
    age: int = Field(ge=0, le=150)
    sex: Literal["female", "male"]
    bmi: float = Field(gt=0)
    waist_cm: float = Field(gt=0)
    physically_active: bool
    eats_vegetables_daily: bool
    takes_blood_pressure_medication: bool
    history_of_high_glucose: bool
    family_history: Literal["none", "second_degree", "first_degree"]


class AscvdInput(BaseModel):
    age: int = Field(ge=0, le=150)
    sex: Literal["female", "male"]
    race: Literal["white", "african_american", "other"]
    total_cholesterol: float = Field(gt=0, description="mg/dL")
    hdl: float = Field(gt=0, description="mg/dL")
    systolic: float = Field(gt=0, description="mmHg")
    on_blood_pressure_treatment: bool
    smoker: bool
    diabetic: bool


@app.post("/v1/risk/bmi", dependencies=[v1])
def risk_bmi(body: BmiInput) -> RiskResult:
    return _result(risk.bmi(**body.model_dump()))


@app.post("/v1/risk/blood-pressure", dependencies=[v1])
def risk_blood_pressure(body: BloodPressureInput) -> RiskResult:
    return _result(risk.blood_pressure(**body.model_dump()))


@app.post("/v1/risk/findrisc", dependencies=[v1])
def risk_findrisc(body: FindriscInput) -> RiskResult:
    values = body.model_dump()
    values["bmi_value"] = values.pop("bmi")
    return _result(risk.findrisc(**values))


@app.post("/v1/risk/ascvd", dependencies=[v1])
def risk_ascvd(body: AscvdInput) -> RiskResult:
    return _result(risk.ascvd_pooled_cohort(**body.model_dump()))
