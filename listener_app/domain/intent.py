"""Intent: question, complaint, praise, suggestion or other, from transparent patterns.

No training data: each intent has a short list of cue patterns (below, grouped and commented),
and the automatic sentiment is one more feature. The patterns read the post as written to a
brand on social media (`_as_written`): the opening @handles and "RT @name:" taken off, links and
handles reduced, contractions typed without apostrophes spelled out. Questions and complaints are
what a customer-service strategist must not miss, so the order of decisions favours them:

1. Promotion, spam, job ads and business news ("giveaway", "click here", "we're hiring",
   "shares rose") are **other**, unless they also name a problem.
2. A request for a change ("please add", "would be great if", "you should offer", "bring back",
   "any chance of adding") is a **suggestion**, even when phrased as a question, unless the
   post also reports a failure: then it is a complaint (the failure must be answered).
3. A problem cue makes a **complaint**. The cues are grouped in families, each a general way
   customers report a problem (`_PROBLEM`): failures (broken, stuck, "keeps logging me out",
   "won't charge", stale, torn...), waiting and silence ("still no", "nobody can", "on hold", "3
   weeks later"), what was paid for against what came ("booked a sea view, got the car park"),
   money ("charged", "price went up", "£35 fee"), service and handling ("hung up", "without
   telling me"), repetition ("third time", "again"), and irony (scare quotes, "so-called",
   "good to know"). Exception: a thank-you for a problem that was solved ("thanks for the quick
   refund", "props to the guy who fixed my cracked screen") is praise, unless it is ironic
   ("thanks a lot"). When the post also asks, it is a **question** only if it opens with the
   question (not a "why ...?") and is not clearly negative: the answer is then what it needs.
4. A question mark on a real sentence or a question opener ("how do I", "anyone know",
   "wondering if", "if I upgrade, do I pay...") makes a **question**; "anyone else?" after a
   statement, "anyone else watching...", and polls are not questions.
5. Clearly negative sentiment without any cue is a **complaint**, and so is a post that is not
   clearly positive, has no praise cue and shows any weak sign of a grievance (`_GRIEVANCE`:
   specifics of time or money, "still", "only", "supposed to", scare quotes, a contrast, a
   rhetorical "why", a purchase): "in doubt between complaint and other, complaint".
6. Praise cues (thanks, love, kudos, "worth every penny", "10/10", "top marks") or clearly
   positive sentiment make **praise**; anything else is **other**.

docs/intent-labeling.md has the labelling guidelines the patterns follow; `make eval` prints
precision, recall and F1 per intent on the hand-labelled set (dev and held-out).
"""

from __future__ import annotations

import re

from listener_app.domain.patterns import Finder, cues
from listener_app.domain.sentiment import Sentiment, score_text

INTENTS = ("question", "complaint", "praise", "suggestion", "other")
MAX_CHARS = 5000  # the start of a long post says what it is

_START = r"(?:^|[.!?\n]\s*|[,:;]\s+)"  # the start of the post or of a sentence or clause

_PROMO = Finder(
    r"\b(?:giveaway|click here|link in bio|free followers|enter (?:at|now|here)|win an? |retweet (?:to|if)|"
    r"we'?re hiring|is hiring|job opening|dm for details|#jobs|apply now|shares (?:rose|fell|are)|"
    r"earnings call|press release|stepping down|free crypto|claim your|revenue|quarterly|reports? (?:q[1-4]|record|a loss|a profit)|"
    r"(?:reading|read|watching|watched|listening to|new) (?:an? |the |this )?(?:article|report|study|podcast|interview|documentary)\b)"
)

