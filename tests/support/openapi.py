"""Checks that a request Kring sent matches a real path, method and request-body schema of a spec."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from plugin.demo.standin import RecordedRequest

REPO_ROOT = Path(__file__).resolve().parents[2]


def specs_dir() -> Path:
    """``../shared/specs`` beside the repository (or KRING_SPECS_DIR); the tests fail without it."""
    candidate = Path(os.environ.get("KRING_SPECS_DIR", REPO_ROOT.parent / "shared" / "specs"))
    if not (candidate / "mattermost-openapi-v4.json").exists():
        raise AssertionError(f"OpenAPI specs not found in {candidate}; set KRING_SPECS_DIR")
    return candidate


@dataclass(frozen=True)
class Operation:
    template: str
    pattern: re.Pattern[str]
    spec: dict[str, Any]


class Spec:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.operations: dict[str, list[Operation]] = {}
        for template, item in document["paths"].items():
            regex = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
            for method, operation in item.items():
                if method in ("get", "post", "put", "patch", "delete"):
                    self.operations.setdefault(method.upper(), []).append(
                        Operation(template, re.compile(regex), operation))
        version = str(document.get("openapi", "3.0"))
        self.validator_class = (jsonschema.Draft202012Validator if version.startswith("3.1")
                                else jsonschema.Draft4Validator)

    def match(self, method: str, path: str) -> Operation:
        candidates = [op for op in self.operations.get(method, []) if op.pattern.match(path)]
        if not candidates:
            raise AssertionError(f"{method} {path} is not an operation of the spec")
        # Prefer the most literal template when several match (e.g. /users/me over /users/{id}).
        return min(candidates, key=lambda op: op.template.count("{"))

    def resolve(self, node: Any, seen: frozenset[str] = frozenset()) -> Any:
        """Inline local ``$ref``s (cycles are cut off as an open schema)."""
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/"):
                if ref in seen:
                    return {}
                target: Any = self.document
                for part in ref[2:].split("/"):
                    target = target[part.replace("~1", "/").replace("~0", "~")]
                return self.resolve(target, seen | {ref})
            return {key: self.resolve(value, seen) for key, value in node.items()}
        if isinstance(node, list):
            return [self.resolve(value, seen) for value in node]
        return node

    def check(self, request: RecordedRequest, strip_prefix: str = "") -> str:
        """Raise AssertionError unless ``request`` fits the spec; return the matched template."""
        path = request.path[len(strip_prefix):] if strip_prefix and request.path.startswith(strip_prefix) \
            else request.path
        operation = self.match(request.method, path)
        body_spec = operation.spec.get("requestBody")
        if body_spec:
            content = body_spec.get("content", {})
            if "application/json" in content and "schema" in content["application/json"]:
                schema = self.resolve(content["application/json"]["schema"])
                errors = sorted(self.validator_class(schema).iter_errors(request.body), key=str)
                if errors:
                    details = "; ".join(f"{'/'.join(map(str, e.path)) or '(body)'}: {e.message}" for e in errors)
                    raise AssertionError(f"{request.method} {path} body does not match the spec: {details}")
            elif "multipart/form-data" in content:
                self._check_form(request, path, self.resolve(content["multipart/form-data"].get("schema", {})))
            elif body_spec.get("required") and request.body is None:
                raise AssertionError(f"{request.method} {path} needs a body")
        return operation.template


    @staticmethod
    def _check_form(request: RecordedRequest, path: str, schema: dict[str, Any]) -> None:
        """A multipart form: its field names must be the schema's properties, its required ones present."""
        if not isinstance(request.body, dict):
            raise AssertionError(f"{request.method} {path} expects a multipart form")
        fields = set(request.body)
        properties = set(schema.get("properties", {}))
        unknown = fields - properties
        missing = set(schema.get("required", [])) - fields
        if unknown or missing:
            raise AssertionError(f"{request.method} {path} form does not match the spec: unknown fields "
                                 f"{sorted(unknown)}, missing {sorted(missing)}")
        for name, value in request.body.items():
            allowed = schema["properties"][name].get("enum")
            if allowed and value not in allowed:
                raise AssertionError(f"{request.method} {path} form field {name}={value!r} not in {allowed}")


