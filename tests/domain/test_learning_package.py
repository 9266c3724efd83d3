"""The learning package's names stay what the window and CLI import, whichever of its modules
were imported before, and importing it costs nothing heavy."""

from __future__ import annotations

import listener_app.domain.learning.asking
import listener_app.domain.learning.documents
import listener_app.domain.learning.estimate
import listener_app.domain.learning.model  # noqa: F401
from listener_app.domain import learning


def test_submodules_do_not_shadow_the_names_the_package_exports():
    assert learning.APPLY_THRESHOLD == 0.8 and learning.MIN_EXAMPLES == 8
    assert sorted(learning.__all__) == ["APPLY_THRESHOLD", "MIN_EXAMPLES"]
