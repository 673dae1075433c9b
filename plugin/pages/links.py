"""One-time sign-in links for the organiser pages, handed out by `/cop dashboard` as a private reply.

A link carries Kring's signed context (:class:`plugin.signing.Signer`: the community, the user, an
expiry and a nonce) as URL-safe base64. Opening it shows a sign-in button; only the button's POST
uses the link up (the nonce is recorded with the user, as a button click's is), so a chat's link
preview, which fetches the address, cannot spend it.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from plugin.signing import ContextRefused, Signer
from plugin.storage.action_uses import first_use

#: How long a link can be used to sign in.
LINK_VALIDITY = timedelta(minutes=10)
#: What a link signs in to: an organiser's pages (`/cop dashboard`), or a member's own page (`/cop notes`).
ORGANISER, MEMBER = "pages", "member"


class LinkRefused(Exception):
    """The link cannot sign anyone in; ``reason`` is a key of ``pages.link.<reason>``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SignIn:
    community_id: int
    user_id: str
    nonce: str
    purpose: str


def make_link(signer: Signer, community_id: int, user_id: str, now: datetime, purpose: str = ORGANISER) -> str:
    """The token part of a sign-in link for ``user_id`` to ``community_id``'s pages (or their own page)."""
    context = signer.sign({"purpose": purpose, "community": community_id, "user": user_id}, now + LINK_VALIDITY)
    return base64.urlsafe_b64encode(json.dumps(context, separators=(",", ":")).encode()).decode().rstrip("=")


def read_link(signer: Signer, token: str, now: datetime) -> SignIn:
    """Who the link signs in, where; :class:`LinkRefused` for a link that is not Kring's or has expired."""
    try:
        context = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        verified = signer.verify(context, now)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise LinkRefused("forged") from None
    except ContextRefused as refused:
        raise LinkRefused("expired" if "expired" in str(refused) else "forged") from None
    data = verified.data
    if data.get("purpose") not in (ORGANISER, MEMBER) or not isinstance(data.get("community"), int) or not isinstance(
            data.get("user"), str):
        raise LinkRefused("forged")
    return SignIn(data["community"], data["user"], verified.nonce, data["purpose"])


def use_up(session: Session, sign_in: SignIn, now: datetime) -> None:
    """Record that the link was used; :class:`LinkRefused` when it was used before."""
    if not first_use(session, sign_in.nonce, sign_in.user_id, now):
        raise LinkRefused("used")
