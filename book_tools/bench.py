"""Build benchmark: how long the book takes to build, and what a small change costs.

All builds run in a temporary copy of the repository (``.venv`` symlinked, no ``_build``, no
cache, no ``.git``), so the real ``_build/`` is never touched. In one run it measures:

``cold``          ``make book`` from nothing (publish, the chapters executed in parallel by
                  ``parallel_execution``, then Sphinx);
``noop``          ``make book`` again, nothing changed;
``edit-chapter``  ``make book`` after appending a comment to the last code cell of one chapter:
                  the jupyter-cache database says which chapters were executed again, and only
                  that one may be;
``edit-data``     ``make book`` after moving the last digit of one printed value in one table
                  (build_inputs then resets the cache: every chapter is executed again, by design);
``make-test``     ``make test`` in the same copy (not with ``--quick``), with its phases (lint,
                  citation, strict build, nbval, unit, PDF, site checks) timed by
                  ``book_tools.phase_timer``: their wall and CPU seconds are in the report
                  (``make_test_phases``) and in a second table;
``floor``         the plain-Python floor: ``python -m sarcoma_review.publish`` and then every
                  chapter converted to a script by jupytext and run, one process per chapter;
``cold-serial``   (not with ``--quick``) the cold build in a second copy with
                  ``PARALLEL_EXECUTION=0``: Jupyter Book executes the chapters one after another.

The table printed at the end gives each step's seconds (wall, and the CPU seconds of its
processes: two cores bound those, and on a shared machine they count the other sessions' work
much less than the wall time does) and its ratio to the cold build and to the floor;
``_build/bench.json`` (of the real repository) holds the same, plus the log evidence.

Usage: ``python -m book_tools.bench [--quick] [--keep] [--out _build/bench.json]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import phase_timer, repo_copy
from .parallel_execution import CACHE_DB, notebook_chapters

ROOT = Path(__file__).resolve().parent.parent
# Not copied: derived state, the venv (symlinked instead), VCS and tool caches.
SKIP = {".venv", "_build", ".git", ".pytest_cache", ".hypothesis", "__pycache__", ".jupyter_cache",
        ".ipynb_checkpoints", ".mypy_cache", ".ruff_cache", repo_copy.VENV_STAMP}

TARGETS = {
    "cold_over_floor_max": 2.0,
    "noop_over_cold_max": 0.10,
    "edit_chapter_executions": 1,
}


@dataclass
class Step:
    name: str
    seconds: float
    ok: bool
    cpu_seconds: float = 0.0    # user + system time of the step's processes
    executed: list[str] = field(default_factory=list)   # chapters executed in this step (cache DB)
    read_docs: str = ""                                   # Sphinx: "updating environment: ..."
    note: str = ""
    log_tail: str = ""
    load_before: float = 0.0      # 1-minute load average when the step started (other work on the machine)


def copy_repo(destination: Path) -> Path:
    """A copy of the repository without derived state, its .venv (and ../shared) symlinked to the real ones."""
    def ignore(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n in SKIP or n.startswith(".venv-")}

    shutil.copytree(ROOT, destination, ignore=ignore, symlinks=True)
    repo_copy.link_venv(destination, ROOT / ".venv")
    # The source texts stand beside the repository (../shared), as in CI: the coverage of the
    # dashboard counts their numbers.
    shared = destination.parent / "shared"
    if (ROOT.parent / "shared").is_dir() and not shared.exists():
        shared.symlink_to(ROOT.parent / "shared")
    return destination


def _env(repo: Path) -> dict[str, str]:
    env = repo_copy.environment(repo)   # the copy's code, never the real tree's
    env["PYTHONHASHSEED"] = "0"
    return env


def run(command: list[str], cwd: Path, repo: Path | None = None, timeout: int = 3600) -> tuple[float, int, str]:
    """Run and time `command` on the copy's code. `make` gets VENV_STAMP pointed at a stamp of the
    copy, so that it can never decide to re-install the real .venv through the symlink."""
    seconds, _, code, log = timed_run(command, cwd, repo, timeout)
    return seconds, code, log


def timed_run(command: list[str], cwd: Path, repo: Path | None = None,
              timeout: int = 3600) -> tuple[float, float, int, str]:
    """As `run`, also returning the CPU seconds (user + system) of the command's processes."""
    repo = repo or cwd
    if command[0] == "make":
        command = repo_copy.make_command(*command[1:])
    cpu_before, started = phase_timer.children_cpu(), time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=_env(repo), capture_output=True, text=True, timeout=timeout,
                          check=False)
    return (time.perf_counter() - started, phase_timer.children_cpu() - cpu_before, done.returncode,
            done.stdout + done.stderr)