#: Discourse operations Kring uses that the public spec lacks: our own documented expectation
#: (from Discourse's Admin::WebHooksController), listed in the README too.
_WEB_HOOK_BODY = {"type": "object", "required": ["web_hook"], "additionalProperties": False, "properties": {
    "web_hook": {"type": "object", "additionalProperties": False,
                 "required": ["payload_url", "content_type", "web_hook_event_type_ids"],
                 "properties": {"payload_url": {"type": "string", "pattern": "^https?://"},
                                "content_type": {"enum": [1, 2]}, "secret": {"type": "string", "minLength": 12},
                                "wildcard_web_hook": {"type": "boolean"}, "verify_certificate": {"type": "boolean"},
                                "active": {"type": "boolean"},
                                "web_hook_event_type_ids": {"type": "array", "items": {"type": "integer"}},
                                "category_ids": {"type": "array", "items": {"type": "integer"}},
                                "group_ids": {"type": "array", "items": {"type": "integer"}},
                                "tag_names": {"type": "array", "items": {"type": "string"}}}}}}
DISCOURSE_EXTRA_PATHS: dict[str, dict[str, Any]] = {
    "/admin/api/web_hooks.json": {
        "get": {},
        "post": {"requestBody": {"required": True, "content": {"application/json": {"schema": _WEB_HOOK_BODY}}}},
    },
    "/admin/api/web_hooks/{id}.json": {
        "put": {"requestBody": {"required": True, "content": {"application/json": {"schema": _WEB_HOOK_BODY}}}},
        "delete": {},
    },
    "/admin/users/{id}/grant_moderation.json": {"put": {}},  # Admin::UsersController#grant_moderation
    "/about.json": {"get": {}},  # AboutController#index
    "/admin/site_settings.json": {"get": {}},  # Admin::SiteSettingsController#index
    "/posts/by_number/{topic_id}/{post_number}.json": {"get": {}},  # PostsController#by_number
    "/admin/api/keys.json": {"post": {"requestBody": {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": ["key"], "additionalProperties": False, "properties": {"key": {
            "type": "object", "required": ["description", "username"], "additionalProperties": False,
            "properties": {"description": {"type": "string"}, "username": {"type": "string"}}}}}}}}}},
}


#: One correction of the Mattermost spec, listed in the README too: it gives a post patch's `props` the
#: type string, but the server decodes them as an object (`model.PostPatch.Props *StringInterface`),
#: as `POST /api/v4/posts` documents them. Only the type changes; the rest of the operation is checked.
MATTERMOST_PATCH_PROPS = ("/api/v4/posts/{post_id}/patch", "put")


def _correct_mattermost(document: dict[str, Any]) -> None:
    path, method = MATTERMOST_PATCH_PROPS
    schema = document["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"]["props"]["type"] == "string", "the spec changed: drop this correction"
    schema["properties"]["props"] = {**schema["properties"]["props"], "type": "object"}


@cache
def load_spec(name: str) -> Spec:
    document = json.loads((specs_dir() / name).read_text(encoding="utf-8"))
    if name.startswith("discourse"):
        document["paths"] = {**document["paths"], **DISCOURSE_EXTRA_PATHS}
    else:
        _correct_mattermost(document)
    return Spec(document)


def mattermost_spec() -> Spec:
    return load_spec("mattermost-openapi-v4.json")


def discourse_spec() -> Spec:
    return load_spec("discourse-openapi.json")


def check_platform_request(request: RecordedRequest) -> None:
    """The stand-in's check: Mattermost calls live under /api/v4, everything else is Discourse."""
    spec = mattermost_spec() if request.path.startswith("/api/v4/") else discourse_spec()
    spec.check(request)
