"""make test's phase timer: every phase timed (wall and CPU), a failing phase stops the run."""

from __future__ import annotations

import json
import textwrap

from book_tools import phase_timer

MAKEFILE = textwrap.dedent("""\
    busy:
    \tpython3 -c "sum(i * i for i in range(3_000_000))"
    quiet:
    \tsleep 0.3
    broken:
    \texit 3
    """)


def test_each_phase_is_timed_and_a_failing_phase_stops_the_run(tmp_path, capsys):
    (tmp_path / "Makefile").write_text(MAKEFILE)
    out = tmp_path / "phases.json"
    code = phase_timer.run_phases(["busy", "quiet", "broken", "busy"], [], tmp_path, out)
    assert code == 2                      # make's status for a failed recipe
    phases = json.loads(out.read_text())["phases"]
    assert [p["target"] for p in phases] == ["busy", "quiet", "broken"]
    busy, quiet, broken = phases
    assert busy["returncode"] == 0 and busy["cpu_seconds"] > 0.05
    # sleeping takes wall time but next to no CPU time
    assert quiet["wall_seconds"] >= 0.3 and quiet["cpu_seconds"] < quiet["wall_seconds"] / 2
    assert broken["returncode"] != 0
    table = capsys.readouterr().out
    assert "broken" in table and table.splitlines()[-1].startswith("total")


def test_all_phases_pass(tmp_path):
    (tmp_path / "Makefile").write_text(MAKEFILE)
    out = tmp_path / "phases.json"
    assert phase_timer.run_phases(["quiet", "busy"], [], tmp_path, out) == 0
    assert [p["returncode"] for p in json.loads(out.read_text())["phases"]] == [0, 0]


def test_targets_side_by_side_run_at_once_and_are_timed_each(tmp_path, capfd):
    (tmp_path / "Makefile").write_text(MAKEFILE.replace("sleep 0.3", "sleep 1") + "nap:\n\tsleep 1\n")
    out = tmp_path / "phases.json"
    started = __import__("time").perf_counter()
    assert phase_timer.run_phases(["quiet+nap+busy"], [], tmp_path, out) == 0
    elapsed = __import__("time").perf_counter() - started
    assert elapsed < 2.0                  # one after another, the two one-second sleeps alone take 2 s
    phases = json.loads(out.read_text())["phases"]
    assert [p["target"] for p in phases] == ["quiet", "nap", "busy"]
    assert all(p["beside"] == "quiet+nap+busy" for p in phases)
    quiet, nap, busy = phases
    assert busy["cpu_seconds"] > 0.05 and quiet["cpu_seconds"] < 0.5 and nap["cpu_seconds"] < 0.5
    table = capfd.readouterr().out
    total = float(table.splitlines()[-1].split()[1])
    assert total == max(p["wall_seconds"] for p in phases)   # counted once, not summed


def test_a_failure_side_by_side_stops_the_run(tmp_path):
    (tmp_path / "Makefile").write_text(MAKEFILE)
    out = tmp_path / "phases.json"
    assert phase_timer.run_phases(["quiet+broken", "busy"], [], tmp_path, out) == 2
    assert [p["target"] for p in json.loads(out.read_text())["phases"]] == ["quiet", "broken"]