_SUGGESTION = Finder(
    r"\b(?:please|pls|plz) (?:add|make|bring|consider|let|allow|support|include|offer|give|open|do)\b|"
    + _START
    + r"(?:add|bring back|allow us|let us|give us|open a|make the|make it|support|include|offer|put (?:the|it|them|more|some)) |"
    r"\bbring back\b|"
    r"\bwould (?:be|make it) (?:(?:really|so|very|super|much|a lot|extremely) )?(?:great|nice|handy|helpful|amazing|awesome|cool|good|brilliant|useful|perfect)\b|"
    r"\bwould make (?:it|things|life|this|that|everything) (?:(?:so|much|a lot|way) )*(?:easier|better|simpler|nicer|quicker|faster)\b|"
    r"\b(?:it'?d|it would) (?:be (?:great|nice|handy|helpful|amazing|awesome|cool|good|useful)|help)\b|"
    r"\b(?:would|i'?d) love (?:a|an|to see|it if|the option|more|some)\b|\bi'?d pay (?:extra|more) for\b|"
    r"\bwish (?:it|you|they|there|the|your)\b[^.!?\n]{0,30}?\b(?:had|would|could|was|were|offered|supported|did|came|made|sold|let)\b|"
    r"\bfeature request\b|\bsuggestion\b|\bidea:|\bhow about (?:a|an|adding|some|making)\b|"
    r"\bany chance (?:of|you (?:could|can|will)) (?:add|adding|get|getting|bring|bringing|make|making|offer)|"
    r"\bany chance of (?:an?|some|more) (?:\w+ ){0,2}(?:option|version|mode|setting|feature|size|flavou?r|plan|menu|colou?r)s?\b|"
    r"\b(?:really|seriously|desperately) needs? (?:a|an|more|some|to add|better)\b|"
    r"\bneeds? (?:a|an) (?:proper|better|decent|real|dedicated|separate|simple|new)\b|\bbring (?:the|your|our) [^.!?\n]{1,30} back\b|"
    r"\bmore \w+ (?:options|choices|flavou?rs|sizes|colou?rs|dates|slots|staff|trains|routes)\b|"
    r"\bwould you (?:consider|think about|add)\b|\b(?:could|can) you (?:guys |folks |all )?(?:please )?(?:add|make|bring|offer|consider|include|support)\b|"
    r"\bwhy not (?:add|make|offer|have|let|sell|open|allow)\b|\byou (?:really )?(?:should|need to|ought to|could) (?:add|make|have|offer|do|partner|consider|bring|let|include|sell|open|support)\b|"
    r"\byou really need\b|\bwe need (?:more|a|an)\b|\bneed (?:an|a) option\b|\bgive us (?:an?|the) option\b|"
    r"\b(?:mode|option|button|feature|widget|setting|filter) would (?:be|make|help)\b|\bif you added\b|"
    r"\bconsider (?:a|an|adding|selling|offering|longer|making)\b|\bshould (?:show|have|let|offer|include|come with|open|stock|sell|add|start|run|stay open)\b"
)

_NEG = r"(?:does\s*n[o']t|did\s*n[o']t|do\s*n[o']t|wo\s*n[o']t|ca\s*n[o']t|can ?not|could\s*n[o']t|is\s*n[o']t|was\s*n[o']t|are\s*n[o']t|not|never|barely)"
_DURATION = r"(?:\d+|a|an|one|two|three|four|five|six|ten|several|many|multiple)\s*(?:mins?|minutes|hrs?|hours|days|weeks|months)"

