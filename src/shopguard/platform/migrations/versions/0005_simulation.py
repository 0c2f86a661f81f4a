"""Simulator bookkeeping: runs, the synthetic subjects' profiles and the ground truth.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

JSONDoc = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "sim_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("scale", sa.String(16), nullable=False),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column("summary", JSONDoc, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sim_runs"),
    )
    op.create_table(
        "sim_subjects",
        sa.Column("subject", sa.String(128), primary_key=True),
        sa.Column("profile", sa.String(16), nullable=False),
        sa.Column("ring", sa.Integer, nullable=True),
        sa.Column("categories", sa.String(200), nullable=False),
        sa.Column("contact_digest", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("subject", name="pk_sim_subjects"),
    )
    op.create_table(
        "sim_truth",
        sa.Column("decision_id", sa.Integer, primary_key=True),
        sa.Column("subject", sa.String(128), nullable=False),
        sa.Column("codes", sa.String(200), nullable=False),
        sa.Column("evasive", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("decision_id", name="pk_sim_truth"),
    )


def downgrade() -> None:
    op.drop_table("sim_truth")
    op.drop_table("sim_subjects")
    op.drop_table("sim_runs")