def cache_records(repo: Path) -> dict[str, float]:
    """Notebook path (relative to repo) -> creation time of its record in the execution cache."""
    db = repo / CACHE_DB
    if not db.exists():
        return {}
    from jupyter_cache import get_cache

    records = {}
    for record in get_cache(str(db)).list_cache_records():
        try:
            uri = Path(record.uri).resolve().relative_to(repo.resolve()).as_posix()
        except ValueError:
            uri = record.uri
        records[uri] = record.created.timestamp()
    return records


def executed_since(repo: Path, before: dict[str, float]) -> list[str]:
    after = cache_records(repo)
    return sorted(uri for uri, created in after.items() if before.get(uri) != created)


def _sphinx_summary(log: str) -> str:
    """Sphinx's own account of what it re-read, with its reason ("[config changed ('x')]")."""
    log = re.sub(r"\x1b\[[0-9;]*m", "", log)
    found = re.findall(r"updating environment: (.*?\d+ added, \d+ changed, \d+ removed)", log)
    return found[-1].strip() if found else ""


def build_step(name: str, repo: Path, command=("make", "book")) -> Step:
    before = cache_records(repo)
    load = os.getloadavg()[0]
    seconds, cpu, code, log = timed_run(list(command), repo)
    executions = executed_since(repo, before)
    logged = len(re.findall(r"Executing notebook using", log))
    step = Step(name, round(seconds, 2), code == 0, round(cpu, 2), executions, _sphinx_summary(log),
                note=f"{logged} executions in the log", log_tail=log[-4000:] if code else "",
                load_before=round(load, 2))
    return step


def edit_chapter(chapter: Path) -> None:
    """Append a comment to the last code cell: the code (and so the cache key) changes, the output not."""
    text = chapter.read_text(encoding="utf-8")
    cells = [m.end() for m in re.finditer(r"```\{code-cell\}[^\n]*\n", text)]
    if not cells:
        raise ValueError(f"{chapter} has no code cell")
    end = text.find("\n```", cells[-1] - 1)
    if end < 0:
        raise ValueError(f"{chapter}: the last code cell is not closed")
    chapter.write_text(text[:end] + "\n# benchmark: a harmless edit" + text[end:], encoding="utf-8")


def edit_data(repo: Path) -> str:
    """Move the last digit of one printed value (the first such edit that keeps data/ valid).

    Most edits are refused by validation (a value must occur in its excerpt), so each candidate
    is validated alone, as ``make mutate`` does, before the whole package is.
    """
    from sarcoma_review.datapackage import check_package
    from .mutation import apply_mutant, enumerate_mutants, validate_resource

    data = repo / "data"
    for mutant in enumerate_mutants(data, seed=0, operators=("last-digit",)):
        original = apply_mutant(mutant, data)
        try:
            validate_resource(data, mutant.file)
        except ValueError:
            (data / mutant.file).write_bytes(original)
            continue
        if not check_package(data).problems:
            return mutant.describe()
        (data / mutant.file).write_bytes(original)
    raise ValueError("no printed value in data/ can be edited and stay valid")


def floor(repo: Path) -> Step:
    """The plain-Python floor: publish, then every chapter as a script, one process per chapter."""
    import jupytext

    scripts = repo / "_build" / "floor"
    scripts.mkdir(parents=True, exist_ok=True)
    python = str(repo / ".venv" / "bin" / "python")
    env_cmd = [python]
    total, cpu_total, steps, notes = 0.0, 0.0, [], []
    load = os.getloadavg()[0]
    seconds, cpu, code, log = timed_run([*env_cmd, "-m", "sarcoma_review.publish", "_build/published"], repo, repo)
    total, cpu_total = total + seconds, cpu_total + cpu
    notes.append(f"publish {seconds:.1f}s")
    ok = code == 0
    for chapter in notebook_chapters(repo):
        notebook = jupytext.read(chapter)
        script = scripts / f"{chapter.stem}.py"
        jupytext.write(notebook, script, fmt="py:percent")
        seconds, cpu, code, out = timed_run([*env_cmd, str(script)], chapter.parent, repo)
        total, cpu_total = total + seconds, cpu_total + cpu
        ok = ok and code == 0
        notes.append(f"{chapter.relative_to(repo).as_posix()} {seconds:.1f}s" + ("" if code == 0 else " FAILED"))
        if code:
            log += out[-2000:]
        steps.append(chapter)
    return Step("floor", round(total, 2), ok, round(cpu_total, 2), note="; ".join(notes), log_tail=log[-4000:] if not ok else "",
                load_before=round(load, 2))


