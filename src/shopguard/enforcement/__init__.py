"""Enforcement: violations, the points and sanctions ledger, and standing derived from it.

The ledger is append-only; a subject's standing (points in the window, sanctions in force) is
always computed from its entries (`ledger.standing`), never stored.
"""
