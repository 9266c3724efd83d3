"""Intent: question, complaint, praise, suggestion or other, from transparent patterns.

No training data: each intent has a short list of cue patterns (below, grouped and commented),
and the automatic sentiment is one more feature. Questions and complaints are what a
customer-service strategist must not miss, so the order of decisions favours them:

1. Promotion, spam, job ads and business news ("giveaway", "click here", "we're hiring",
   "shares rose") are **other**, unless they also name a problem.
2. A request for a change ("please add", "would be great if", "you should offer", "bring back",
   "any chance of adding") is a **suggestion**, even when phrased as a question, unless the
   post also reports a failure: then it is a complaint (the failure must be answered).
3. A problem cue (something broken, late, missing, charged, cancelled, a broken promise, a
   sarcasm marker, scare quotes around a promise) makes a **complaint**, except a thank-you for a
   problem that was solved ("thanks for the quick refund"), which is praise. When the post also
   asks, it is a **question** only if it opens with the question (not a "why ...?") and is not
   clearly negative: the answer is then what the author needs.
4. A question mark on a real sentence or a question opener ("how do I", "anyone know",
   "wondering if", "I'd like to know") makes a **question**; "anyone else?" after a statement
   and polls are not questions.
5. Clearly negative sentiment without any cue is a **complaint**; praise cues (thanks, love,
   kudos, "worth every penny", "10/10") or clearly positive sentiment make **praise**.
6. Anything else is **other**.

docs/intent-labeling.md has the labelling guidelines the patterns follow; `make eval` prints
precision, recall and F1 per intent on the hand-labelled set (dev and held-out).
"""

from __future__ import annotations

import re

from listener_app.core.sentiment import Sentiment, score_text

INTENTS = ("question", "complaint", "praise", "suggestion", "other")
MAX_CHARS = 5000  # the start of a long post says what it is

_I = re.IGNORECASE
_START = r"(?:^|[.!?\n]\s*|[,:;]\s+)"  # the start of the post or of a sentence or clause

_PROMO = re.compile(
    r"\b(?:giveaway|click here|link in bio|free followers|enter (?:at|now|here)|win an? |retweet (?:to|if)|"
    r"we'?re hiring|is hiring|job opening|dm for details|#jobs|apply now|shares (?:rose|fell|are)|"
    r"earnings call|press release|stepping down|free crypto|claim your)",
    _I,
)

_SUGGESTION = re.compile(
    r"\b(?:please|pls|plz) (?:add|make|bring|consider|let|allow|support|include|offer|give|open|do)\b|"
    + _START
    + r"(?:add|bring back|allow us|let us|give us|open a|make the|make it|support|include|offer) |"
    r"\bbring back\b|"
    r"\bwould (?:be|make it) (?:great|nice|handy|helpful|amazing|awesome|cool|good|brilliant|useful|perfect)\b|"
    r"\b(?:it'?d|it would) (?:be (?:great|nice|handy|helpful|amazing|awesome|cool|good|useful)|help)\b|"
    r"\b(?:would|i'?d) love (?:a|an|to see|it if|the option|more|some)\b|\bi'?d pay (?:extra|more) for\b|"
    r"\bwish (?:it|you|they|there|the \w+|your \w+) (?:had|would|could|was|were|offered|supported|did)\b|"
    r"\bfeature request\b|\bsuggestion\b|\bidea:|\bhow about (?:a|an|adding|some|making)\b|"
    r"\bany chance (?:of|you (?:could|can|will)) (?:add|adding|get|getting|bring|bringing|make|making|offer)|"
    r"\bwould you (?:consider|think about|add)\b|\b(?:could|can) you (?:please )?(?:add|make|bring|offer|consider|include|support)\b|"
    r"\bwhy not (?:add|make|offer|have)\b|\byou (?:really )?(?:should|need to|ought to|could) (?:add|make|have|offer|do|partner|consider|bring|let|include|sell|open|support)\b|"
    r"\byou really need\b|\bwe need (?:more|a|an)\b|\bneed (?:an|a) option\b|\bgive us (?:an?|the) option\b|"
    r"\b(?:mode|option|button|feature|widget|setting|filter) would (?:be|make|help)\b|\bif you added\b|"
    r"\bconsider (?:a|an|adding|selling|offering|longer|making)\b|\bshould (?:show|have|let|offer|include|come with)\b",
    _I,
)

