"""gunicorn settings, read from the working directory by `gunicorn wsgi:app` (and by the benchmarks).

The app is loaded once in the master and then forked, so the workers share its code and data pages
(docs/PERFORMANCE.md, "Daily pages"). Command-line options (-w, -b, ...) still override these.
"""
from __future__ import annotations

import gc
from typing import Any

preload_app = True


def pre_fork(server: Any, worker: Any) -> None:
    """Move everything loaded so far out of the garbage collector's reach, so collections in a worker do not
    write to (and so un-share) the pages it inherited."""
    gc.freeze()


def post_fork(server: Any, worker: Any) -> None:
    """Never share a database connection across processes: drop any the master opened while loading the app."""
    application = server.app.wsgi()
    if "sqlalchemy" not in getattr(application, "extensions", {}):
        return
    from app.extensions import db

    with application.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
