"""Execute the chapters in parallel into the execution cache, before Sphinx runs.

Jupyter Book 1 executes notebooks one after another inside the Sphinx build. ``make book`` first
runs ``python -m book_tools.parallel_execution``: jupyter-cache's execution worker, in a pool of
one process per CPU, executes every chapter whose code has no cached outputs yet, and the book
build then finds all of them in the cache (``execute_notebooks: cache``) and only renders. On the
2-core CI machine this shortens a cold build (see ARCHITECTURE.md, "Build benchmark").

Nothing about correctness depends on it: a chapter that fails here is not cached, so the book build
executes it again and reports the error as it always does, and the cache keys on the chapter's
code, with ``build_inputs`` resetting the cache when data or the package change.
``make book PARALLEL_EXECUTION=0`` skips this step.

Usage: ``python -m book_tools.parallel_execution [--repo .]``
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .build_inputs import toc_pages

ROOT = Path(__file__).resolve().parent.parent
CACHE_DB = Path("_build") / ".jupyter_cache"


def notebook_chapters(repo: Path) -> list[Path]:
    """The pages of ``_toc.yml``, in order, that are notebooks (have a kernelspec)."""
    import jupytext

    return [page for page in toc_pages(repo) if jupytext.read(page).metadata.get("kernelspec") is not None]


def execution_timeout(repo: Path) -> int:
    """The per-cell timeout the book itself uses (``execute.timeout`` in ``_config.yml``)."""
    import yaml

    config = yaml.safe_load((repo / "_config.yml").read_text(encoding="utf-8"))
    return int((config.get("execute") or {}).get("timeout", 300))


def execute_in_parallel(repo: Path = ROOT) -> tuple[int, int]:
    """Execute the chapters without cached outputs; returns (executed, failed).

    Each chapter is executed and cached by jupyter-cache's own worker, as its ``local-parallel``
    executor does, but in a ``ProcessPoolExecutor`` of fresh interpreters (spawn) instead of that
    executor's forked ``multiprocessing.Pool``: when a worker process dies, the pool's ``map``
    waits for its lost task for ever (seen on this machine, with builds running side by side);
    here the chapter counts as failed and the book build executes it again and reports it.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from jupyter_cache import get_cache
    from jupyter_cache.executors.basic import ExecutionWorkerLocalMProc, ProcessData

    cache = get_cache(str(repo / CACHE_DB))
    for chapter in notebook_chapters(repo):
        cache.add_nb_to_project(str(chapter.resolve()), read_data={"name": "myst_nb_md", "type": "plugin"})
    records = cache.list_unexecuted()
    if not records:
        return 0, 0
    timeout = execution_timeout(repo)
    jobs = [ProcessData(record.pk, record.uri, cache, timeout, False) for record in records]
    executed = failed = 0
    with ProcessPoolExecutor(min(len(jobs), os.cpu_count() or 1),
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(ExecutionWorkerLocalMProc(), job) for job in jobs]
        for future in futures:
            try:
                status, _ = future.result()
            except BrokenProcessPool:
                status = 2
            executed, failed = (executed + 1, failed) if status == 0 else (executed, failed + 1)
    return executed, failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=Path.cwd())
    args = parser.parse_args(argv)
    executed, failed = execute_in_parallel(args.repo.resolve())
    print(f"parallel execution: {executed} chapters executed on {os.cpu_count()} "
          f"processes, {failed} failed (the book build executes and reports those)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
