"""Information security: orders (consignee in the vault), waybills, privacy numbers, personal-data
access events, principal locks and buyer-seller messages.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

JSONDoc = sa.JSON().with_variant(JSONB(), "postgresql")


def _at(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("merchant", sa.String(128), nullable=False),
        sa.Column("consumer", sa.String(128), nullable=True),
        sa.Column("product", sa.String(200), nullable=False),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("consignee_record", sa.String(32), nullable=False),
        sa.Column("name_mask", sa.String(64), nullable=False),
        sa.Column("phone_mask", sa.String(32), nullable=False),
        sa.Column("address_mask", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _at("promised_ship_at"),
        _at("created_at"),
        _at("shipped_at", True),
        _at("delivered_at", True),
        sa.PrimaryKeyConstraint("id", name="pk_orders"),
    )
    op.create_index("ix_orders_merchant_id", "orders", ["merchant", "id"])
    op.create_index("ix_orders_consumer", "orders", ["consumer"])
    op.create_index("ix_orders_created_at", "orders", ["created_at"])
    op.create_table(
        "waybills",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("waybill_no", sa.String(32), nullable=False, unique=True),
        sa.Column("order_id", sa.Integer, sa.ForeignKey("orders.id"), nullable=False, unique=True),
        sa.Column("merchant", sa.String(128), nullable=False),
        sa.Column("privacy_number", sa.String(32), nullable=True),
        sa.Column("document", JSONDoc, nullable=False),
        _at("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_waybills"),
    )
    op.create_table(
        "privacy_numbers",
        sa.Column("number", sa.String(32), primary_key=True),
        sa.Column("order_id", sa.Integer, sa.ForeignKey("orders.id"), nullable=False),
        _at("bound_at"),
        _at("expires_at", True),
    )
    op.create_table(
        "pii_access",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _at("at"),
        sa.Column("principal", sa.String(64), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(128), nullable=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("purpose", sa.String(32), nullable=True),
        sa.Column("order_id", sa.Integer, nullable=True),
        sa.Column("records", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_pii_access"),
    )
    op.create_index("ix_pii_access_principal_at", "pii_access", ["principal", "at"])
    op.create_index("ix_pii_access_at", "pii_access", ["at"])
    op.create_table(
        "principal_locks",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("principal", sa.String(64), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(128), nullable=True),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("evidence", JSONDoc, nullable=False),
        sa.Column("violation_id", sa.Integer, nullable=True),
        sa.Column("review_item", sa.Integer, nullable=True),
        _at("locked_at"),
        _at("released_at", True),
        sa.Column("released_by", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_principal_locks"),
    )
    op.create_index("ix_principal_locks_principal", "principal_locks", ["principal"])
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("order_id", sa.Integer, sa.ForeignKey("orders.id"), nullable=False),
        sa.Column("sender_role", sa.String(32), nullable=False),
        sa.Column("sender", sa.String(128), nullable=False),
        sa.Column("text", sa.String(4000), nullable=False),
        sa.Column("redactions", JSONDoc, nullable=False),
        sa.Column("redacted", sa.Boolean, nullable=False),
        sa.Column("violation_id", sa.Integer, nullable=True),
        _at("at"),
        sa.PrimaryKeyConstraint("id", name="pk_messages"),
    )
    op.create_index("ix_messages_order", "messages", ["order_id"])
    op.create_index("ix_messages_at", "messages", ["at"])


def downgrade() -> None:
    for table in ("messages", "principal_locks", "pii_access", "privacy_numbers", "waybills",
                  "orders"):  # fmt: skip
        op.drop_table(table)
