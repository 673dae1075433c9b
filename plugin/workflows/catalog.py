"""Which workflows exist (built-in and from KRING_WORKFLOW_PATH), and the pinned versions in use."""

from __future__ import annotations

import hashlib
import threading
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

import workflows as builtin_package
from plugin.config import Config
from plugin.engine.interpreter import Interpreter
from plugin.engine.loader import Catalog, load_catalog, load_workflow, workflow_files
from plugin.engine.model import Workflow
from plugin.errors import KringError
from plugin.storage.models import WorkflowEnablement, WorkflowSource

BUILTIN_DIR = Path(builtin_package.__file__).parent
_cache: dict[tuple[tuple[str, float, int], ...], Catalog] = {}
_cache_lock = threading.Lock()


def catalog_paths(config: Config) -> list[Path]:
    return [BUILTIN_DIR, *config.workflow_path]


def current_catalog(config: Config) -> Catalog:
    """The valid workflows on disk now; re-read only when a file changed."""
    files = workflow_files(catalog_paths(config))
    signature = tuple((str(f), f.stat().st_mtime, f.stat().st_size) for f in files if f.exists())
    with _cache_lock:
        catalog = _cache.get(signature)
        if catalog is None:
            _cache.clear()
            catalog = _cache[signature] = load_catalog(catalog_paths(config))
        return catalog


def pin(session: Session, workflow: Workflow, now: datetime) -> WorkflowSource:
    """The stored copy of exactly this text of the workflow, created on first use."""
    digest = hashlib.sha256(workflow.source.encode()).hexdigest()
    found = session.scalar(sa.select(WorkflowSource).where(WorkflowSource.workflow_id == workflow.id,
                                                           WorkflowSource.digest == digest))
    if found is None:
        found = WorkflowSource(workflow_id=workflow.id, version=workflow.version, digest=digest,
                               file=workflow.file, source=workflow.source, created_at=now)
        session.add(found)
        session.flush()
    return found


class PinnedWorkflowBroken(KringError):
    """A stored workflow no longer validates (e.g. after a step type changed)."""


#: Interpreters of pinned workflow texts, by the text's digest and file: a pinned text never changes,
#: so it is parsed once per process (a database restored elsewhere has other digests, not other texts).
_interpreters: dict[tuple[str, str], Interpreter] = {}
_interpreters_lock = threading.Lock()
_MAX_INTERPRETERS = 256


def _interpreter(session: Session, source_id: int, digest: str, file: str) -> Interpreter:
    key = (digest, file)
    found = _interpreters.get(key)
    if found is not None:
        return found
    workflow, problems = load_workflow(session.get_one(WorkflowSource, source_id).source, file)
    if workflow is None:
        raise PinnedWorkflowBroken("; ".join(str(p) for p in problems))
    with _interpreters_lock:
        if len(_interpreters) >= _MAX_INTERPRETERS:
            _interpreters.clear()
        return _interpreters.setdefault(key, Interpreter(workflow))


def pinned_interpreter(session: Session, source_id: int) -> Interpreter:
    digest, file = session.execute(sa.select(WorkflowSource.digest, WorkflowSource.file).where(
        WorkflowSource.id == source_id)).one()
    return _interpreter(session, source_id, digest, file)


def enabled_workflows(session: Session, community_id: int) -> list[tuple[WorkflowEnablement, Workflow]]:
    """The workflows enabled in a community, each with the version its enablement pinned, by id (one
    query; a pinned text is parsed only the first time)."""
    enabled = session.execute(
        sa.select(WorkflowEnablement, WorkflowSource.id, WorkflowSource.digest, WorkflowSource.file)
        .join(WorkflowSource, WorkflowSource.id == WorkflowEnablement.source_id)
        .where(WorkflowEnablement.community_id == community_id, WorkflowEnablement.enabled.is_(True))
        .order_by(WorkflowEnablement.workflow_id))
    return [(e, _interpreter(session, source_id, digest, file).workflow) for e, source_id, digest, file in enabled]
