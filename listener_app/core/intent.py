"""Intent: question, complaint, praise, suggestion or other, from transparent patterns.

Questions and complaints are what a customer-service strategist must not miss, so the rules
favour their recall: a post that both asks and complains is a complaint when it is clearly
negative (the problem is the point) and a question otherwise. Order of decisions:

1. suggestion — "please add", "would be great if", "feature request", "you should", "wish it had"
2. complaint — a problem word (broken, refund, charged twice, still waiting, crash, worst...)
   or clearly negative sentiment
3. question — a question mark on a real sentence, or question openers ("how do I", "does it",
   "anyone know", "where can I") even without one
4. praise — clearly positive sentiment or thanks/love words
5. other
"""

from __future__ import annotations

import re

from listener_app.core.sentiment import Sentiment, score_text

INTENTS = ("question", "complaint", "praise", "suggestion", "other")

_SUGGESTION = re.compile(
    r"\b(please (add|make|bring|consider|let us|allow|support)|would (be|love) (great|nice|awesome|it)?\s*(if|to)|"
    r"feature request|you should (add|make|have|consider|offer)|wish (it|you|they|there) (had|would|could|was|were)|"
    r"i'?d love (to see|it if|a)|it would be (great|nice|helpful|awesome)|could you (add|make|please add)|"
    r"why not (add|make|offer)|suggestion:|idea:|hope you (add|bring|consider))",
    re.IGNORECASE,
)
_COMPLAINT = re.compile(
    r"\b(broken|broke|doesn'?t work|does not work|not working|stopped working|won'?t (turn|charge|load|open|work)|"
    r"crash(es|ed|ing)?|refund|charged (me )?(twice|double|again)|overcharg\w*|scam|rip-?off|worst|terrible|"
    r"awful|useless|unacceptable|disappointed|disappointing|frustrat\w*|still waiting|never (arrived|came|received)|"
    r"hasn'?t arrived|no response|nobody (answers|replies|responded)|cancel(l?ed|ling)? my|fed up|"
    r"defective|faulty|dead on arrival|keeps (crashing|dropping|freezing)|fix (this|it|your)|bug(gy)?|glitch|"
    r"dies|died|drains?|draining|overheat\w*|too hot|cracked|lost my|missing|wrong (item|size|charge|model)|late again|"
    # generic markers of something that went wrong or is still not done
    r"still (no|not|waiting|hasn'?t|haven'?t)|no (refund|reply|response|update|explanation|one)|never (got|received|told)|"
    r"(didn'?t|doesn'?t|won'?t|can'?t|isn'?t|wasn'?t) (work|arrive|load|apply|show|let|fit)|"
    r"not (working|ok|cool|impressed|happy)|charged|cancell?ed|refus(ed|es)|declined|delayed|"
    r"(hours?|minutes?|days?|weeks?) (late|later|on hold|and nothing|past)|on hold|waiting|ruined|leaks?|jams?|hurts?)",
    re.IGNORECASE,
)
_QUESTION_OPENER = re.compile(
    r"(^|[.!?]\s+|\n)\s*(how (do|can|does|to|long|much)|does (it|the|this|anyone)|do (you|i|they)|is (it|there|the|this)|"
    r"are (there|you|the)|can (i|you|it|someone)|could (i|you|someone)|what('?s| is| are)|where (can|do|is)|"
    r"when (will|is|does|do)|why (is|does|do|won'?t|can'?t)|which|should i|anyone (know|else|tried)|"
    r"any (idea|tips|way)|has anyone|will (it|the|there))\b",
    re.IGNORECASE,
)
_PRAISE = re.compile(
    r"\b(thank(s| you)|love|loving|amazing|awesome|great job|well done|kudos|shout-?out|impressed|best \w+ ever|"
    r"recommend|fantastic|brilliant|5 stars|five stars)\b|[❤😍🥰👏🙌]",
    re.IGNORECASE,
)
_REAL_QUESTION = re.compile(r"\w[^?\n]{3,300}\?")  # bounded: linear time on long posts
MAX_CHARS = 5000  # the start of a long post says what it is


def classify_intent(text: str, sentiment: Sentiment | None = None) -> str:
    if not text or not text.strip():
        return "other"
    text = text[:MAX_CHARS]
    sentiment = sentiment or score_text(text)
    if _SUGGESTION.search(text):
        return "suggestion"
    problem = _COMPLAINT.search(text) is not None
    asks = _REAL_QUESTION.search(text) is not None or _QUESTION_OPENER.search(text) is not None
    if problem and (sentiment.score < 0.3 or not asks):
        return "complaint"
    if asks:
        return "question"
    if sentiment.score <= -0.2:
        return "complaint"
    if sentiment.score >= 0.35 or (_PRAISE.search(text) and sentiment.score > 0.05):
        return "praise"
    return "other"


def classify_intents(texts: list[str]) -> list[str]:
    return [classify_intent(t) for t in texts]