# Something went wrong: failures, waiting, money, service, broken promises, irony. Each family is
# a general way customers report a problem, so that posts without a negative word are caught too.
_PROBLEM = Finder(
    # failures of a product or an app
    r"\b(?:broken|broke|breaks|defective|faulty|dead on arrival|doa|crash\w*|freez\w*|glitch\w*|bug|buggy|"
    r"stopped (?:working|heating|charging|\w+ing)|fell apart|burnt out|burned out|shr[au]nk|soaked|leak\w*|spill\w*|"
    r"jams?|cracked|scratched|dent(?:ed)?|unusable|useless|disconnect\w*|drops? (?:the )?(?:connection|calls)|"
    r"dropped calls?|(?:call|connection|signal|wifi|wi-fi|bluetooth) (?:dropped|drops|cuts out)|cuts? out|"
    r"dies|died|dying|drains?|draining|stale|rust(?:y|ed|ing)?|mou?ldy?|rotten|expired|ran out|sold out|out of stock|"
    r"torn|ripped|stain(?:s|ed)?|damaged|dirty|filthy|bent|faded|peel(?:ing|ed)|undercooked|soggy|lukewarm|"
    r"overheat\w*|crackl\w*|flicker\w*|buffer\w*|lag(?:s|gy|ging)?|slow|sluggish|"
    r"(?:is|are|went|goes|been|still) (?:down|offline|dark|black|blank|dead)\b|"
    r"stuck|error\w*|fail(?:s|ed|ing|ure)?|declined|rejected|refused|denied|blocked|not working|"
    r"logs? me out|logged (?:me )?out|locked out|deleted|wiped|killed|out of ink|says (?:invalid|delivered)|invalid|"
    r"doesn'?t exist|tastes? like|cold\b|"
    + _NEG
    + r" (?:work|works|working|load|charge|turn on|connect|sync|arrive|arrived|fit|close|open|apply|applied|show|heat|respond|"
    r"board|get through|believe|go (?:above|below|past|through|on|off)|turn|switch|hold|stay|last|recogni[sz]e|save|remember|"
    r"accept|pick up|answer|help|come|deliver|explain|give|send|refund|reply|fix)|"
    r"(?:ca\s*n[o']t|can ?not|could\s*n[o']t|unable to) (?:get|log|sign|access|reach|use|pay|cancel|change|"
    r"remember|download|stream|watch|play|call|book|check in|print|install|update|reset|unlock)|"
    # waiting, delays, silence
    r"still (?:no|not|waiting|hasn'?t|haven'?t|there|open|nothing|can'?t|won'?t|doesn'?t|cuts|broken|says|showing|charging)|"
    r"(?:has|have)\s*n'?t (?:arrived|updated|hit|come|moved|changed|shown up|been (?:fixed|sorted|resolved|answered|refunded|delivered))|"
    r"never (?:asked|agreed|signed up|ordered|authori[sz]ed) (?:for|to)\b|"
    r"without (?:telling|asking|warning|informing|notice|notifying|consent|my consent|permission)\b|"
    r"no (?:reply|response|answer|refund|update|word|explanation|notice|hot water|one (?:answers|replies)|text|call|email|"
    r"show|working|way to|sign of|one (?:came|called|told|showed)|help)|"
    r"not one reply|(?:nobody|no one) (?:told|answers|replies|announced|called|cares|can|could|has|have|will|would|at|"
    r"mentioned|came|showed|knows|seems|bothered|picks)|never (?:got|received|told|came|arrived|replied|showed|turned up)|"
    r"on hold|(?:been )?waiting|waited|kept me waiting|promised|it'?s been (?:a|\d+|two|three)|late\b|delay\w*|"
    r"(?:arrived|came|got it|showed up|turned up|back) (?:\w+ )?(?:days?|weeks?) later|(?:next|a) week later|"
    + _DURATION
    + r" (?:later|on hold|on the phone|waiting|for an?|to (?:get|fix|answer|reply|deliver|arrive|process|sort))|"
    r"(?:for|since) (?:hours|days|weeks|months|ages)\b|"
    # what was paid for and what came instead
    r"(?:paid|booked|ordered|bought|asked) (?:for )?[^.!?\n]{1,50}?,? (?:got|received|given|showed up|arrived|came|turned up)\b|"
    # money
    r"charged|overcharg\w*|refund|money back|(?:price|fee|bill|rent|premium)s? (?:increase|hike|went up|gone up|"
    r"doubled|tripled|jumped)|raised the price|(?:hidden|extra|admin|late|booking|service) (?:fee|charge)s?|(?:(?<=[£$€])|(?<=[£$€]\s))\d[\d.,]*\s+(?:fee|charge)|doubled|"
    r"cancellation fee|scam|rip-?off|waste of|"
    # service and handling
    r"hung up|ignored|shrugged|sent me in circles|loops? me|need a human|talk to a human|rude|unprofessional|"
    r"cancell?ed|suspended|closed (?:my|our|the) (?:ticket|account|case|complaint)|lost (?:my|our|the)|missing|wrong|different (?:model|price|size|colou?r)|"
    r"nothing (?:at|they could)|for nothing|ended up|impossible|unacceptable|ridiculous|absurd|a joke|"
    r"can'?t believe|fed up|sick of|tired of|worst|terrible|awful|horrible|disappoint\w*|frustrat\w*|annoy\w*|"
    # repetition of a failure
    r"(?:tried|tries|trying) (?:everything|every|all|\d+|two|three|several|multiple|different|restarting|resetting|reinstalling)|"
    r"every single (?:time|day|night|evening|morning|week)|(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) "
    r"(?:time|one|replacement|call|attempt|email|(?:\w+ )?(?:this|in (?:a|two|three|\d+)) (?:weeks?|months?|years?))|(?:^|[.!]\s*)again\b|\d+ times (?:today|this (?:week|month|year)|now|already|in)\b|in a row|another (?:chance|delay|outage)|"
    r"(?:late|down|wrong|broken|cancell?ed|missing|crash\w*|failed|up) again\b|twice|three times|keeps? \w+ing|"
    r"after (?:one|1|a single|two|2|3|three) (?:wash|use|week|weeks|days|smoothies|months)|"
    r"same (?:\w+ ){0,2}(?:problem|issue|fault|noise|error|thing) as|"
    r"(?:\d+|two|three|four|five|six|several|multiple) (?:different )?(?:reps|agents|people|departments|numbers)\b|"
    r"(?:tells?|told|gives?|gave) (?:me|us) (?:something|a) different|different answers?)|"
    # irony: scare quotes around a promise or label, "so-called", sarcasm markers
    r"(?:^|\s)\"[^\"\n]{2,30}\"(?=\s+(?:plan|promise|seats?|price|increase|service|support|deal|guarantee|trial|"
    r"jacket|room|delivery)\b)|\bso-called\b|🙄|😡|🤬|👎|\b(?:thanks|thank you) for nothing\b|\bgood to know\b|\bnope\b|\bimagine (?:having|getting|being able)\b"
)

