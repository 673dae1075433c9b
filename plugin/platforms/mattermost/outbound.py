"""Kring's platform interface on Mattermost: group = channel, thread = root post, DM = direct channel."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from plugin.errors import PlatformError
from plugin.platforms.base import Button, Form, GroupMember, OutboundPost, PostedMessage
from plugin.platforms.mattermost.client import MattermostClient
from plugin.signing import Signer

MAX_FIELD_CHARS = 3000


#: How many of a channel's latest posts are searched for one Kring may have made already.
RECENT_POSTS = 100
#: Dialog titles and labels are limited in bytes, not characters (24 and 48 on older servers).
TITLE_BYTES = 24
LABEL_BYTES = 48


def cut_to_bytes(value: str, limit: int) -> str:
    """``value`` cut to at most ``limit`` bytes of UTF-8, never inside a character."""
    return value.encode()[:limit].decode(errors="ignore")


def pending_post_id(idempotency_key: str) -> str:
    """The id by which the server recognises a repeat of the same post (Kring's key, hashed)."""
    return "kring:" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]


def _a_person(user: dict[str, Any]) -> bool:
    """Neither a bot (Kring's own included) nor a deactivated user: someone who can be a member."""
    return not (user.get("is_bot") or user.get("delete_at"))


class MattermostOutbound:
    def __init__(self, client: MattermostClient, signer: Signer, action_url: str | None) -> None:
        self.client = client
        self.signer = signer
        #: Where Mattermost sends button clicks; without KRING_PUBLIC_URL posts carry no buttons.
        self.action_url = action_url
        self._bot_user_id: str | None = None

    def attachments(self, buttons: tuple[Button, ...]) -> list[dict[str, Any]]:
        """Kring's buttons as a message attachment, each with its signed context."""
        actions = [{"id": f"kring{index}", "name": button.label[:60], "type": "button",
                    "integration": {"url": self.action_url, "context": self.signer.sign(
                        button.signed_data(), datetime.fromisoformat(button.expires_at))}}
                   for index, button in enumerate(buttons)]
        return [{"text": "", "actions": actions}]

    def _channel(self, post: OutboundPost) -> str:
        """Where the post goes: its group, or the bot's direct channel with the member it is for."""
        to_user = post.to_user_id or (str(self.client.user_by_username(post.to_username)["id"])
                                      if post.to_username else None)
        return str(self.client.direct_channel([self.bot_user_id(), to_user])["id"]) if to_user else post.group_id

    def find_sent(self, post: OutboundPost, idempotency_key: str) -> PostedMessage | None:
        """The channel's latest posts searched for Kring's key (the server's own deduplication of a
        repeat lasts only about 30 s; a worker's lease is longer)."""
        for found in self.client.latest_posts(self._channel(post), RECENT_POSTS):
            if (found.get("props") or {}).get("kring_key") == idempotency_key and not found.get("delete_at"):
                return PostedMessage(post_id=str(found["id"]), thread_id=found.get("root_id") or None)
        return None

    def post(self, post: OutboundPost, idempotency_key: str) -> PostedMessage:
        channel = self._channel(post)
        message = f"#### {post.title}\n{post.text}" if post.opens_thread and post.title else post.text
        # The key in the post's props marks it as Kring's own and lets an operator trace it.
        props: dict[str, Any] = {"from_kring": True, "kring_key": idempotency_key}
        if post.buttons and self.action_url:
            props["attachments"] = self.attachments(post.buttons)
        file_ids = [self.client.upload_file(channel, item.name, item.content, item.content_type)
                    for item in post.attachments]
        created = self.client.create_post(channel, message, root_id=post.thread_id, props=props,
                                          file_ids=file_ids, pending_post_id=pending_post_id(idempotency_key))
        return PostedMessage(post_id=str(created["id"]), thread_id=created.get("root_id") or None)

    def close_buttons(self, post_id: str, note: str) -> None:
        post = self.client.post_by_id(post_id)
        props = dict(post.get("props") or {})
        if props.get("kring_closed"):
            return
        props.pop("attachments", None)
        try:
            self.client.patch_post(post_id, f"{post.get('message', '')}\n\n{note}", {**props, "kring_closed": True})
        except PlatformError as exc:
            if exc.status not in (400, 403):
                raise
            # Editing is refused after PostEditTimeLimit (licensed servers): say it in the thread instead;
            # the buttons stay, and a late click is refused by the closed poll.
            self.client.create_post(str(post["channel_id"]), note, root_id=post.get("root_id") or post_id,
                                    props={"from_kring": True, "kring_key": f"close:{post_id}"},
                                    pending_post_id=pending_post_id(f"close:{post_id}"))

    def group_members(self, group_id: str) -> list[GroupMember]:
        memberships = self.client.channel_members(group_id)
        users = {u["id"]: u for u in self.client.users_by_ids([m["user_id"] for m in memberships])}
        found = []
        for membership in memberships:
            user = users.get(membership["user_id"])
            if user is None or not _a_person(user):
                continue
            found.append(self._group_member(user, "channel_admin" in str(membership.get("roles", "")).split()))
        return found

    def open_form(self, trigger_id: str, url: str, form: Form, expires_at: datetime) -> None:
        """Show ``form`` as an interactive dialog; its signed context comes back in ``state``."""
        elements = [{"display_name": cut_to_bytes(field.label, LABEL_BYTES), "name": field.name, "type": "textarea",
                     "help_text": field.help[:150], "optional": field.optional, "max_length": MAX_FIELD_CHARS}
                    for field in form.fields]
        dialog = {"callback_id": "kring", "title": cut_to_bytes(form.title, TITLE_BYTES), "elements": elements,
                  "submit_label": form.submit_label, "notify_on_cancel": False,
                  "state": json.dumps(self.signer.sign(form.context, expires_at))}
        self.client.open_dialog(trigger_id, url, dialog)

    def join(self, group_id: str) -> None:
        self.client.add_channel_member(group_id, self.bot_user_id())

    def group_named(self, path: str) -> tuple[str, str | None]:
        """The ids of a channel and its team, by `team/channel` (the names in the channel's URL)."""
        team_name, channel_name = path.split("/", 1)
        channel = self.client.channel_by_name(team_name, channel_name)
        return str(channel["id"]), str(channel["team_id"])

    def user_named(self, username: str) -> GroupMember:
        return self._group_member(self.client.user_by_username(username), is_admin=False)

    def member(self, user_id: str) -> GroupMember | None:
        """The user, or None for a bot (Kring's own included) or a deactivated user: never members."""
        [user] = self.client.users_by_ids([user_id])
        if not _a_person(user):
            return None
        return self._group_member(user, is_admin=False)

    @staticmethod
    def _group_member(user: dict[str, Any], is_admin: bool) -> GroupMember:
        full_name = " ".join(p for p in (user.get("first_name"), user.get("last_name")) if p)
        return GroupMember(user["id"], user.get("username", ""),
                           user.get("nickname") or full_name or user.get("username", user["id"]), is_admin)

    def bot_user_id(self) -> str:
        if self._bot_user_id is None:
            self._bot_user_id = str(self.client.me()["id"])
        return self._bot_user_id
