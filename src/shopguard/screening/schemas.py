"""Validated input and output shapes of screening (pydantic): shared by the CLI and HTTP."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from shopguard.platform.errors import FieldError, InvalidInput, MalformedInput
from shopguard.text.model import Category, Item, Kind


class ItemIn(BaseModel):
    """One item to screen, as DESIGN.md's CLI and HTTP contracts give it."""

    model_config = ConfigDict(extra="ignore", str_max_length=100_000)

    id: str = Field(min_length=1, max_length=200)
    kind: Kind
    text: str
    title: str | None = None
    category: Category | None = None
    price: float | None = Field(default=None, ge=0)
    brand: str | None = Field(default=None, max_length=200)

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, value: Any) -> Any:
        # JSONL producers often write numeric ids; they are still ids.
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value

    def to_item(self) -> Item:
        return Item(
            id=self.id,
            kind=self.kind,
            text=self.text,
            title=self.title,
            category=self.category,
            price=self.price,
            brand=self.brand,
        )


class ViolationOut(BaseModel):
    code: str
    field: str
    start: int
    end: int
    match: str
    rule: str


class DecisionOut(BaseModel):
    id: str
    action: str
    violations: list[ViolationOut]
    policy_version: str
    decision_id: int | None = None


def field_errors(exc: ValidationError, *, line: int | None = None) -> list[FieldError]:
    """Pydantic's errors as our FieldErrors, with dotted locations and no input values echoed."""
    out = []
    for err in exc.errors(include_input=False, include_url=False):
        loc = ".".join(str(p) for p in err["loc"]) or "(body)"
        out.append(FieldError(loc=loc, msg=err["msg"], line=line))
    return out


def parse_item(data: Any, *, line: int | None = None) -> Item:
    """Validate one decoded JSON object into an Item, or raise InvalidInput naming the fields."""
    if not isinstance(data, dict):
        where = f"line {line}: " if line is not None else ""
        raise InvalidInput(
            f"{where}expected a JSON object",
            [FieldError(loc="(body)", msg="not an object", line=line)],
        )
    try:
        return ItemIn.model_validate(data).to_item()
    except ValidationError as exc:
        errors = field_errors(exc, line=line)
        where = f"line {line}: " if line is not None else ""
        detail = where + "; ".join(f"{e.loc}: {e.msg}" for e in errors)
        raise InvalidInput(detail, errors) from None


def parse_item_json(raw: bytes) -> Item:
    """An HTTP body as an Item: MalformedInput (400) if it is not JSON, InvalidInput (422) if
    a field is wrong. Validation runs in pydantic's core straight from the bytes."""
    try:
        return ItemIn.model_validate_json(raw).to_item()
    except ValidationError as exc:
        errors = field_errors(exc)
        if any(e["type"] == "json_invalid" for e in exc.errors(include_url=False)):
            raise MalformedInput("the body is not valid JSON", errors) from None
        if any(e["type"] == "model_type" for e in exc.errors(include_url=False)):
            raise InvalidInput("expected a JSON object", errors) from None
        raise InvalidInput("; ".join(f"{e.loc}: {e.msg}" for e in errors), errors) from None