# Something went wrong: failures, waiting, money, service, broken promises, irony.
_PROBLEM = re.compile(
    # failures of a product or an app
    r"\b(?:broken|broke|breaks|defective|faulty|dead on arrival|doa|crash\w*|freez\w*|glitch\w*|bug|buggy|"
    r"stopped (?:working|heating|charging|\w+ing)|fell apart|burnt out|burned out|shr[au]nk|soaked|leak\w*|spill\w*|"
    r"jams?|cracked|scratched|dent(?:ed)?|unusable|useless|disconnect\w*|drops? (?:the )?(?:connection|calls)|"
    r"logs? me out|logged out|locked out|deleted|wiped|killed|out of ink|says (?:invalid|delivered)|invalid|"
    r"doesn'?t exist|tastes? like|cold\b|"
    r"(?:does\s*n[o']t|did\s*n[o']t|wo\s*n[o']t|ca\s*n[o']t|could\s*n[o']t|is\s*n[o']t|was\s*n[o']t|not|never|barely) "
    r"(?:work|works|working|load|charge|turn on|connect|sync|arrive|arrived|fit|close|open|apply|applied|show|heat|respond|"
    r"board|get through|believe)|"
    # waiting, delays, silence
    r"still (?:no|not|waiting|hasn'?t|haven'?t|there|open|nothing)|hasn'?t (?:arrived|updated|hit|come)|"
    r"no (?:reply|response|answer|refund|update|word|explanation|notice|hot water|one (?:answers|replies))|"
    r"not one reply|nobody (?:told|answers|replies|announced|called|cares)|never (?:got|received|told|came|arrived|replied)|"
    r"on hold|(?:been )?waiting|waited|kept me waiting|promised|it'?s been (?:a|\d+|two|three)|late\b|delay\w*|"
    r"(?:arrived|came|got it) (?:\w+ )?(?:days?|weeks?) later|(?:next|a) week later|"
    # money
    r"charged|overcharg\w*|refund|money back|(?:price|fee) (?:increase|hike)|raised the price|hidden fee|"
    r"cancellation fee|scam|rip-?off|waste of|"
    # service and handling
    r"hung up|ignored|sent me in circles|loops? me|need a human|talk to a human|rude|unprofessional|"
    r"cancell?ed|suspended|lost (?:my|our|the)|missing|wrong|different (?:model|price|size)|"
    r"nothing (?:at|they could)|for nothing|ended up|impossible|unacceptable|ridiculous|a joke|"
    r"can'?t believe|fed up|sick of|tired of|worst|terrible|awful|horrible|disappoint\w*|frustrat\w*|annoy\w*|"
    # repetition of a failure
    r"every (?:single )?time|(?:second|third|fourth|\d+(?:st|nd|rd|th)) time|(?:^|[.!]\s*)again\b|"
    r"(?:late|down|wrong|broken|cancell?ed|missing|crash\w*|failed) again\b|twice|three times|keeps? \w+ing|"
    r"after (?:one|1|a single|two|2|3|three) (?:wash|use|week|weeks|days|smoothies|months))|"
    # irony: scare quotes around a promise or label, "so-called", sarcasm markers
    r"(?:^|\s)\"[^\"\n]{2,30}\"(?=\s+(?:plan|promise|seats?|price|increase|service|support|deal|guarantee)\b)|"
    r"\bso-called\b|🙄|😡|🤬|👎|\b(?:thanks|thank you) for nothing\b|\bgood to know\b",
    _I,
)

_RESOLVED_THANKS = re.compile(
    r"\b(?:thanks?|thank (?:you|u)|kudos|legends?|well done|above and beyond|customer for life|that'?s how it'?s done|"
    r"shout-?out|hats off|fair play|appreciate)\b",
    _I,
)

