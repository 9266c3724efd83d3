"""The response playbook: a guided assessment of a mention, after the US Air Force's well-known
"web posting response assessment", extended with questions and spam.

The strategist answers a few questions in the detail pane; `assess()` turns the answers, the
author's influence and the site's reach into a recommendation: what to do, the status to set,
the reply template to start from, and why.

    Is it spam?                          -> ignore
    Is it a question?                    -> answer it (or refer it to the right team)
    Is it positive or balanced?          -> thank / amplify / let it stand
    Negative: is the site or author dedicated to bashing (a troll)?     -> monitor only
    Negative: is it a rant, rage, joke or satire (a rager)?             -> monitor only
    Negative: are the facts wrong (misguided)?                          -> fix the facts, cite a source
    Negative: is it the result of a bad experience (unhappy customer)?  -> restore: fix it, offer a remedy
    Otherwise                                                           -> let it stand, monitor
Final step: influence. A high-influence author or a high-reach site raises the priority (a
positive post becomes worth amplifying; a troll with a large audience is watched closely); a
low-influence rant is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

HIGH_INFLUENCE = 60  # author influence (0-100) from which a post is worth extra care
HIGH_REACH = 10_000  # followers / site audience from which a post is worth extra care


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    help: str


# The questions in the order they are asked; a "yes" to one ends the walk (see `walk`).
QUESTIONS = (
    Question("spam", "Is it spam, a scam or a job post?", "Ads, giveaways, phishing, recruiting."),
    Question(
        "question", "Is the author asking something?", "A how-to, a does-it, a where-is, even without '?'."
    ),
    Question("positive", "Is it positive or balanced?", "Praise, a fair review, a neutral mention."),
    Question("troll", "Is the author or site dedicated to bashing others?", "A troll: engaging feeds them."),
    Question("rager", "Is it a rant, rage, joke or satire?", "A rager: let the storm pass."),
    Question("misguided", "Are the facts wrong?", "Misguided: wrong price, policy, spec or story."),
    Question(
        "unhappy", "Is it the result of a bad experience?", "An unhappy customer: a real problem to fix."
    ),
)


@dataclass(frozen=True)
class Outcome:
    key: str
    title: str
    action: str
    status: str
    template: str | None  # the key of the default reply template


OUTCOMES = {
    "ignore_spam": Outcome("ignore_spam", "Spam", "Ignore it; report it on the platform if it is a scam.", "ignored", None),
    "answer": Outcome("answer", "Answer", "Answer the question, or refer it to the team that can.", "needs_response", "answer"),
    "thank": Outcome("thank", "Thank", "Thank the author with a short, personal reply.", "needs_response", "thank"),
    "amplify": Outcome("amplify", "Amplify", "Thank the author and share the post with your audience.", "needs_response", "amplify"),
    "let_stand": Outcome("let_stand", "Let it stand", "No reply needed; it speaks for itself.", "done", None),
    "monitor_troll": Outcome("monitor_troll", "Troll: monitor only", "Do not engage; watch for anything that needs facts.", "monitoring", None),
    "monitor_rager": Outcome("monitor_rager", "Rager: monitor only", "Let it pass; reply only if it spreads with wrong facts.", "monitoring", None),
    "fix_facts": Outcome("fix_facts", "Fix the facts", "Reply with the correct facts and a source, politely.", "needs_response", "fix_facts"),
    "restore": Outcome("restore", "Restore", "Fix the problem, reply with a remedy, and follow up.", "needs_response", "restore"),
    "monitor": Outcome("monitor", "Let it stand, monitor", "No reply now; keep an eye on it.", "monitoring", None),
}  # fmt: skip

_YES_OUTCOME = {
    "spam": "ignore_spam",
    "question": "answer",
    "positive": "thank",
    "troll": "monitor_troll",
    "rager": "monitor_rager",
    "misguided": "fix_facts",
    "unhappy": "restore",
}


@dataclass
class Assessment:
    outcome: Outcome
    answers: dict[str, bool]
    priority: str  # "high" or "normal"
    reasons: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.outcome.status


def next_question(answers: dict[str, bool]) -> Question | None:
    """The next question to ask, or None when the answers already decide the outcome."""
    for question in QUESTIONS:
        if question.key not in answers:
            return question
        if answers[question.key]:
            return None
    return None


def assess(answers: dict[str, bool], *, influence: int = 0, reach: int = 0) -> Assessment:
    """The recommendation for these answers, weighed by the author's influence and the reach."""
    outcome_key = "monitor"
    reasons: list[str] = []
    for question in QUESTIONS:
        if answers.get(question.key):
            outcome_key = _YES_OUTCOME[question.key]
            reasons.append(f"{question.text} Yes.")
            break
        if question.key in answers:
            reasons.append(f"{question.text} No.")
    influential = influence >= HIGH_INFLUENCE or reach >= HIGH_REACH
    if influential:
        reasons.append(f"Influential author or site (influence {influence}, reach {reach:,}).")
    if outcome_key == "thank" and influential:
        outcome_key = "amplify"
    elif outcome_key == "thank" and influence < 10 and reach < 100:
        reasons.append("Small audience: a thank-you is optional.")
    priority = "high" if influential and outcome_key not in ("ignore_spam", "let_stand") else "normal"
    if outcome_key in ("restore", "answer") and not influential:
        priority = "normal"
    return Assessment(OUTCOMES[outcome_key], dict(answers), priority, reasons)


def presumed(
    intent: str | None, sentiment: str | None, *, spam: bool = False
) -> tuple[dict[str, bool], str] | None:
    """The answers the detected labels already give, and the guess in words ("an unhappy
    customer"), for the strategist to confirm with one key; None when the labels say too little.

    A complaint, or a question asked in anger (on hold for an hour, "can anyone help?"), is an
    unhappy customer before it is a question; a calm question is a question; praise, a
    suggestion or a positive post is positive."""
    no = dict.fromkeys(("spam", "question", "positive", "troll", "rager", "misguided"), False)
    if spam:
        return {"spam": True}, "spam"
    if intent == "complaint" or (intent == "question" and sentiment == "negative"):
        return {**no, "unhappy": True}, "an unhappy customer"
    if intent == "question":
        return {"spam": False, "question": True}, "a question"
    if intent in ("praise", "suggestion") or sentiment == "positive":
        return {"spam": False, "question": False, "positive": True}, "positive"
    return None
