"""Forgotten proofs, emailed access links, one audit row per POST.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 17:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "forgotten_proofs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("created_date", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("forgotten_proofs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_forgotten_proofs_session_id"), ["session_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_forgotten_proofs_created_date"), ["created_date"], unique=False
        )
    op.create_table(
        "access_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("created_date", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("access_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_links_order_id"), ["order_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_access_links_created_date"), ["created_date"], unique=False
        )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("item_count", sa.Integer(), server_default="1", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_column("item_count")
    with op.batch_alter_table("access_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_links_created_date"))
        batch_op.drop_index(batch_op.f("ix_access_links_order_id"))
    op.drop_table("access_links")
    with op.batch_alter_table("forgotten_proofs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forgotten_proofs_created_date"))
        batch_op.drop_index(batch_op.f("ix_forgotten_proofs_session_id"))
    op.drop_table("forgotten_proofs")
