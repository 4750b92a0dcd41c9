"""Background work of the register: running an uploaded import, rebuilding the search words."""

from __future__ import annotations

import logging

from celery import shared_task

from brygga.register.importers.reading import ImportFileError
from brygga.register.models import ImportRun
from brygga.register.services.imports import import_run_claim, import_run_execute
from brygga.register.services.search_words import search_words_refresh

log = logging.getLogger(__name__)


@shared_task(name="register.import_run")
def import_run_task(run_id: int) -> str:
    """Run a queued import. The run row records failures; the task itself does not retry."""
    run = import_run_claim(run_id=run_id)
    if run is None:
        return "skipped"
    try:
        import_run_execute(run=run)
    except ImportFileError:
        return ImportRun.State.FAILED
    except Exception:
        log.exception("import #%s failed", run_id)
        return ImportRun.State.FAILED
    return ImportRun.State.DONE


@shared_task(name="register.search_words_refresh")
def search_words_refresh_task() -> int:
    """Rebuild the word list that corrects misspelt searches (after an import)."""
    return search_words_refresh()
