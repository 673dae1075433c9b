"""`/cop workflows`: every workflow Kring knows, and its state in this community."""

from __future__ import annotations

import sqlalchemy as sa

from plugin.commands.base import CommandBase, CommandContext, Reply
from plugin.storage.models import WorkflowEnablement
from plugin.texts import text
from plugin.workflows.catalog import current_catalog


class WorkflowsCommand(CommandBase):
    name = "workflows"
    hint = ""

    def answer(self, ctx: CommandContext) -> Reply:
        catalog = current_catalog(ctx.config)
        enabled = {}
        if ctx.community is not None:
            enabled = {e.workflow_id: e for e in ctx.session.scalars(sa.select(WorkflowEnablement).where(
                WorkflowEnablement.community_id == ctx.community.id, WorkflowEnablement.enabled.is_(True)))}
        lines = []
        for workflow in sorted(catalog.workflows.values(), key=lambda w: w.id):
            enablement = enabled.get(workflow.id)
            state = (text("workflows.enabled", ctx.language, version=enablement.workflow_version) if enablement
                     else text("workflows.available", ctx.language))
            lines.append(f"- `{workflow.id}` **{workflow.title.get(ctx.language)}** — {state}: "
                         f"{workflow.description.get(ctx.language)}")
        if not lines:
            lines.append(text("workflows.none", ctx.language))
        invalid = len({problem.file for problem in catalog.problems})
        if invalid:
            lines.append(text("workflows.invalid", ctx.language, count=invalid))
        return Reply("\n".join(lines))
