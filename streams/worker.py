"""Run one worker process: the Faust app under Faust's Worker, with our logging."""

from __future__ import annotations

from faust import Worker

from streams.app import create_app
from streams.config import Settings
from streams.logs import logging_config


def run_worker(settings: Settings) -> int:
    sitrep = create_app(settings)
    worker = Worker(
        sitrep.app,
        loglevel=settings.log_level,
        logging_config=logging_config(settings.log_level, settings.log_format),
        redirect_stdouts=False,
    )
    worker.execute_from_commandline()  # returns only through SystemExit
    return 0
