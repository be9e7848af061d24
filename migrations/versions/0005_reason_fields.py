"""Reasons as the platform answers them: uuid, extra_information_needed, created and modified.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 17:30:00

"""

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cancellation_reasons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uuid", sa.String(length=36), nullable=True))
        batch_op.add_column(
            sa.Column(
                "extra_information_needed", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.add_column(sa.Column("created_date", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("modified_date", sa.DateTime(), nullable=True))
    reasons = sa.table(
        "cancellation_reasons",
        sa.column("id", sa.Integer),
        sa.column("uuid", sa.String),
        sa.column("created_date", sa.DateTime),
        sa.column("modified_date", sa.DateTime),
    )
    connection = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)
    for (reason_id,) in connection.execute(sa.select(reasons.c.id)).all():
        connection.execute(
            reasons.update()
            .where(reasons.c.id == reason_id)
            .values(uuid=str(uuid.uuid4()), created_date=now, modified_date=now)
        )
    with op.batch_alter_table("cancellation_reasons", schema=None) as batch_op:
        batch_op.alter_column("uuid", existing_type=sa.String(length=36), nullable=False)
        batch_op.alter_column("created_date", existing_type=sa.DateTime(), nullable=False)
        batch_op.alter_column("modified_date", existing_type=sa.DateTime(), nullable=False)
        batch_op.create_unique_constraint("uq_cancellation_reasons_uuid", ["uuid"])


def downgrade():
    with op.batch_alter_table("cancellation_reasons", schema=None) as batch_op:
        batch_op.drop_constraint("uq_cancellation_reasons_uuid", type_="unique")
        batch_op.drop_column("modified_date")
        batch_op.drop_column("created_date")
        batch_op.drop_column("extra_information_needed")
        batch_op.drop_column("uuid")
