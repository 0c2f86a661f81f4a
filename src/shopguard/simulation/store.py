"""The simulator's own tables: its runs, its subjects' hidden profiles and the ground truth of
every item it published (what each item really violates), so detection can be scored."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Float, Integer, String, Table

from shopguard.platform.meta import JSONDoc, metadata

sim_runs = Table(
    "sim_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("year", Integer, nullable=False),
    Column("scale", String(16), nullable=False),
    Column("seed", Integer, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("seconds", Float, nullable=False),
    Column("summary", JSONDoc, nullable=False),
)

sim_subjects = Table(
    "sim_subjects",
    metadata,
    Column("subject", String(128), primary_key=True),
    Column("profile", String(16), nullable=False),  # honest, careless, repeat, ring
    Column("ring", Integer, nullable=True),  # rings share contact details
    Column("categories", String(200), nullable=False),
    # A keyed digest of the contact details (phone, ID, bank account, return address) the
    # subject registered with: rings share it. Never the details themselves.
    Column("contact_digest", String(64), nullable=False),
)

sim_truth = Table(
    "sim_truth",
    metadata,
    Column("decision_id", Integer, primary_key=True),
    Column("subject", String(128), nullable=False),
    Column("codes", String(200), nullable=False),  # what the item really violates
    Column("evasive", Boolean, nullable=False),
)