_RESOLVED_THANKS = Finder(
    r"\b(?:thanks?|thank (?:you|u)|kudos|legends?|well done|above and beyond|customer for life|that'?s how (?:it'?s done|you)|"
    r"shout-?out|hats off|fair play|appreciate\w*|props to|deserves? (?:a|an)|impressed|without (?:any|a|a single) "
    r"(?:fuss|issue|problem|hassle|hiccup|question)|no fuss|sorted (?:it|me|my|us|everything)|recommend)\b"
)

# The problem was dealt with: with a thank-you, the post is praise for how it was solved.
_RESOLVED = Finder(
    r"\b(?:fixed|replaced|sorted|resolved|refunded|swapped|repaired|sent (?:me )?(?:a )?(?:replacement|new one)|"
    r"(?:stayed|came|went) (?:late|back|out of (?:his|her|their) way))\b"
)
_IRONIC = Finder(
    r"\b(?:thanks? (?:a lot|for nothing|for that)|great job|well done)\b.{0,3}$|\bthanks for nothing\b"
)

_QUESTION_OPENER = Finder(
    _START + r"(?:(?:hey|hi|hello|quick q:?|question:?|so|ok|pls|please),?\s+)?"
    r"(?:how (?:do|can|does|to|long|much|many|early|often|would|should)|what(?:'?s| is| are| does| do| time| happens)|"
    r"where (?:can|do|is|are|does)|when (?:will|is|does|do|are|can)|which\b|who (?:do|can|should|is)|"
    r"(?:is|are|was) (?:there|it|the|this|that|anyone|my|your|you|they|dogs|it normal)|"
    r"(?:do|does|did) (?:you|i|they|the|it|this|anyone|anybody|my|your|we)|"
    r"(?:can|could|will|would|should) (?:i|you|someone|anyone|we|the|my|it|this)|"
    r"(?:has|have) (?:anyone|anybody|you)|any (?:idea|ideas|tips|way|advice|news|update)|"
    r"anyone (?:know|tried|have|used|else know)|anybody (?:know|tried)|does anybody|"
    r"wondering (?:if|whether|how|when|what)|curious (?:if|whether|how|about)|"
    r"(?:i'?d like|i want|i need|need) to know|looking for (?:advice|recommendations|help|tips)|"
    r"trying to (?:figure out|find out|work out)|not sure (?:if|whether|how)|help me|"
    r"if (?:i|we|you|my)\b[^.?!\n]{3,80}?\b(?:do|does|will|would|can|should) (?:i|we|you|it|they|my))\b"
)
_WORD = re.compile(r"\w")
QUESTION_REACH = 300  # characters a question's sentence may run to its "?"
_NOT_A_QUESTION = Finder(
    r"\b(?:anyone else|poll:|who else|am i right|right)\s*\?*\s*$|\bpoll:|^\W*(?:is )?anyone else \w+ing\b"
)
_RHETORICAL = Finder(
    r"^\s*why\b|\bis anyone (?:there|listening|home)\b|\bseriously\s*\?|\bwhy is it so\b|\bare you (?:kidding|serious)\b|"
    r"\bhow (?:hard|difficult) (?:is|can) it\b|\bwhat'?s the point\b|\b\w+ much\?+\s*$|"
    r"^\s*so (?:i|we|you) (?:have|need|got) to\b|\bcoincidence\s*\?"
)

