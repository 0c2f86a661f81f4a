"""The throughput floor: the least a JSONL screener can do with one Aho-Corasick pass.

    python bench/floor.py TERMS ITEMS > OUT

Loads the terms into ahocorasick_rs, then for each input line parses the JSON, scans title and
text once and writes one JSON line (id and matches). No normalisation, rules or validation:
whatever shopguard spends above this is the price of its features.
"""

import sys

import ahocorasick_rs
import orjson


def main() -> None:
    terms_path, items_path = sys.argv[1], sys.argv[2]
    with open(terms_path, encoding="utf-8") as fh:
        terms = [line.strip() for line in fh if line.strip()]
    automaton = ahocorasick_rs.AhoCorasick(terms)
    find = automaton.find_matches_as_indexes
    loads, dumps = orjson.loads, orjson.dumps
    out = sys.stdout.buffer
    with open(items_path, "rb") as fh:
        for raw in fh:
            item = loads(raw)
            title = item.get("title")
            haystack = f"{title}\n{item['text']}" if title else item["text"]
            out.write(dumps({"id": item["id"], "matches": find(haystack, overlapping=True)}))
            out.write(b"\n")
    out.flush()


if __name__ == "__main__":
    main()
