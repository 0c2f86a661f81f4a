"""Review queue, review decisions, item status events; violation state; sanction appeals.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _append_only(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION shopguard_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


def upgrade() -> None:
    with op.batch_alter_table("violations") as batch:
        batch.add_column(
            sa.Column("state", sa.String(16), nullable=False, server_default="in_force")
        )
        batch.add_column(sa.Column("charged_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_violations_at", "violations", ["at"])
    with op.batch_alter_table("appeals") as batch:
        batch.add_column(sa.Column("sanction_entry", sa.Integer, nullable=True))
    op.create_index("ix_appeals_filed_at", "appeals", ["filed_at"])
    op.create_index("ix_ledger_at", "ledger", ["at"])
    op.create_index("ix_ledger_ref", "ledger", ["ref"])
    op.create_table(
        "review_items",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("why", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(128), nullable=True),
        sa.Column("decision_id", sa.Integer, nullable=True),
        sa.Column("violation_id", sa.Integer, nullable=True),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("lease_owner", sa.String(64), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_review_items"),
    )
    op.create_index("ix_review_items_state", "review_items", ["state", "id"])
    op.create_index("ix_review_items_created_at", "review_items", ["created_at"])
    op.create_table(
        "review_decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "item",
            sa.Integer,
            sa.ForeignKey("review_items.id", name="fk_review_decisions_item_review_items"),
            nullable=False,
        ),
        sa.Column("reviewer", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(2000), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_review_decisions"),
    )
    op.create_index("ix_review_decisions_item", "review_decisions", ["item"])
    op.create_table(
        "item_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("decision_id", sa.Integer, nullable=False),
        sa.Column("subject", sa.String(128), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("cause", sa.String(64), nullable=False),
        sa.Column("ref", sa.Integer, nullable=True),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_item_events"),
    )
    op.create_index("ix_item_events_decision", "item_events", ["decision_id"])
    op.create_index("ix_item_events_ref", "item_events", ["cause", "ref"])
    _append_only("review_decisions")
    _append_only("item_events")


def downgrade() -> None:
    op.drop_table("item_events")
    op.drop_table("review_decisions")
    op.drop_table("review_items")
    op.drop_index("ix_ledger_ref", "ledger")
    op.drop_index("ix_ledger_at", "ledger")
    op.drop_index("ix_appeals_filed_at", "appeals")
    with op.batch_alter_table("appeals") as batch:
        batch.drop_column("sanction_entry")
    op.drop_index("ix_violations_at", "violations")
    with op.batch_alter_table("violations") as batch:
        batch.drop_column("charged_at")
        batch.drop_column("state")
