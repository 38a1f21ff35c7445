"""Worker processes that end when the crawl that started them is gone.

A ``ProcessPoolExecutor`` worker waits on its call queue; when the crawl process is killed
(``kill -9``, the OOM killer) the queue never reports end-of-file, because the worker holds
both ends of the pipe, and the worker, with the triage engine loaded (about 240 MB), would
sleep forever. :func:`exit_with_parent`, called in the worker's initializer, checks once a
second that the parent is still there and ends the worker when it is not.

The parent's pid is handed over by the crawl process: a worker whose initializer runs after the
crawl was killed (still importing on a loaded machine) has already been re-parented, and would
take its new parent for the crawl if it asked ``os.getppid()`` then.
"""

from __future__ import annotations

import os
import threading
import time

INTERVAL = 1.0


def exit_with_parent(parent: int | None = None, interval: float = INTERVAL) -> None:
    """End this process once its parent (``parent``, else the current one) is gone."""
    parent = os.getppid() if parent is None else parent
    if os.getppid() != parent:  # gone before this worker got here
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:  # re-parented: the crawl process has died
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