# A question about the state of one's own order, account or device: with a sign of a breach
# (times, "still", "supposed to", "said"...), the question wraps a complaint (guideline 4).
_OWN_STATUS = Finder(
    _START
    + r"(?:where(?:'s| is| are) my|what happened to my|why (?:is|are|has|have|does|did|was|hasn't|haven't|isn't|"
    r"doesn't|didn't|won't|can't) (?:my|it|this|the)|when (?:will|is|does) my)\b"
)

_PRAISE = Finder(
    r"\b(?:thanks?|thank (?:you|u)|love|loving|loved|amazing|awesome|great job|well done|kudos|shout-?out|impressed|"
    r"best|recommend|fantastic|brilliant|excellent|superb|perfect(?:ly)?|legends?|star|hero|fan|"
    r"worth every penny|a joy|never let me down|like new|customer for life|hats off|fair play|"
    r"above and beyond|deserves a raise|5 stars|five stars|10/10|a\+|beast|unreal|magic|gorgeous|lovely|"
    r"so kind|easiest|smooth|reliable|comfiest|most comfortable|top (?:marks|notch|class|service)|props|deserves?|painless|obsessed|improvement|nice one|"
    r"made my (?:day|week|month|year|morning)|(?:so|much|way) (?:much )?(?:faster|better|easier|quicker)|never change|"
    r"never (?:once )?(?:let|messed|failed|missed|had an? (?:issue|problem))|without (?:any|a|a single) (?:issue|problem|hiccup|fuss))\b|[❤😍🥰👏🙌👌💯]"
)


# Weak signs of a grievance, each common in complaints that name no failure: specifics of time
# and money, expectation words ("still", "only", "supposed to"), scare quotes, a contrast, a
# repetition, a rhetorical "why", a purchase. Any of them in a post that is not clearly positive and
# has no other intent makes a complaint: "in doubt between complaint and other, complaint".
_GRIEVANCE = Finder(
    r"\b(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|several|many|half an?)\s*"
    r"(?:mins?|minutes|hrs?|hours?|days?|weeks?|months?|years?)\b|\b\d{1,2}[:.]\d\d\b|"
    r"\b(?:still|only|always|already|anymore|any more|even|at best|used to|supposed to|instead|yet|"
    r"(?:right|just|until|till) now)\b|"
    r"(?:^|\s)[\"“][^\"”\n]{1,25}[\"”]|"
    r"\b(?:but|though|although|however)\b|"
    r"\bevery (?:time|day|night|evening|morning)\b|\bagain\b|"
    r"^\W*why\b|\bhow come\b|"
    r"[£$€]\s?\d|\d\s?%|\b\d+ (?:quid|dollars|euros|pounds)\b|"
    r"\b(?:paid|paying|pay|booked|ordered|bought)\b"
)