_QUESTION_OPENER = re.compile(
    _START + r"(?:(?:hey|hi|hello|quick q:?|question:?|so|ok|pls|please),?\s+)?"
    r"(?:how (?:do|can|does|to|long|much|many|early|often|would|should)|what(?:'?s| is| are| does| do| time| happens)|"
    r"where (?:can|do|is|are|does)|when (?:will|is|does|do|are|can)|which\b|who (?:do|can|should|is)|"
    r"(?:is|are|was) (?:there|it|the|this|that|anyone|my|your|dogs|it normal)|"
    r"(?:do|does|did) (?:you|i|they|the|it|this|anyone|anybody|my|your|we)|"
    r"(?:can|could|will|would|should) (?:i|you|someone|anyone|we|the|my|it|this)|"
    r"(?:has|have) (?:anyone|anybody|you)|any (?:idea|ideas|tips|way|advice|news|update)|"
    r"anyone (?:know|tried|have|used|else know)|anybody (?:know|tried)|does anybody|"
    r"wondering (?:if|whether|how|when|what)|curious (?:if|whether|how|about)|"
    r"(?:i'?d like|i want|i need|need) to know|looking for (?:advice|recommendations|help|tips)|"
    r"trying to (?:figure out|find out|work out)|not sure (?:if|whether|how)|help me)\b",
    _I,
)
_REAL_QUESTION = re.compile(r"\w[^?\n]{3,300}\?")  # bounded: linear time on long posts
_NOT_A_QUESTION = re.compile(r"\b(?:anyone else|poll:|who else|am i right|right)\s*\?*\s*$|\bpoll:", _I)
_RHETORICAL = re.compile(
    r"^\s*why\b|\bis anyone (?:there|listening|home)\b|\bseriously\s*\?|\bwhy is it so\b|\bare you (?:kidding|serious)\b|"
    r"\bhow (?:hard|difficult) (?:is|can) it\b|\bwhat'?s the point\b",
    _I,
)

_PRAISE = re.compile(
    r"\b(?:thanks?|thank (?:you|u)|love|loving|loved|amazing|awesome|great job|well done|kudos|shout-?out|impressed|"
    r"best|recommend|fantastic|brilliant|excellent|superb|perfect(?:ly)?|legends?|star|hero|fan|"
    r"worth every penny|a joy|never let me down|like new|customer for life|hats off|fair play|"
    r"above and beyond|deserves a raise|5 stars|five stars|10/10|a\+|beast|unreal|magic|gorgeous|lovely|"
    r"so kind|easiest|smooth|reliable|comfiest|most comfortable)\b|[❤😍🥰👏🙌👌💯]",
    _I,
)


def _asks(text: str) -> bool:
    if _NOT_A_QUESTION.search(text):
        return False
    return _REAL_QUESTION.search(text) is not None or _QUESTION_OPENER.search(text) is not None


def classify_intent(text: str, sentiment: Sentiment | None = None) -> str:
    if not text or text.isspace():
        return "other"
    text = text[:MAX_CHARS].strip()
    sentiment = sentiment or score_text(text)
    problem = _PROBLEM.search(text) is not None
    if _PROMO.search(text) and not problem:
        return "other"
    if _SUGGESTION.search(text) and not problem:
        return "suggestion"
    asks = _asks(text)
    if problem:
        if _RESOLVED_THANKS.search(text) and sentiment.score > 0.05 and not asks:
            return "praise"
        if asks and _QUESTION_OPENER.match(text) and not _RHETORICAL.search(text) and sentiment.score > -0.4:
            return "question"
        return "complaint"
    if asks:
        return "complaint" if _RHETORICAL.search(text) and sentiment.score < 0 else "question"
    if sentiment.score <= -0.25:
        return "complaint"
    if (_PRAISE.search(text) and sentiment.score >= 0.0) or sentiment.score >= 0.4:
        return "praise"
    return "other"


def classify_intents(texts: list[str]) -> list[str]:
    return [classify_intent(t) for t in texts]
