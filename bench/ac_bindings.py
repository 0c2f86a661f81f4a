"""Aho-Corasick bindings compared on the default pack's terms: pyahocorasick vs ahocorasick_rs.

    python bench/ac_bindings.py [--lines 100000]

Both scan the compact view of every title and text of bench/out/items.jsonl for all overlapping
matches of the pack's normalised terms (what the lexicon detector does). Prints the median of
five runs for each and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import ahocorasick
import ahocorasick_rs
import orjson

from shopguard.runtime import load_policy
from shopguard.text.normalize import normalise

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000)
    args = parser.parse_args()
    corpus = ROOT / "bench" / "out" / "items.jsonl"
    if not corpus.exists():
        raise SystemExit("run python bench/corpus.py first")
    policy = load_policy(ROOT / "policies" / "cn-default")
    terms = list(policy.terms)
    texts = []
    with corpus.open("rb") as fh:
        for i, line in enumerate(fh):
            if i >= args.lines:
                break
            row = orjson.loads(line)
            texts.extend(normalise(v).compact for v in (row.get("title"), row["text"]) if v)

    rs = ahocorasick_rs.AhoCorasick(terms, matchkind=ahocorasick_rs.MatchKind.Standard)
    py = ahocorasick.Automaton()
    for i, t in enumerate(terms):
        py.add_word(t, i)
    py.make_automaton()

    def run_rs() -> int:
        return sum(len(rs.find_matches_as_indexes(t, overlapping=True)) for t in texts)

    def run_py() -> int:
        return sum(1 for t in texts for _ in py.iter(t))

    assert run_rs() == run_py(), "bindings disagree on the match count"
    times: dict[str, list[float]] = {"ahocorasick_rs": [], "pyahocorasick": []}
    for _ in range(5):
        for name, fn in (("ahocorasick_rs", run_rs), ("pyahocorasick", run_py)):
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{len(terms)} terms, {len(texts)} fields, {run_rs()} matches")
    for name, m in med.items():
        print(f"  {name:15s} median {m * 1000:8.1f} ms  ({len(texts) / m:,.0f} fields/s)")
    print(f"  pyahocorasick / ahocorasick_rs = {med['pyahocorasick'] / med['ahocorasick_rs']:.2f}x")


if __name__ == "__main__":
    main()
