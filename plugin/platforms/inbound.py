"""What crosses between the HTTP edge, a connector and the core for one inbound request, with no
web framework in it: the request as read, what the connector made of it, what the core did, and
the answer the connector gives the platform."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema, ValidationError

from plugin.errors import BadInput
from plugin.platforms.base import Button, Form
from plugin.platforms.events import InboundEvent
from plugin.storage.installations import Installed


@dataclass(frozen=True)
class InboundRequest:
    """A request to one of a connector's endpoints, as the edge read it."""

    endpoint: str
    headers: Mapping[str, str]
    body: bytes
    mimetype: str
    form: Mapping[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers.items() if key.lower() == wanted), None)

    def json(self) -> dict[str, Any]:
        """The body as a JSON object, or a 400 saying what is wrong with it."""
        try:
            body = json.loads(self.body)
        except (ValueError, RecursionError) as exc:
            raise BadInput(f"The body is not valid JSON: {str(exc)[:120]}") from exc
        if not isinstance(body, dict):
            raise BadInput("The body must be a JSON object.")
        return body


#: The connector's installations (credentials opened), read when a request needs them.
StoredInstallations = Callable[[], Sequence[Installed]]


@dataclass(frozen=True)
class Answer:
    """The HTTP answer a connector gives its platform."""

    body: dict[str, Any]
    status: int = 200


@dataclass(frozen=True)
class Received:
    """What a connector made of a request: an event to take in, or an answer given at once."""

    event: InboundEvent | None = None
    delivery_id: str = ""
    answer: Answer | None = None
    #: Recorded as done at once: nothing for the worker to do (a ping).
    done: bool = False
    #: Connector-specific details its answer needs later (a dialog's trigger id).
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """What the core did with an event, for the connector to put into its answer."""

    language: str
    #: False when the delivery was seen before (and so did nothing now).
    recorded: bool = True
    text: str | None = None
    in_channel: bool = False
    form: Form | None = None
    #: Field name -> problem, for a submitted form that was not accepted.
    errors: dict[str, str] = field(default_factory=dict)
    #: Nothing was done: ``text`` (or ``errors``) says why.
    refused: bool = False
    #: Buttons under the reply, where the platform can show them (``text`` says what to type instead).
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class EndpointDoc:
    """One endpoint of a connector, described for `GET /openapi.json`."""

    name: str
    summary: str
    schema: Schema | None
    content_types: tuple[str, ...]
    answer: str
    #: Status codes the endpoint answers besides 200, with what each means.
    refusals: tuple[int, ...] = (400, 401, 413, 415)
    headers: tuple[tuple[str, str], ...] = ()
    body_description: str | None = None
    #: Properties of the body documented by a schema of their own (Discourse: `post`).
    nested: tuple[tuple[str, Schema], ...] = ()


def load(schema: Schema, data: Any, what: str) -> dict[str, Any]:
    """Validate ``data``; a failure becomes a 400 that names every bad field."""
    try:
        result: dict[str, Any] = schema.load(data)
    except ValidationError as exc:
        problems = exc.normalized_messages()  # type: ignore[no-untyped-call]
        fields_ = {str(k): [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in problems.items()}
        names = ", ".join(sorted(fields_))
        raise BadInput(f"Invalid {what}: check {names}.", fields_) from exc
    return result
