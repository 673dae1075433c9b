"""Members' posts: a reply in a thread Kring opened emits `thread_reply`, and answers an open question.

A reply answers the open question set of its thread for that member: with one question the whole
reply is the answer; with several, lines that start with a question's number ("2. …") answer it.
"""

from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from plugin.platforms.events import PostCreated
from plugin.storage.communities import find_community, find_member
from plugin.storage.models import QuestionSet, Thread
from plugin.workflows import events, responses

_NUMBERED = re.compile(r"^\s*(\d{1,2})[.):]\s*(.*)$")


def numbered_answers(text: str, count: int) -> dict[int, str]:
    """Question number → answer text found in ``text`` for a set of ``count`` questions."""
    if count == 1:
        return {1: text.strip()} if text.strip() else {}
    found: dict[int, list[str]] = {}
    current: int | None = None
    for line in text.splitlines():
        match = _NUMBERED.match(line)
        if match and 1 <= int(match.group(1)) <= count:
            current = int(match.group(1))
            found[current] = [match.group(2)]
        elif current is not None:
            found[current].append(line)
    return {number: "\n".join(lines).strip() for number, lines in found.items() if "\n".join(lines).strip()}


def handle_post(session: Session, post: PostCreated, now: datetime) -> None:
    community = find_community(session, post.platform, post.group_id)
    if community is None or post.from_kring or post.thread_id is None:
        return
    member = find_member(session, community.id, post.user_id)
    thread = session.scalar(sa.select(Thread).where(Thread.community_id == community.id,
                                                    Thread.platform_thread_id == post.thread_id))
    if member is None or thread is None:
        return
    events.emit(session, community, "thread_reply", thread.key, f"post{post.post_id}",
                {"member": member.id, "thread": thread.key}, now)
    open_sets = session.scalars(sa.select(QuestionSet).where(
        QuestionSet.community_id == community.id, QuestionSet.thread_key == thread.key,
        QuestionSet.closes_at > now).order_by(QuestionSet.id.desc()))
    question_set = next((q for q in open_sets if member.id in q.recipients), None)
    if question_set is None:
        return
    for number, answer in numbered_answers(post.text, len(question_set.questions)).items():
        responses.record_answer(session, community, member, question_set, number, answer, now)
