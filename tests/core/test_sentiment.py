from __future__ import annotations

from listener_app.core.intent import classify_intent
from listener_app.core.sentiment import score_text, score_texts_parallel


def test_social_text():
    assert score_text("I love it 😍").label == "positive"
    assert score_text("not good at all").label == "negative"
    assert score_text("@acme https://acme.example/p/1").label == "neutral"
    assert score_text("").label == "neutral" and score_text("   ").score == 0.0
    assert score_text("This is GREAT").score > score_text("This is great").score
    assert score_text("sooooo goooood").label == "positive"
    assert score_text("Great, my order is late again. Thanks a lot.").label == "negative"


def test_but_clause_leans_to_what_follows():
    assert score_text("The screen is good but the battery died after a day, awful").label == "negative"


def test_parallel_matches_serial():
    texts = ["I love it", "this is terrible", "ok"] * 800
    assert [s.label for s in score_texts_parallel(texts, processes=2)] == [score_text(t).label for t in texts]


def test_intents():
    assert classify_intent("How do I reset my Acme Phone?") == "question"
    assert classify_intent("anyone know if the buds work with android") == "question"
    assert classify_intent("Charged twice for my order and still no refund!") == "complaint"
    assert classify_intent("Please add dark mode to the app") == "suggestion"
    assert classify_intent("Thank you Acme support, you were amazing") == "praise"
    assert classify_intent("Acme announces quarterly results") == "other"
    assert classify_intent("") == "other"
