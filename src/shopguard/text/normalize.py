"""Text normalisation with offsets back to the original.

Two views of a text are built:

* ``folded`` has exactly the original's length: full-width -> half-width (NFKC), case folding,
  traditional -> simplified (OpenCC's t2s character table), a few Latin look-alikes. Offsets into
  it are offsets into the original.
* ``compact`` is ``folded`` with the characters evaders insert between characters removed
  (spaces, punctuation, symbols, emoji, zero-width and combining marks). ``Normalized.span`` maps
  a compact span back to the exact original span.

The folded view is a ``str.translate`` (skipped when a regex finds nothing to fold) and the
compact view one regex substitution, so the cost stays close to a copy.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import cache

# Latin look-alikes evaders use inside handles and brand words.
_CONFUSABLES = {
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i",
    "ν": "v", "ο": "o", "α": "a", "ѵ": "v",
    "壹": "一", "贰": "二", "叁": "三", "🔝": "顶", "🐟": "鱼",
}  # fmt: skip

# CJK strokes used as separators (最丨好) are letters to Unicode but noise to us.
_EXTRA_NOISE = "丨丶ヽ・ー〜～"
# Punctuation kept because it carries meaning in claims (100%).
_KEEP = "%"


def _ranges() -> list[range]:
    return [
        range(0x20, 0x3400),
        range(0xA000, 0xF900),
        range(0xFB00, 0x10000),
        range(0x1F000, 0x20000),
    ]


@cache
def _tables() -> tuple[dict[int, str], re.Pattern[str], re.Pattern[str]]:
    """The 1:1 translation table and the noise regex, built once per process."""
    import opencc  # start-up time: only the first normalisation pays for OpenCC

    table: dict[int, str] = {}
    noise: list[str] = list(_EXTRA_NOISE)
    for block in _ranges():
        for cp in block:
            ch = chr(cp)
            cat = unicodedata.category(ch)
            folded = unicodedata.normalize("NFKC", ch).casefold()
            if len(folded) == 1 and folded.isalnum() and folded != ch:
                table[cp] = folded  # full-width and circled letters and digits (ｖ, Ⓥ, ①)
            elif cat[0] in "PSZC" or cat in ("Mn", "Me"):
                if ch not in _KEEP:
                    noise.append(ch)
            elif len(folded) == 1 and folded != ch:
                table[cp] = folded
    # Characters whose NFKC form is punctuation (full-width ！) are noise already (category P).
    cjk = [
        chr(cp)
        for block in (range(0x3400, 0x4DC0), range(0x4E00, 0xA000), range(0xF900, 0xFB00))
        for cp in block
    ]
    converted = opencc.OpenCC("t2s").convert("\n".join(cjk)).split("\n")
    if len(converted) == len(cjk):
        for src, dst in zip(cjk, converted, strict=True):
            if len(dst) == 1 and dst != src:
                table[ord(src)] = table.get(ord(dst), dst)
    for src, dst in _CONFUSABLES.items():
        table[ord(src)] = dst
    # Squared and negative circled/squared Latin letters (🅣🅞🅟) that NFKC leaves alone.
    for base in (0x1F130, 0x1F150, 0x1F170):
        for i in range(26):
            table[base + i] = chr(ord("a") + i)
    for ch in map(chr, range(ord("A"), ord("Z") + 1)):
        table[ord(ch)] = ch.lower()
    # Unicode whitespace/controls outside the scanned blocks (tabs, newlines) are noise too.
    noise.extend("\t\n\r\x0b\x0c")
    points = sorted(
        {ord(c) for c in noise} | set(range(0x1F000, 0x20000)) | set(range(0xE0000, 0xE0080))
    )
    # Most texts need no folding at all; finding that out is ten times cheaper than translating.
    needs_fold = re.compile(f"[{_char_class(sorted(table))}]")
    return table, re.compile(f"[{_char_class(points)}]+"), needs_fold


def _char_class(points: list[int]) -> str:
    """A regex class body of contiguous ranges (a class of single characters is slow to match)."""
    parts: list[str] = []
    start = prev = points[0]
    for cp in [*points[1:], -1]:
        if cp == prev + 1:
            prev = cp
            continue
        lo, hi = re.escape(chr(start)), re.escape(chr(prev))
        parts.append(lo if start == prev else f"{lo}-{hi}")
        start = prev = cp
    return "".join(parts)


def fold(text: str) -> str:
    """Width, case and script folding; same length as `text`."""
    return text.translate(_tables()[0])


class Normalized:
    """A text's folded and compact views; the compact -> original offset map is built on demand."""

    __slots__ = ("compact", "folded", "original", "_runs")

    def __init__(self, original: str, folded: str, compact: str) -> None:
        self.original = original
        self.folded = folded
        self.compact = compact
        self._runs: tuple[list[int], list[int]] | None = None

    def _run_map(self) -> tuple[list[int], list[int]]:
        # Only texts with a match pay for the map: (start in compact, start in original) per run.
        if self._runs is None:
            run_c: list[int] = [0]
            run_o: list[int] = [0]
            if len(self.compact) != len(self.folded):
                run_c, run_o = [], []
                pos = length = 0
                for m in _tables()[1].finditer(self.folded):
                    if m.start() > pos:
                        run_c.append(length)
                        run_o.append(pos)
                        length += m.start() - pos
                    pos = m.end()
                if pos < len(self.folded):
                    run_c.append(length)
                    run_o.append(pos)
                if not run_c:
                    run_c, run_o = [0], [0]
            self._runs = (run_c, run_o)
        return self._runs

    def position(self, compact_index: int) -> int:
        """Original index of the character at `compact_index`."""
        run_c, run_o = self._run_map()
        i = bisect_right(run_c, compact_index) - 1
        return run_o[i] + (compact_index - run_c[i])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) covering compact [start, end) (end exclusive, end > start)."""
        run_c, run_o = self._runs or self._run_map()
        if len(run_c) == 1:
            return start + run_o[0], end + run_o[0]
        i = bisect_right(run_c, start) - 1
        j = bisect_right(run_c, end - 1) - 1
        return run_o[i] + (start - run_c[i]), run_o[j] + (end - 1 - run_c[j]) + 1


def normalise(text: str) -> Normalized:
    """Fold `text` and strip the noise evaders insert, remembering where everything came from."""
    table, noise, needs_fold = _tables()
    folded = text.translate(table) if needs_fold.search(text) else text
    return Normalized(text, folded, noise.sub("", folded))


def normalise_term(term: str) -> str:
    """A policy term in the compact form texts are matched in."""
    return normalise(term).compact
