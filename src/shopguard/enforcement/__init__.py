"""Enforcement owns violations, the append-only points and sanctions ledger (standing is always
derived from it), the publish gate, the review queue, appeals and statements of reasons.
It may use: screening (decisions it gates), the text core, the edges, the platform."""
