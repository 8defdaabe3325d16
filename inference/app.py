"""The inference service: a separate process that the portal reaches over HTTP only.

    uvicorn inference.app:app --host 127.0.0.1 --port 8001

Every /v1 endpoint needs the X-API-Key header (INFERENCE_API_KEY in the environment)."""

import os
import secrets
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from inference import risk

SERVICE_VERSION = "0.1.0"


def require_api_key(x_api_key: Annotated[str | None, Header()] = None) -> None:
    expected = os.environ.get("INFERENCE_API_KEY", "")
    if not expected or not x_api_key or not secrets.compare_digest(x_api_key, expected):
        raise HTTPException(status_code=401, detail="A valid X-API-Key header is required.")


app = FastAPI(title="Clinic inference service", version=SERVICE_VERSION)
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


@app.exception_handler(RequestValidationError)
async def invalid_input(request: Request, exc: RequestValidationError) -> JSONResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"] if part != "body") or "body"
        fields.setdefault(name, []).append(error["msg"])
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


@app.exception_handler(HTTPException)
async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
    code = {401: "not_authenticated", 404: "not_found", 405: "method_not_allowed"}.get(
        exc.status_code, "error"
    )
    return JSONResponse(
        status_code=exc.status_code,
        content={"error": {"code": code, "message": str(exc.detail), "fields": {}}},
    )


class RiskResult(BaseModel):
    score: str
    source: str
    value: float
    category: str
    detail: dict


def _result(result: risk.Result) -> RiskResult:
    return RiskResult(**result.__dict__)


@app.get("/health")
def health() -> dict:
    return {
        "status": "ok",
        "version": SERVICE_VERSION,
        "risk_scores": ["bmi", "blood-pressure", "findrisc", "ascvd"],
    }


class BmiInput(BaseModel):
    weight_kg: float = Field(gt=0)
    height_cm: float = Field(gt=0)


class BloodPressureInput(BaseModel):
    systolic: float = Field(gt=0)
    diastolic: float = Field(gt=0)


class FindriscInput(BaseModel):
    age: int
    sex: Literal["female", "male"]
    bmi: float = Field(gt=0)
    waist_cm: float = Field(gt=0)
    physically_active: bool
    eats_vegetables_daily: bool
    takes_blood_pressure_medication: bool
    history_of_high_glucose: bool
    family_history: Literal["none", "second_degree", "first_degree"]


class AscvdInput(BaseModel):
    age: int
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
