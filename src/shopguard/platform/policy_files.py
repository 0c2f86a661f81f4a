"""Loading one YAML file of a policy pack into a pydantic model, with errors that name the file
and the field (exit 2 at load time)."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from shopguard.platform.errors import PolicyError

M = TypeVar("M", bound=BaseModel)


def load_model(path: Path, model: type[M]) -> M:
    """`path` parsed as YAML and validated as `model`."""
    try:
        raw = yaml.safe_load(path.read_text("utf-8"))
    except OSError:
        raise PolicyError(f"{path}: not found") from None
    except yaml.YAMLError as exc:
        raise PolicyError(f"{path}: not valid YAML ({exc})") from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        detail = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
            for e in exc.errors(include_url=False, include_input=False)
        )
        raise PolicyError(f"{path}: {detail}") from None
