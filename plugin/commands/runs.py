"""`/cop runs`, `/cop cancel <run>` and `/cop run <workflow> [name=value …]`."""

from __future__ import annotations

from plugin.commands.access import audit_action, is_admin, refusal
from plugin.commands.base import CommandBase, CommandContext, Reply
from plugin.commands.confirm import asked
from plugin.engine.triggers.manual import ManualTrigger
from plugin.texts import text
from plugin.workflows import enablement, runs
from plugin.workflows.catalog import pinned_interpreter

SHOWN_RUNS = 10


class RunsCommand(CommandBase):
    name = "runs"
    hint = ""

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self, member=True):
            return refused
        assert ctx.community is not None
        admin = is_admin(ctx)
        rows = runs.recent_runs(ctx.session, ctx.community.id, SHOWN_RUNS)
        lines = [text("runs.line", ctx.language, id=run.id, workflow=workflow_id,
                      status=text(f"run.status.{run.status.value}", ctx.language),
                      started=run.started_at.strftime("%Y-%m-%d %H:%M"), trigger=run.trigger,
                      error=f": {run.error[:120]}" if run.error and admin else "") for run, workflow_id in rows]
        return Reply("\n".join(lines) or text("runs.none", ctx.language))


class CancelCommand(CommandBase):
    name = "cancel"
    hint = "<run>"

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self, admin=True, args=1, numbered=True):
            return refused
        return asked(ctx, "cancel", ctx.args[0])


class RunCommand(CommandBase):
    name = "run"
    hint = "<workflow>"

    def answer(self, ctx: CommandContext) -> Reply:
        if refused := refusal(ctx, self, admin=True, args=1, workflow_admins=True):
            return refused
        assert ctx.community is not None
        found = enablement.find(ctx.session, ctx.community.id, ctx.args[0])
        if found is None or not found.enabled or found.source_id is None:
            return Reply(text("run.not_enabled", ctx.language, id=ctx.args[0]))
        workflow = pinned_interpreter(ctx.session, found.source_id).workflow
        if not any(t.options.get("enabled") for t in workflow.triggers_of("manual")):
            return Reply(text("run.not_manual", ctx.language, id=workflow.id))
        run = runs.start_run(ctx.session, found, trigger=f"/cop run by {ctx.invocation.user_name}",
                             inputs={"workflow": workflow.id, **ManualTrigger().run_inputs({}, {})}, now=ctx.now)
        audit_action(ctx, "run", workflow=workflow.id, run=run.id)
        return Reply(text("run.started", ctx.language, title=workflow.title.get(ctx.language), id=run.id))
