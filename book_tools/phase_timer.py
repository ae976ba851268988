"""Run make targets one after another and time each: wall time and the CPU time of its processes.

``make test`` runs its phases through this module, so that every run of it says where its time
went (``_build/test-phases.json``, and a table on the terminal); ``make bench`` reads that file
from its copy. CPU time (user + system of the phase's processes, children included) is what two
cores bound: on a shared machine the wall time also counts the other sessions' work, the CPU
time much less so.

A phase written ``a+b`` runs the targets ``a`` and ``b`` side by side: ``make test`` runs the unit
tests beside the site checks, which spend most of their time waiting for a browser and leave a core
idle. Each target's output is kept and printed whole when it ends, so that the two do not
interleave; each is timed on its own (its CPU seconds from ``os.wait4``), and the phase's wall time
is that of the slower.

It stops at the first phase that fails, with that phase's exit status, as make would.

Usage: ``python -m book_tools.phase_timer [--out FILE] [--make-arg ARG ...] PHASE [PHASE ...]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

PHASES_FILE = Path("_build") / "test-phases.json"


@dataclass
class Phase:
    target: str
    wall_seconds: float
    cpu_seconds: float        # user + system time of the phase's processes and their children
    returncode: int
    load_before: float        # 1-minute load average when the phase started
    beside: str = ""          # the targets it ran side by side with ("a+b"), if any


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_phase(target: str, make_args: list[str], cwd: Path) -> Phase:
    load = os.getloadavg()[0]
    cpu_before, started = children_cpu(), time.perf_counter()
    done = subprocess.run(["make", "--no-print-directory", target, *make_args], cwd=cwd, check=False)
    return Phase(target, round(time.perf_counter() - started, 1), round(children_cpu() - cpu_before, 1),
                 done.returncode, round(load, 2))


def run_side_by_side(targets: list[str], make_args: list[str], cwd: Path) -> list[Phase]:
    """Run ``targets`` at once; each one's output is printed whole when it ends."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    running = {}
    for target in targets:
        log = tempfile.TemporaryFile()
        process = subprocess.Popen(["make", "--no-print-directory", target, *make_args], cwd=cwd,
                                   stdout=log, stderr=subprocess.STDOUT)
        running[process.pid] = (target, log)
    phases = []
    while running:
        pid, status, usage = os.wait4(-1, 0)
        if pid not in running:
            continue
        target, log = running.pop(pid)
        log.seek(0)
        sys.stdout.flush()
        shutil.copyfileobj(log, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        log.close()
        phases.append(Phase(target, round(time.perf_counter() - started, 1),
                            round(usage.ru_utime + usage.ru_stime, 1), os.waitstatus_to_exitcode(status),
                            round(load, 2), "+".join(targets)))
    return sorted(phases, key=lambda phase: targets.index(phase.target))


def table(phases: list[Phase]) -> str:
    lines = [f"{'phase':<14} {'wall s':>7} {'cpu s':>7} {'cpu/wall':>8} {'load':>5}  ok"]
    for p in phases:
        ratio = f"{p.cpu_seconds / p.wall_seconds:.2f}" if p.wall_seconds else "-"
        lines.append(f"{p.target:<14} {p.wall_seconds:>7.1f} {p.cpu_seconds:>7.1f} {ratio:>8} "
                     f"{p.load_before:>5.2f}  {'y' if p.returncode == 0 else 'N'}"
                     + (f"  (side by side: {p.beside})" if p.beside else ""))
    # Targets run side by side count once, with the wall time of the slower.
    walls: dict[str, float] = {}
    for p in phases:
        key = p.beside or p.target
        walls[key] = max(walls.get(key, 0.0), p.wall_seconds)
    wall, cpu = sum(walls.values()), sum(p.cpu_seconds for p in phases)
    lines.append(f"{'total':<14} {wall:>7.1f} {cpu:>7.1f} {cpu / wall if wall else 0:>8.2f}")
    return "\n".join(lines)


def run_phases(targets: list[str], make_args: list[str], cwd: Path, out: Path) -> int:
    phases: list[Phase] = []
    for spec in targets:
        done = (run_side_by_side(spec.split("+"), make_args, cwd) if "+" in spec
                else [run_phase(spec, make_args, cwd)])
        phases.extend(done)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"cpus": os.cpu_count(), "phases": [asdict(p) for p in phases]}, indent=1) + "\n",
                       encoding="utf-8")
        if any(phase.returncode != 0 for phase in done):
            break
    print(table(phases))
    return next((p.returncode for p in phases if p.returncode != 0), 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="+")
    parser.add_argument("--out", type=Path, default=PHASES_FILE)
    parser.add_argument("--make-arg", action="append", default=[], help="passed to every make (e.g. VAR=value)")
    parser.add_argument("--repo", type=Path, default=Path.cwd())
    args = parser.parse_args(argv)
    return run_phases(args.targets, args.make_arg, args.repo, args.repo / args.out if not args.out.is_absolute()
                      else args.out)


if __name__ == "__main__":
    sys.exit(main())
