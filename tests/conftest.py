"""How the unit tests share the two cores (`make unit` runs pytest-xdist with ``--dist loadgroup``).

A module's tests run in one worker, so that its module-scoped fixtures (a ledger, two
publications, a browser) are built once, not once per worker. The build tests
(tests/test_build.py) are the exception: each runs `make book` on a copy of its own and shares
nothing with the others, so each may run in whichever worker is free.
"""

from __future__ import annotations

import pytest

# Modules whose tests are independent of each other and each costs a whole build.
SPREAD_MODULES = {"test_build.py"}


# tryfirst: before xdist's own hook, which reads the groups to name the tests.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name not in SPREAD_MODULES and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(item.path.stem))
