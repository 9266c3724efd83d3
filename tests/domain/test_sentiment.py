from __future__ import annotations

import threading

from listener_app.domain.sentiment import LABELS, Sentiment, score_text, score_texts, score_texts_parallel


def test_social_text():
    assert score_text("I love it 😍").label == "positive"
    assert score_text("not good").label == "negative"
    assert score_text("not good at all").label == "negative"
    assert score_text("@acme http://x.co") == Sentiment("neutral", 0.0)
    assert score_text("@acme https://acme.example/p/1").label == "neutral"
    assert score_text("sooooo goooood").label == "positive"
    assert score_text("Great, my order is late again. Thanks a lot.").label == "negative"


def test_empty_text_is_neutral_zero():
    for text in ("", "   ", "\n\t"):
        assert score_text(text) == Sentiment("neutral", 0.0)
    assert score_texts([]) == []


def test_emphasis_makes_it_stronger():
    assert score_text("GREAT").score > score_text("great").score > 0
    assert score_text("This is GREAT").score > score_text("This is great").score
    assert score_text("this is sooooo good").score > score_text("this is so good").score


def test_emoji_and_emoticons():
    assert score_text("new update 👍").label == "positive"
    assert score_text("new update 👎").label == "negative"
    assert score_text("delivery was late again 😡").label == "negative"
    assert score_text(":(").label == "negative"
    assert score_text(":)").label == "positive"


def test_but_clause_leans_to_what_follows():
    assert score_text("good but the battery died after a day").score < 0
    assert score_text("The screen is good but the battery died after a day, awful").label == "negative"


def test_customer_failures_without_negative_words():
    assert score_text("it stopped working after a week").label == "negative"
    assert score_text("save your money.").label == "negative"
    assert score_text("the app crashes every time I open it").label == "negative"


def test_handles_and_urls_are_ignored():
    assert score_text("@happy_guy check https://great.example/love").label == "neutral"


def test_score_in_range_and_labels_known():
    for text in ["😍😍😍 LOVE LOVE LOVE!!!!", "worst worst WORST 😡😡", "meh", "x" * 50_000]:
        s = score_text(text)
        assert -1.0 <= s.score <= 1.0 and s.label in LABELS


def test_long_text_is_not_slow():
    import time

    started = time.perf_counter()
    score_text("this is a terrible product but the staff are lovely. " * 1000)
    assert time.perf_counter() - started < 1.0


def test_parallel_matches_serial_from_a_thread():
    texts = ["I love it", "this is terrible", "ok"] * 800
    result: list[list[Sentiment]] = []
    thread = threading.Thread(target=lambda: result.append(score_texts_parallel(texts, processes=2)))
    thread.start()
    thread.join(60)
    assert result and result[0] == score_texts(texts)
    assert score_texts_parallel(texts[:10]) == score_texts(texts[:10])  # small batches in process


def test_failure_reports_are_negative():
    for text in [
        "My Acme Phone 12 Pro battery dies before lunch.",
        "Returned my Acme Buds 12 days ago, Acme confirmed they received it, still no refund.",
        "Emailed support twice, no reply.",
        "40 minutes on hold with Acme support and then the call dropped.",
        "I'd look elsewhere.",
    ]:
        assert score_text(text).label == "negative", text


def test_service_words_are_not_praise():
    # "support" and "care" name a department here; VADER alone reads them as kind words
    assert score_text("I called tech support about the update").label == "neutral"
    assert score_text("Chat support at Acme just pastes the same three answers").score <= 0


def test_good_news_put_as_the_absence_of_a_bad_one():
    assert score_text("They replaced it without any fuss").label == "positive"
    assert score_text("I can't recommend this grinder enough").label == "positive"
    assert score_text("My back has never felt better").label == "positive"


def test_social_spellings():
    assert score_text("Lovin it").label == "positive"
    assert score_text("forgot my keys again D:").label == "negative"


def test_a_question_weighs_less_than_a_statement():
    asked = score_text("Is the new update going to be good?").score
    said = score_text("The new update is going to be good.").score
    assert 0 < asked < said
