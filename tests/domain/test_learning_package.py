"""The learning package's names stay what the store, window and CLI import, whichever of its
modules were imported before."""

from __future__ import annotations

import listener_app.domain.learning.asking
import listener_app.domain.learning.documents
import listener_app.domain.learning.model  # noqa: F401
from listener_app.domain import learning


def test_submodules_do_not_shadow_the_names_the_package_exports():
    assert callable(learning.features) and learning.features("it broke", "negative", -0.5)
    assert learning.APPLY_THRESHOLD == 0.8 and learning.MIN_EXAMPLES == 8
