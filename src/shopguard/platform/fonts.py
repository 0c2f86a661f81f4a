"""Font stacks for printed documents (the yearly report, waybills): the CJK faces the
Makefile installs, in the order each language needs."""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]

_SANS_CJK = (
    "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei'"
)
_SANS_LATIN = "'Helvetica Neue', Arial, 'Liberation Sans', 'Noto Sans'"


def font_stack(lang: Lang) -> str:
    """The CSS font-family list: Chinese faces first for Chinese (so Han glyphs use the
    Simplified forms), Latin faces first for English; a CJK face stays in either list so
    Chinese names in data still render."""
    if lang == "zh":
        return f"{_SANS_CJK}, {_SANS_LATIN}, 'DejaVu Sans', sans-serif"
    return f"{_SANS_LATIN}, {_SANS_CJK}, 'DejaVu Sans', sans-serif"


def serif_stack(lang: Lang) -> str:
    """The heading face: Noto Serif CJK SC for Chinese, a Latin serif for English."""
    cjk = "'Noto Serif CJK SC', 'Noto Serif SC', 'Source Han Serif SC', 'Songti SC', SimSun"
    latin = "Georgia, 'Times New Roman', 'Liberation Serif', 'Noto Serif'"
    if lang == "zh":
        return f"{cjk}, {latin}, 'DejaVu Serif', serif"
    return f"{latin}, {cjk}, 'DejaVu Serif', serif"