def measure(quick: bool, keep: bool) -> dict:
    steps: list[Step] = []
    work = Path(tempfile.mkdtemp(prefix="sarcoma-bench-"))
    try:
        repo = copy_repo(work / "repo")
        chapters = notebook_chapters(repo)
        steps.append(build_step("cold", repo))
        steps.append(build_step("noop", repo))
        edited = next((c for c in reversed(chapters) if c.name != "index.md"), chapters[-1])
        chapter_before = edited.read_bytes()
        edit_chapter(edited)
        step = build_step("edit-chapter", repo)
        step.note = f"edited {edited.relative_to(repo).as_posix()}; {step.note}"
        steps.append(step)
        shutil.copytree(repo / "data", work / "data-before")
        changed = edit_data(repo)
        step = build_step("edit-data", repo)
        step.note = f"{changed}; {step.note}"
        steps.append(step)
        if not quick:
            # make test checks the chapters against their approved outputs: undo both edits first.
            edited.write_bytes(chapter_before)
            shutil.rmtree(repo / "data")
            shutil.copytree(work / "data-before", repo / "data")
            steps.append(build_step("make-test", repo, ("make", "test")))
            phases = make_test_phases(repo)
        steps.append(floor(repo))
        if not quick:
            # The same cold build with the chapters executed one after another by Jupyter Book,
            # as without book_tools.parallel_execution: what the parallel step buys.
            serial = copy_repo(work / "serial")
            steps.append(build_step("cold-serial", serial, ("make", "book", "PARALLEL_EXECUTION=0")))
        report = summarise(steps, [c.relative_to(repo).as_posix() for c in chapters],
                           edited.relative_to(repo).as_posix())
        if not quick:
            report["make_test_phases"] = phases
    finally:
        if keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return report


def summarise(steps: list[Step], chapters: list[str], edited: str) -> dict:
    by = {s.name: s for s in steps}
    cold, floor_step = by["cold"].seconds, by["floor"].seconds
    verdicts = {
        "cold_over_floor": round(cold / floor_step, 2) if floor_step else None,
        "noop_over_cold": round(by["noop"].seconds / cold, 3) if cold else None,
        "edit_chapter_executed": by["edit-chapter"].executed,
    }
    verdicts["cold_within_2x_floor"] = (verdicts["cold_over_floor"] is not None
                                        and verdicts["cold_over_floor"] <= TARGETS["cold_over_floor_max"])
    verdicts["noop_within_10pct_of_cold"] = (verdicts["noop_over_cold"] is not None
                                             and verdicts["noop_over_cold"] <= TARGETS["noop_over_cold_max"])
    verdicts["edit_chapter_only_that_chapter"] = by["edit-chapter"].executed == [edited]
    if "cold-serial" in by:
        verdicts["cold_over_cold_serial"] = round(cold / by["cold-serial"].seconds, 2) if by["cold-serial"].seconds else None
    return {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "chapters": chapters,
        "steps": [asdict(s) for s in steps],
        "targets": TARGETS,
        "verdicts": verdicts,
    }


def make_test_phases(repo: Path) -> list[dict]:
    """The phases of the `make test` just run in ``repo``, as book_tools.phase_timer wrote them."""
    phases = repo / phase_timer.PHASES_FILE
    if not phases.is_file():
        return []
    return json.loads(phases.read_text(encoding="utf-8"))["phases"]


def print_table(report: dict, out=sys.stdout) -> None:
    steps = {s["name"]: s for s in report["steps"]}
    cold, floor_seconds = steps["cold"]["seconds"], steps["floor"]["seconds"]
    print(f"{'step':<14} {'seconds':>8} {'cpu s':>7} {'/cold':>7} {'/floor':>7}  ok  executed / notes", file=out)
    for s in report["steps"]:
        ratio_cold = f"{s['seconds'] / cold:.2f}" if cold else "-"
        ratio_floor = f"{s['seconds'] / floor_seconds:.2f}" if floor_seconds else "-"
        executed = ",".join(Path(e).stem for e in s["executed"]) or "-"
        print(f"{s['name']:<14} {s['seconds']:>8.1f} {s.get('cpu_seconds', 0.0):>7.1f} {ratio_cold:>7} "
              f"{ratio_floor:>7}  {'y' if s['ok'] else 'N'}  "
              f"load {s['load_before']:<5} [{executed}] {s['read_docs']} | {s['note']}", file=out)
    if report.get("make_test_phases"):
        print("\nmake test, phase by phase:", file=out)
        print(phase_timer.table([phase_timer.Phase(**p) for p in report["make_test_phases"]]), file=out)
    print(json.dumps(report["verdicts"], indent=1), file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="leave out `make test` and the serial cold build (about 10 minutes less)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copies")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "bench.json")
    args = parser.parse_args(argv)
    report = measure(args.quick, args.keep)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print_table(report)
    failed = [s["name"] for s in report["steps"] if not s["ok"]]
    for name in failed:
        tail = next(s["log_tail"] for s in report["steps"] if s["name"] == name)
        print(f"--- {name} failed; log tail:\n{tail}", file=sys.stderr)
    print(f"report written to {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
