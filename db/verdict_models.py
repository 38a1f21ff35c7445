"""The verdict models a database holds (``models``, issue 10): store a fit, say which is active,
go back to the shipped one.

The artefact is the JSON :func:`pipelines.model.load` reads (weights and hashing config, no page
text), zlib-compressed in ``blob``. Only the active row's artefact is ever read by an analysis.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from db.models import VerdictModel, utcnow
from db.queries import iso


def save_model(engine: Engine, artefact: Mapping[str, Any], data: Mapping[str, Any],
               figures: Mapping[str, Any] | None) -> int:
    """Store a fitted model as the next version and make it the active one; returns the version."""
    with engine.execution_options(sqlite_write=True).begin() as conn:
        version = int(conn.execute(select(func.coalesce(func.max(VerdictModel.version), 0)))
                      .scalar_one()) + 1
        blob = zlib.compress(json.dumps({**artefact, "version": version}, ensure_ascii=False,
                                        separators=(",", ":")).encode("utf-8"), 6)
        conn.execute(update(VerdictModel).where(VerdictModel.active.is_(True)).values(active=False))
        conn.execute(insert(VerdictModel).values(
            version=version, created_at=utcnow(), active=True, data=dict(data),
            figures=dict(figures) if figures is not None else None, blob=blob))
    return version


def reset(engine: Engine) -> int | None:
    """No model active any more (the shipped one is used); returns the version that was active."""
    with engine.execution_options(sqlite_write=True).begin() as conn:
        was = conn.execute(select(VerdictModel.version)
                           .where(VerdictModel.active.is_(True))).scalar_one_or_none()
        conn.execute(update(VerdictModel).where(VerdictModel.active.is_(True)).values(active=False))
    return was


def active_artefact(conn: Connection) -> tuple[int, dict[str, Any]] | None:
    """(version, artefact) of the active model, None when the shipped model is in use."""
    row = conn.execute(select(VerdictModel.version, VerdictModel.blob)
                       .where(VerdictModel.active.is_(True))
                       .order_by(VerdictModel.version.desc()).limit(1)).first()
    if row is None:
        return None
    return int(row.version), json.loads(zlib.decompress(bytes(row.blob)).decode("utf-8"))


def models(conn: Connection) -> list[dict[str, Any]]:
    """Every stored model, newest first, without its artefact."""
    rows = conn.execute(select(VerdictModel.version, VerdictModel.created_at, VerdictModel.active,
                               VerdictModel.data, VerdictModel.figures)
                        .order_by(VerdictModel.version.desc()))
    return [{"version": r.version, "created_at": iso(r.created_at), "active": bool(r.active),
             "data": r.data, "figures": r.figures} for r in rows]
