from __future__ import annotations

from listener_app.core.intent import INTENTS, classify_intent, classify_intents
from listener_app.core.sentiment import Sentiment


def test_questions():
    assert classify_intent("How do I reset my Acme Phone?") == "question"
    assert classify_intent("anyone know if the buds work with android") == "question"
    assert classify_intent("wondering if the blue one will be back in stock") == "question"
    assert classify_intent("Is the store open on Sunday?") == "question"


def test_complaints():
    assert classify_intent("Charged twice for my order and still no refund!") == "complaint"
    assert classify_intent("Been on hold for 45 minutes") == "complaint"
    assert classify_intent("My parcel says delivered but there is nothing at my door") == "complaint"
    assert classify_intent("Why does the battery die at 30%?? Phone is 4 months old") == "complaint"
    assert classify_intent("Thanks for nothing, stuck at the airport for 9 hours") == "complaint"


def test_suggestions():
    assert classify_intent("Please add dark mode to the app") == "suggestion"
    assert classify_intent("would be great if the app showed the platform number") == "suggestion"
    assert (
        classify_intent("Could you add Apple Pay at checkout?") == "suggestion"
    )  # a feature ask, not a question


def test_praise_and_other():
    assert classify_intent("Thank you Acme support, you were amazing") == "praise"
    assert classify_intent("Acme announces quarterly results") == "other"
    assert classify_intent("🔥 GIVEAWAY 🔥 follow and retweet to win!!!") == "other"
    assert classify_intent("Watching the launch live, anyone else?") == "other"


def test_empty_and_batch():
    assert classify_intent("") == "other"
    assert classify_intent("   ") == "other"
    texts = ["How do I pay?", "love it", "", "x" * 50_000]
    assert all(i in INTENTS for i in classify_intents(texts))


def test_uses_given_sentiment():
    text = "the new layout"
    assert classify_intent(text, Sentiment("negative", -0.8)) == "complaint"
    assert classify_intent(text, Sentiment("positive", 0.8)) == "praise"
