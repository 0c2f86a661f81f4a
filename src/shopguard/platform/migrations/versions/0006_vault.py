"""The personal-data vault: one row per sealed record (ciphertext, wrapped data key, blind index).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vault_records",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("owner", sa.String(128), nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
        sa.Column("ciphertext", sa.LargeBinary, nullable=False),
        sa.Column("blind_index", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rewrapped_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_vault_records"),
    )
    op.create_index("ix_vault_records_owner", "vault_records", ["owner"])
    op.create_index("ix_vault_records_key_id", "vault_records", ["key_id"])
    op.create_index("ix_vault_records_blind_index", "vault_records", ["blind_index"])


def downgrade() -> None:
    op.drop_table("vault_records")
