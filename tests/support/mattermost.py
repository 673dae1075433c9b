"""What a member sees of Kring's answers to Mattermost, as the server and its web app show them
(`real-servers.md`: `DoPostActionWithCookie`, `SubmitInteractiveDialog`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Shown for a click whose answer is not a 200; the body is ignored.
ACTION_INTEGRATION_ERROR = "Action integration error."


def seen_after_click(status: int, body: dict[str, Any] | None) -> str:
    """The ephemeral text a click leaves, or the server's generic error for any status but 200."""
    if status != 200:
        return ACTION_INTEGRATION_ERROR
    return str((body or {}).get("ephemeral_text") or "")


@dataclass(frozen=True)
class DialogAfterSubmit:
    """The dialog once Kring answered a submission: only `error` and `errors` reach it (`text` is
    dropped); with either it stays open and shows them, an empty 200 closes it silently."""

    open: bool
    error: str | None = None
    field_errors: dict[str, str] = field(default_factory=dict)


def dialog_after_submit(status: int, body: dict[str, Any] | None) -> DialogAfterSubmit:
    if status != 200:
        return DialogAfterSubmit(open=True, error="The submission failed.")
    body = body or {}
    if body.get("error") or body.get("errors"):
        return DialogAfterSubmit(open=True, error=body.get("error"), field_errors=dict(body.get("errors") or {}))
    return DialogAfterSubmit(open=False)


def switch_on_what_kring_needs(platform: Any) -> None:
    """What the README's install section asks a Mattermost admin to switch on (the stand-in starts at the
    server's defaults: no Site URL, no bot account creation)."""
    platform.mm_config["ServiceSettings"].update(SiteURL="https://chat.example.org", EnableBotAccountCreation=True)
