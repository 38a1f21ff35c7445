"""How analysis results travel from an analysis worker to the crawl process, quicker than pickle's
default for the engine's frozen, slotted dataclasses.

Pickle's default for those calls the ``__getstate__``/``__setstate__`` that dataclasses generates,
which look the fields up (``dataclasses.fields``) for every object, and a page's analysis holds
tens of them (phone hits, numbers, padding spans): on bench/crawl.py's pages, 84 µs of CPU per
page to pickle in the worker and 184 µs to unpickle in the crawl process. Here each object is
pickled as its class and its field values, and rebuilt the way its ``__init__`` sets them: 39
and 90 µs, with equal results. The worker pickles a batch of results to bytes with this
table (no global ``copyreg`` registration, so nothing else pickles differently) and the crawl
process loads them; only our own workers' output is ever loaded.
"""

from __future__ import annotations

import copyreg
import io
import pickle
from dataclasses import fields
from operator import attrgetter
from typing import Any

from pipelines.types import Identifier, PaddingSpan, PageAnalysis, PageText, Phone, PhoneHit

_set = object.__setattr__


def rebuild(cls: type, values: tuple[Any, ...]) -> Any:
    """An instance of the frozen, slotted dataclass ``cls`` with field values ``values``."""
    obj: Any = object.__new__(cls)
    for name, value in zip(cls.__slots__, values, strict=True):  # type: ignore[attr-defined]
        _set(obj, name, value)
    return obj


def _reducer(cls: type) -> Any:
    names = tuple(f.name for f in fields(cls))
    if tuple(cls.__slots__) != names:  # type: ignore[attr-defined]  # rebuild relies on it
        raise TypeError(f"{cls.__name__}: slots {cls.__slots__} are not its fields")  # type: ignore[attr-defined]
    get = attrgetter(*names)
    if len(names) == 1:
        return lambda obj: (rebuild, (cls, (get(obj),)))
    return lambda obj: (rebuild, (cls, get(obj)))


_TABLE = copyreg.dispatch_table.copy()
_TABLE.update({cls: _reducer(cls)
               for cls in (PageAnalysis, PageText, PhoneHit, Phone, PaddingSpan, Identifier)})


def dumps(results: list[Any]) -> bytes:
    """A batch of results (``PageAnalysis`` or error strings) as bytes, in a worker."""
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _TABLE
    pickler.dump(results)
    return buf.getvalue()


def loads(data: bytes) -> list[Any]:
    """The results :func:`dumps` made, in the crawl process."""
    out: list[Any] = pickle.loads(data)  # only our own analysis workers made ``data``
    return out
