from __future__ import annotations

from listener_app.core.intent import INTENTS
from listener_app.eval.intent_eval import intent_figures, load_examples


def test_labelled_set_is_well_formed():
    examples = load_examples()
    assert len(examples) >= 200
    assert {e["intent"] for e in examples} == set(INTENTS)
    assert {e["split"] for e in examples} == {"dev", "heldout"}


def test_figures_for_each_split():
    summary = [f for f in intent_figures() if "macro_f1" in f]
    assert [f["split"] for f in summary] == ["dev", "heldout", "all"]
    assert all(0 <= f["macro_f1"] <= 1 for f in summary)
