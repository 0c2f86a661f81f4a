"""Screening owns the store of decisions, batch screening (JSONL, worker processes), the
group-commit writer and screening's figures; the engine itself is the pure text core.
It may use: the text core, the edges, the platform; no other capability."""
