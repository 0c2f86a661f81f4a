"""CEL conditions for rules, through the `common-expression-language` Rust binding.

The binding's package `__init__` also imports its interactive shell (prompt_toolkit, typer),
which costs ~0.3 s at every start. Only the compiled extension is needed, so it is loaded
directly, falling back to the package import if the layout ever changes.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from shopguard.platform.errors import PolicyError


@cache
def _binding() -> ModuleType:
    if "cel" in sys.modules:
        return sys.modules["cel"]
    spec = importlib.util.find_spec("cel")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = Path(folder) / f"cel{suffix}"
            if path.is_file():
                ext_spec = importlib.util.spec_from_file_location("cel.cel", path)
                if ext_spec is not None and ext_spec.loader is not None:
                    module = importlib.util.module_from_spec(ext_spec)
                    ext_spec.loader.exec_module(module)
                    return module
    # start-up time: the package import (its shell, ~0.3 s) only if the layout ever changes
    import cel  # pragma: no cover - layout changed upstream

    return cel  # pragma: no cover


def compile_condition(expression: str, *, where: str) -> Any:
    """Compile a CEL expression, or raise PolicyError naming `where`."""
    try:
        return _binding().compile(expression)
    except Exception as exc:  # the binding raises ValueError/RuntimeError for syntax errors
        raise PolicyError(f"{where}: condition {expression!r} is not valid CEL ({exc})") from None


def holds(program: Any, variables: dict[str, Any]) -> bool:
    """True only when the condition evaluates to true; an evaluation error counts as false."""
    try:
        return program.execute(variables) is True
    except Exception:  # missing fields without has(), type errors: documented as false
        return False
