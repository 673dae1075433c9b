"""Kring's platform interface on Discourse: group = category, thread = topic, DM = private message."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace

from plugin.errors import PlatformError
from plugin.platforms.base import GroupMember, NativePoll, NativeTally, OutboundPost, PostedMessage
from plugin.platforms.discourse.client import DiscourseClient

log = logging.getLogger(__name__)
#: Discourse refuses posts shorter than `min_post_length` (default 20 characters; topics
#: `min_first_post_length`, also 20). A shorter post of Kring's gets a pointer that makes it long enough.
MIN_POST_LENGTH = 20
SHORT_POST_SUFFIX = "\n\n<small>Kring · `/cop help`</small>"
#: Discourse needs a title for a new topic or private message; this one is used when none is given.
DEFAULT_TITLE = "Kring"
GROUP_PAGE = 50
#: How many pages of the forum's latest posts (about 50 each) a repeated attempt searches for its post.
RECENT_PAGES = 4


def key_marker(idempotency_key: str) -> str:
    """What marks a post as the one with this outbox key: an HTML comment, kept in the post's raw text
    and not shown (a digest of the key, which may name members)."""
    return f"<!-- kring:{hashlib.sha256(idempotency_key.encode()).hexdigest()[:24]} -->"


def poll_block(poll: NativePoll) -> str:
    """Discourse's poll markdown: results shown once it closes, with who voted what (the forum stores it
    anyway, so Kring never makes an anonymous poll a native one), and only the community's member group
    may vote (without `groups` anyone who can reply could)."""
    kind = f"type=multiple min=1 max={len(poll.options)}" if poll.multiple else "type=regular"
    groups = f" groups={poll.voters_group}" if poll.voters_group else ""
    options = "\n".join(f"* {option}" for option in poll.options)
    return (f"[poll name={poll.name} {kind} results=on_close public=true "
            f"chartType=bar close={poll.closes_at}{groups}]\n{options}\n[/poll]")


def _title(post: OutboundPost) -> str:
    if post.title:
        return post.title[:200]
    lines = post.text.strip().splitlines()
    first = lines[0].lstrip("# ").strip() if lines else ""
    return first[:200] or DEFAULT_TITLE


class DiscourseOutbound:
    def __init__(self, client: DiscourseClient) -> None:
        self.client = client

    def post(self, post: OutboundPost, idempotency_key: str) -> PostedMessage:
        if len(post.text.strip()) < MIN_POST_LENGTH:
            post = replace(post, text=post.text.rstrip() + SHORT_POST_SUFFIX)
        if post.native_poll is not None:
            post = replace(post, text=f"{post.text}\n\n{poll_block(post.native_poll)}")
        if post.attachments:
            images = [self.client.upload(item.name, item.content, item.content_type) for item in post.attachments]
            post = replace(post, text=post.text + "\n\n" + "\n".join(
                f"![{item.name}]({image.get('short_url') or image['url']})"
                for item, image in zip(post.attachments, images, strict=True)))
        post = replace(post, text=f"{post.text}\n\n{key_marker(idempotency_key)}")
        if post.to_username:
            created = self.client.create_post(post.text, title=_title(post), private_to=post.to_username)
        elif post.thread_id:
            created = self.client.create_post(post.text, topic_id=int(post.thread_id))
        else:
            created = self.client.create_post(post.text, title=_title(post), category=int(post.group_id))
        if created.get("action") == "enqueued":  # a category that needs approval, or a watched word
            pending = created.get("pending_post") or {}
            log.warning("a post to %s is held for approval by the forum's staff (pending post %s)",
                        post.thread_id or post.group_id, pending.get("id"))
            return PostedMessage(post_id="", thread_id=post.thread_id, held=f"pending:{pending.get('id', '?')}")
        return PostedMessage(post_id=str(created["id"]), thread_id=str(created.get("topic_id") or "") or None)

    def find_sent(self, post: OutboundPost, idempotency_key: str) -> PostedMessage | None:
        """The bot's post with this key among the forum's latest posts, when an earlier attempt made it
        but its answer was lost (Discourse has no idempotency key of its own). Private messages are
        not among those posts: a repeated one may be made twice."""
        if post.to_username:
            return None
        marker, bot = key_marker(idempotency_key), self.client.api_username.lower()
        for page in self.client.latest_pages(RECENT_PAGES):
            for found in page:
                if str(found.get("username", "")).lower() == bot and marker in str(found.get("raw", "")):
                    return PostedMessage(post_id=str(found["id"]), thread_id=str(found.get("topic_id") or "") or None)
        return None

    def poll_tally(self, post_id: str, poll: NativePoll) -> NativeTally:
        """The votes per option of the poll in post ``post_id``, as the poll plugin serialises them.

        Options are matched by position: their ``html`` is cooked (typographer quotes, `&amp;`, emoji),
        not the text Kring wrote. Votes are left out until the forum's own clock passes the close time
        (``results=on_close``): a poll without them is "not yet", to read again, never zero.
        """
        found = next((p for p in self.client.post_by_id(int(post_id)).get("polls", []) if p.get("name") == poll.name),
                     None)
        if found is None:
            raise PlatformError(f"post {post_id} has no poll {poll.name}")
        options = list(found.get("options") or [])
        if len(options) != len(poll.options):
            raise PlatformError(f"poll {poll.name} has {len(options)} options on the forum, {len(poll.options)} "
                                "in Kring", retryable=False)
        if any("votes" not in option for option in options):
            raise PlatformError(f"the results of poll {poll.name} are not visible yet (the forum's clock has not "
                                "passed its close time)", retryable=True)
        return NativeTally(tuple(int(option["votes"]) for option in options), int(found.get("voters", 0)))

    def user_named(self, username: str) -> GroupMember:
        user = self.client.user(username)["user"]
        return GroupMember(str(user["id"]), user["username"], user.get("name") or user["username"], False)

    def group_members(self, group_id: str) -> list[GroupMember]:
        """The users of the Discourse group ``group_id`` (a group name); its owners administer it."""
        found: dict[int, GroupMember] = {}
        offset = 0
        while True:
            try:
                page = self.client.group_members(group_id, offset, GROUP_PAGE)
            except PlatformError as exc:
                if exc.status != 403:
                    raise
                raise PlatformError(f"the members of the Discourse group {group_id} are hidden from Kring's bot: set "
                                    "the group's 'Who can see members' to include it (or make the bot a moderator)",
                                    403) from exc
            owners = {int(owner["id"]) for owner in page.get("owners", [])}
            for user in [*page.get("owners", []), *page.get("members", [])]:
                found[int(user["id"])] = GroupMember(str(user["id"]), user["username"],
                                                     user.get("name") or user["username"], int(user["id"]) in owners)
            offset += GROUP_PAGE
            if offset >= int(page.get("meta", {}).get("total", 0)) or not page.get("members"):
                return list(found.values())
