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
