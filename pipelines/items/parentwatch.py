"""Worker processes that end when the crawl that started them is gone.

A ``ProcessPoolExecutor`` worker waits on its call queue; when the crawl process is killed
(``kill -9``, the OOM killer) the queue never reports end-of-file, because the worker holds
both ends of the pipe, and the worker, with the triage engine loaded (about 240 MB), would
sleep forever. :func:`exit_with_parent`, called in the worker's initializer, checks once a
second that the parent is still there and ends the worker when it is not.
"""

from __future__ import annotations

import os
import threading
import time

INTERVAL = 1.0


def exit_with_parent(interval: float = INTERVAL) -> None:
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:  # re-parented: the crawl process has died
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
