from __future__ import annotations

from listener_app.domain.intent import INTENTS, classify_intent, classify_intents
from listener_app.domain.sentiment import Sentiment


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


def test_posts_written_to_a_brand_read_from_their_first_word():
    # Real tweets open with the brand's @handle, type contractions without apostrophes and say
    # "r u": the patterns read them as they read the same words in a review.
    assert classify_intent("@easyJet can i bring a hair straightener in hand luggage") == "question"
    assert classify_intent("@Safeway r u open on thanksgiving") == "question"
    assert classify_intent("@Target the self checkout took my money and didnt give a receipt") == "complaint"
    assert classify_intent("@AmazonHelp where is my order? it was supposed to arrive monday") == "complaint"
    assert classify_intent("@TMobile so I have to call 4 different numbers to change my plan?") == "complaint"
    assert classify_intent("RT @TechCrunch: Uber reports Q3 revenue of $3.1B") == "other"
    assert classify_intent("@Zappos the surprise upgrade to overnight shipping made my week!!") == "praise"
    assert classify_intent("@Canva would be great to export straight to mp4 with sound") == "suggestion"
    assert classify_intent("@Acme") == "other"


def test_empty_and_batch():
    assert classify_intent("") == "other"
    assert classify_intent("   ") == "other"
    texts = ["How do I pay?", "love it", "", "x" * 50_000]
    assert all(i in INTENTS for i in classify_intents(texts))


def test_uses_given_sentiment():
    text = "the new layout"
    assert classify_intent(text, Sentiment("negative", -0.8)) == "complaint"
    assert classify_intent(text, Sentiment("positive", 0.8)) == "praise"


def test_complaints_without_a_negative_word():
    for text in [
        "Booked a room with a balcony, got one facing the bins",
        "The 8:15 was cancelled and the next one is full",
        "third parcel this month left in the rain",
        "Bank moved my savings to a lower rate without telling me",
        'My order has been "processing" for 12 days',
        "Renewal price went up 30% and I never made a claim",
    ]:
        assert classify_intent(text) == "complaint", text


def test_thanks_for_a_solved_problem_is_praise_but_ironic_thanks_is_not():
    assert classify_intent("Props to the lad who fixed my cracked screen in 20 minutes") == "praise"
    assert classify_intent("They replaced my broken kettle without any fuss, thank you!") == "praise"
    assert classify_intent("Replacement kettle broke too. Thanks a lot.") == "complaint"


def test_more_ways_to_suggest_and_to_ask():
    assert classify_intent("A widget for the balance would make it so much easier") == "suggestion"
    assert classify_intent("any chance of a decaf option at the kiosks?") == "suggestion"
    assert classify_intent("if I switch plans mid month do I pay twice") == "question"
    assert classify_intent("Anyone else watching the final tonight?") == "other"


def test_an_amount_named_as_a_fee_or_charge_is_a_problem_cue():
    from listener_app.domain.intent import _PROBLEM

    for text in ("they added a £35 fee to my booking", "a $20 charge appeared", "the € 35 fee"):
        assert _PROBLEM.found(text), text
    assert not _PROBLEM.found("a 35 minute drive")
