"""The tests' shared fixtures live in tests/support (see its __init__); this file only loads them.

pyproject's pytest ``pythonpath`` puts tests/ (for ``support``) and the repository root (for ``benchmarks``)
on the import path; asserts in support's helpers are rewritten as in the tests, so that failures show values.
"""

import pytest

pytest.register_assert_rewrite("support")

pytest_plugins = ["support.fixtures", "support.browser", "support.virtuoso"]
