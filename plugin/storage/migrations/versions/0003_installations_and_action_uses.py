"""Installations (what `kring install` set up) and used action contexts (replay protection).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "action_use",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("nonce", "user_id", name="uq_action_use"),
    )
    op.create_table(
        "installation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "platform",
            sa.Enum("mattermost", "discourse", name="platform", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("base_url", sa.String(length=500), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("command_id", sa.String(length=64), nullable=True),
        sa.Column("command_token", sa.String(length=200), nullable=True),
        sa.Column("bot_user_id", sa.String(length=64), nullable=True),
        sa.Column("bot_token", sa.String(length=200), nullable=True),
        sa.Column("webhook_id", sa.String(length=64), nullable=True),
        sa.Column("webhook_secret", sa.String(length=200), nullable=True),
        sa.Column("installed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "scope", name="uq_installation_scope"),
    )


def downgrade() -> None:
    op.drop_table("installation")
    op.drop_table("action_use")