# Social posts as the patterns expect them: the @handles a reply or a tweet to a brand opens with
# (and a retweet's "RT @name:") taken off so that the post starts where its words start, links
# and other @handles reduced to a word, and the contractions and shorthand people type without
# apostrophes ("didnt", "cant", "r u") spelled out.
_ADDRESS = re.compile(r"^(?:\s*(?:rt\s+)?(?:\.?@\w+:?,?))+\s*")
_LINK = re.compile(r"(?:https?://|www\.)\S+")
_HANDLE = re.compile(r"(?<![\w@])@\w+")
_SHORTHAND = {
    "dont": "don't", "didnt": "didn't", "doesnt": "doesn't", "cant": "can't", "couldnt": "couldn't",
    "wont": "won't", "wouldnt": "wouldn't", "isnt": "isn't", "wasnt": "wasn't", "arent": "aren't",
    "werent": "weren't", "hasnt": "hasn't", "havent": "haven't", "hadnt": "hadn't", "shouldnt": "shouldn't",
    "aint": "ain't", "im": "i'm", "ive": "i've", "youre": "you're", "u": "you", "r": "are", "ur": "your",
    "y": "why", "pls": "please", "plz": "please", "thx": "thanks", "ty": "thank you",
}  # fmt: skip
# (As a tree of cues, twice as fast; the same stretches: each alternative is a whole word.)
_SHORT = cues(r"\b(?:" + "|".join(_SHORTHAND) + r")\b")


def _as_written(text: str) -> str:
    """The lower-cased post with its opening address, links, handles and shorthand normalized."""
    text = _ADDRESS.sub("", text)
    if "http" in text or "www." in text:
        text = _LINK.sub(" ", text)
    if "@" in text:
        text = _HANDLE.sub("someone", text)
    return _SHORT.sub(lambda m: _SHORTHAND[m.group(0)], text).strip()


def _asks(text: str) -> bool:
    if (
        "right" in text or "anyone else" in text or "who else" in text or "poll:" in text
    ) and _NOT_A_QUESTION.found(text):  # (what _NOT_A_QUESTION needs, tested first: several times faster)
        return False
    return _real_question(text) or _QUESTION_OPENER.found(text)


def _real_question(text: str) -> bool:
    """Whether a "?" ends a sentence of words: a word character, then 3 to QUESTION_REACH
    characters on the same line without a "?" (the pattern \\w[^?\\n]{3,300}\\?, found in one
    pass: as a pattern it tried every word of a line before a line break again)."""
    previous = -1
    while (mark := text.find("?", previous + 1)) >= 0:
        start = max(previous, text.rfind("\n", previous + 1, mark)) + 1
        if _WORD.search(text, max(start, mark - QUESTION_REACH - 1), mark - 3) is not None:
            return True
        previous = mark
    return False


def classify_intent(text: str, sentiment: Sentiment | None = None) -> str:
    if not text or text.isspace():
        return "other"
    text = text[:MAX_CHARS].strip()
    sentiment = sentiment or score_text(text)
    text = _as_written(text.lower())  # the patterns are written in lower case: faster than IGNORECASE
    if not text:
        return "other"
    problem = _PROBLEM.found(text)
    if not problem and _PROMO.found(text):
        return "other"
    if not problem and _SUGGESTION.found(text):
        return "suggestion"
    asks = _asks(text)
    if problem:
        if (
            _RESOLVED_THANKS.found(text)
            and (sentiment.score > 0.05 or _RESOLVED.found(text))
            and not asks
            and not _IRONIC.found(text)
        ):
            return "praise"
        if (
            asks
            and _QUESTION_OPENER.found_at_start(text)
            and sentiment.score > -0.4
            and not _RHETORICAL.found(text)
        ):
            return "question"
        return "complaint"
    if asks:
        if _OWN_STATUS.found(text) and _GRIEVANCE.found(text) and sentiment.score < 0.3:
            return "complaint"  # "where is my order? it was supposed to arrive monday": it wraps a breach
        return "complaint" if sentiment.score < 0 and _RHETORICAL.found(text) else "question"
    praise = _PRAISE.found(text)
    if sentiment.score <= -0.25 or (sentiment.score < 0.3 and not praise and _GRIEVANCE.found(text)):
        return "complaint"
    if (praise and sentiment.score >= 0.0) or sentiment.score >= 0.4:
        return "praise"
    return "other"


def classify_intents(texts: list[str]) -> list[str]:
    return [classify_intent(t) for t in texts]
