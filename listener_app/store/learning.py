"""What learning keeps in the workspace, and the labels it learns from (SQL only: the models are
fitted and used in workspace.learning).

- The strategist's labels: a mention's sentiment and intent set by hand, and its tags set by hand
  (a mention with manual tags is a "no" for each tag it lacks). `mentions_for_learning` reads
  them with what a model reads of the mention.
- `doc_verdicts`: the automatic verdicts a model reads of a mention (VADER, TextBlob, sarcasm,
  the automatic sentiment and intent), kept because reading them costs about half a millisecond a
  post, and because a label set by hand (or learned) takes the automatic one's place in
  `mentions`. `text_key` says which text they were read from: a mention whose text changed is
  read again.
- `learned_models`: each model's bytes (`Learner.to_bytes`) and, beside them as JSON, the labels
  it was fitted on and its estimate, so the learning panel reads them without loading a model.
- `asked`: the latest "ask me" ranking (`is:asked`).
- Settings: the labels' generation, which every change of a manual label moves on by the number
  of mentions it changed; the generation the models were last fitted at (the difference is how
  far they are behind) and how many fits there have been; and the auto-apply threshold.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from listener_app.store.chunks import chunked, in_list
from listener_app.store.connection import Store
from listener_app.store.settings import get_setting, set_setting

AUTO_APPLY_KEY = "learning.auto_apply"
GENERATION_KEY = "learning.generation"
FITTED_KEY = "learning.fitted_generation"
ASKED_KEY = "learning.asked"  # how the latest ranking was made: {"ranked", "among", "unlabelled"}
MANUAL_SQL = "(sentiment_origin = 'manual' OR intent_origin = 'manual')"  # see the mentions_labelled index
UNLABELLED_SQL = (
    "m.sentiment_origin IS NOT 'manual' AND m.intent_origin IS NOT 'manual' AND NOT EXISTS "
    "(SELECT 1 FROM mention_tags mt WHERE mt.mention_id = m.id AND mt.origin = 'manual')"
)


@dataclass(frozen=True)
class Verdicts:
    """The automatic verdicts stored for a mention (domain.learning.documents.Doc without text)."""

    text_key: int
    vader: float
    blob: float
    sarcasm: bool
    sentiment: str
    score: float
    intent: str


@dataclass(frozen=True)
class LearningRow:
    """A mention as learning reads it: its text, the labels set by hand, what stands now, and
    the automatic verdicts (stored ones: `verdicts`; in `mentions` while they stand: `auto`)."""

    id: int
    body: str
    sentiment: str | None  # set by hand
    intent: str | None  # set by hand
    tags: frozenset[int]  # set by hand
    learned_tags: frozenset[int]
    sentiment_origin: str | None
    intent_origin: str | None
    auto: tuple[str, float] | None  # the automatic sentiment and score, while they stand
    auto_intent: str | None  # the automatic intent, while it stands
    verdicts: Verdicts | None
    ours: bool  # the brand wrote it: context, never labelled by what was learned

    def label(self, model: str) -> str | None:
        """The strategist's label for a model ("sentiment", "intent" or "tag:<id>"): a tag model's
        "yes" where the tag was set by hand, "no" where other tags were and this one was not."""
        if model == "sentiment":
            return self.sentiment
        if model == "intent":
            return self.intent
        tag_id = int(model.removeprefix("tag:"))
        return "yes" if tag_id in self.tags else "no" if self.tags else None


_ROWS = """
    SELECT m.id, coalesce(m.title || char(10), '') || m.text,
           CASE WHEN m.sentiment_origin = 'manual' THEN m.sentiment END,
           CASE WHEN m.intent_origin = 'manual' THEN m.intent END,
           (SELECT group_concat(t.tag_id || ':' || t.origin) FROM mention_tags t
             WHERE t.mention_id = m.id AND t.origin IN ('manual', 'learned')),
           m.sentiment_origin, m.intent_origin,
           CASE WHEN m.sentiment_origin = 'auto' THEN m.sentiment END, m.sentiment_score,
           CASE WHEN m.intent_origin = 'auto' THEN m.intent END,
           v.text_key, v.vader, v.blob, v.sarcasm, v.sentiment, v.score, v.intent, m.ours
    FROM mentions m LEFT JOIN doc_verdicts v ON v.mention_id = m.id
"""


def _row(r: Sequence[Any]) -> LearningRow:
    manual, learned = set(), set()
    for pair in (r[4] or "").split(",") if r[4] else ():
        tag_id, _, origin = pair.partition(":")
        (manual if origin == "manual" else learned).add(int(tag_id))
    return LearningRow(
        id=r[0],
        body=r[1] or "",
        sentiment=r[2],
        intent=r[3],
        tags=frozenset(manual),
        learned_tags=frozenset(learned),
        sentiment_origin=r[5],
        intent_origin=r[6],
        auto=(r[7], float(r[8] or 0.0)) if r[7] is not None else None,
        auto_intent=r[9],
        verdicts=Verdicts(r[10], r[11], r[12], bool(r[13]), r[14], r[15], r[16])
        if r[10] is not None
        else None,
        ours=bool(r[17]),
    )


def mentions_for_learning(ws: Store, ids: Sequence[int]) -> list[LearningRow]:
    """These mentions (those that exist), in id order."""
    rows: list[LearningRow] = []
    for chunk in chunked(sorted(set(ids))):
        rows.extend(_row(r) for r in ws.execute(f"{_ROWS} WHERE m.id {in_list(chunk)} ORDER BY m.id", chunk))
    return rows


def labelled_ids(ws: Store) -> list[int]:
    """Mentions with a sentiment, intent or tag set by hand, in id order."""
    return [
        r[0]
        for r in ws.execute(
            f"SELECT id FROM mentions WHERE {MANUAL_SQL} "
            "UNION SELECT mention_id FROM mention_tags WHERE origin = 'manual' ORDER BY 1"
        )
    ]


def has_labels(ws: Store) -> bool:
    """Whether any mention has a label set by hand."""
    return (
        ws.scalar(f"SELECT 1 FROM mentions WHERE {MANUAL_SQL} LIMIT 1") is not None
        or ws.scalar("SELECT 1 FROM mention_tags WHERE origin = 'manual' LIMIT 1") is not None
    )


def manual_tag_ids(ws: Store) -> list[int]:
    """Tags set by hand on at least one mention: each may have a model."""
    return [
        r[0]
        for r in ws.execute("SELECT DISTINCT tag_id FROM mention_tags WHERE origin = 'manual' ORDER BY 1")
    ]


def unlabelled_newest(ws: Store, limit: int) -> list[int]:
    """The newest mentions customers wrote without any label set by hand (what "ask me" ranks)."""
    return [
        r[0]
        for r in ws.execute(
            f"SELECT m.id FROM mentions m WHERE m.ours = 0 AND {UNLABELLED_SQL} "
            "ORDER BY m.published_at DESC, m.id DESC LIMIT ?",
            (limit,),
        )
    ]


def count_unlabelled(ws: Store) -> int:
    return int(ws.scalar(f"SELECT count(*) FROM mentions m WHERE m.ours = 0 AND {UNLABELLED_SQL}"))


def mention_id_chunks(ws: Store, size: int = 2000) -> Iterator[list[int]]:
    """Every mention's id, in id order, a chunk at a time (each chunk read when asked for)."""
    last = 0
    while chunk := [
        r[0] for r in ws.execute("SELECT id FROM mentions WHERE id > ? ORDER BY id LIMIT ?", (last, size))
    ]:
        yield chunk
        last = chunk[-1]


def count_mentions(ws: Store) -> int:
    return int(ws.scalar("SELECT count(*) FROM mentions"))


def label_counts(ws: Store) -> dict[str, dict[str, int]]:
    """Per model, how many labels of each class the strategist has set now."""
    counts: dict[str, dict[str, int]] = {}
    for kind in ("sentiment", "intent"):
        counts[kind] = dict(
            ws.execute(
                f"SELECT {kind}, count(*) FROM mentions WHERE {MANUAL_SQL} AND {kind}_origin = 'manual' "
                f"GROUP BY {kind} ORDER BY {kind}"
            ).fetchall()
        )
    tagged = int(ws.scalar("SELECT count(DISTINCT mention_id) FROM mention_tags WHERE origin = 'manual'"))
    for tag_id, yes in ws.execute(
        "SELECT tag_id, count(*) FROM mention_tags WHERE origin = 'manual' GROUP BY tag_id ORDER BY tag_id"
    ):
        counts[f"tag:{tag_id}"] = {"no": tagged - yes, "yes": yes}
    return counts


# ---------------------------------------------------------------- automatic verdicts


def save_verdicts(ws: Store, rows: Iterable[tuple[int, Verdicts]]) -> None:
    with ws.transaction():
        ws.conn.executemany(
            "INSERT OR REPLACE INTO doc_verdicts (mention_id, text_key, vader, blob, sarcasm, sentiment, score, "
            "intent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (i, v.text_key, v.vader, v.blob, int(v.sarcasm), v.sentiment, v.score, v.intent)
                for i, v in rows
            ],
        )


# ---------------------------------------------------------------- models


def model_states(ws: Store) -> dict[str, tuple[bytes, int]]:
    """Each stored model's bytes and the labels' generation its weights reflect, by name."""
    return {
        r[0]: (bytes(r[1]), int(r[2]))
        for r in ws.execute("SELECT name, state, generation FROM learned_models ORDER BY name")
    }


def model_records(ws: Store) -> dict[str, dict[str, Any]]:
    """Each stored model without its bytes: kind, the labels it was fitted on, its estimate (as
    a dict) and when it was fitted."""
    return {
        r[0]: {"kind": r[1], "labels": json.loads(r[2]), "estimate": json.loads(r[3]), "fitted_at": r[4]}
        for r in ws.execute(
            "SELECT name, kind, labels, estimate, fitted_at FROM learned_models ORDER BY name"
        )
    }


def model_names(ws: Store) -> set[str]:
    return {r[0] for r in ws.execute("SELECT name FROM learned_models")}


def has_models(ws: Store) -> bool:
    return ws.scalar("SELECT 1 FROM learned_models LIMIT 1") is not None


def save_model(
    ws: Store,
    name: str,
    kind: str,
    state: bytes,
    labels: dict[str, int],
    estimate: dict[str, Any],
    generation: int,
) -> None:
    """Store a freshly fitted model (replacing the one of that name), fitted now on the labels
    of `generation`."""
    ws.execute(
        "INSERT OR REPLACE INTO learned_models (name, kind, state, labels, estimate, fitted_at, generation) "
        "VALUES (?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?)",
        (name, kind, state, json.dumps(labels), json.dumps(estimate), generation),
    )


def update_model(ws: Store, name: str, state: bytes, estimate: dict[str, Any]) -> None:
    """A model's weights after new labels learned at once (and its estimate: the last fit's, or
    none when a class came or went)."""
    ws.execute(
        "UPDATE learned_models SET state = ?, estimate = ? WHERE name = ?",
        (state, json.dumps(estimate), name),
    )


def mark_in_step(ws: Store, generation: int) -> None:
    """Every stored model's weights reflect the labels of `generation`."""
    ws.execute("UPDATE learned_models SET generation = ?", (generation,))


def delete_models(ws: Store, names: Iterable[str]) -> None:
    for chunk in chunked(list(names)):
        ws.execute(f"DELETE FROM learned_models WHERE name {in_list(chunk)}", chunk)


def forget_tag(ws: Store, tag_id: int) -> None:
    """A deleted tag's model goes with it; the other tags' "no" labels changed with it."""
    delete_models(ws, [f"tag:{tag_id}"])
    bump_generation(ws, 1)


# ---------------------------------------------------------------- generations


def generation(ws: Store) -> int:
    return int(get_setting(ws, GENERATION_KEY, 0))


def bump_generation(ws: Store, by: int) -> int:
    """Move the labels' generation on (inside the caller's transaction); returns the new one."""
    ws.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value",
        (GENERATION_KEY, by),
    )
    return generation(ws)


def fitted(ws: Store) -> tuple[int, int] | None:
    """(the labels' generation the models were last fitted at, how many fits there have been),
    or None before the first."""
    value = get_setting(ws, FITTED_KEY)
    return None if value is None else (int(value["generation"]), int(value["fits"]))


def record_fit(ws: Store, generation: int) -> int:
    """A relearn stored its models, fitted on the labels of `generation`; returns the fit's number."""
    number = (fitted(ws) or (0, 0))[1] + 1
    set_setting(ws, FITTED_KEY, {"generation": generation, "fits": number})
    return number


# ---------------------------------------------------------------- applying


def write_learned(
    ws: Store,
    sentiments: Sequence[tuple[int, str, float, str]],
    intents: Sequence[tuple[int, str, str]],
    add_tags: Sequence[tuple[int, int]],
    remove_tags: Sequence[tuple[int, int]],
) -> None:
    """Set what applying decided, never over a label set by hand: (id, sentiment, score, origin),
    (id, intent, origin) with origin 'learned', or 'auto' with the automatic label where a
    learned one is taken back; learned tags (mention, tag) added and removed."""
    ws.conn.executemany(
        "UPDATE mentions SET sentiment = ?2, sentiment_score = ?3, sentiment_origin = ?4 "
        "WHERE id = ?1 AND sentiment_origin IS NOT 'manual'",
        sentiments,
    )
    ws.conn.executemany(
        "UPDATE mentions SET intent = ?2, intent_origin = ?3 WHERE id = ?1 AND intent_origin IS NOT 'manual'",
        intents,
    )
    ws.conn.executemany(
        "INSERT OR IGNORE INTO mention_tags (mention_id, tag_id, origin) VALUES (?, ?, 'learned')", add_tags
    )
    ws.conn.executemany(
        "DELETE FROM mention_tags WHERE mention_id = ? AND tag_id = ? AND origin = 'learned'", remove_tags
    )


def learned_ids(ws: Store) -> list[int]:
    """Mentions with a learned sentiment, intent or tag."""
    return [
        r[0]
        for r in ws.execute(
            "SELECT id FROM mentions WHERE sentiment_origin = 'learned' OR intent_origin = 'learned' "
            "UNION SELECT mention_id FROM mention_tags WHERE origin = 'learned'"
        )
    ]


def take_back_learned(ws: Store, ids: Sequence[int]) -> None:
    """Learned sentiment and intent become automatic again (the caller scores them) and learned
    tags are removed, on these mentions. Manual labels are never touched."""
    with ws.transaction():
        for chunk in chunked(ids):
            ws.execute(
                "UPDATE mentions SET "
                "sentiment_origin = CASE sentiment_origin WHEN 'learned' THEN 'auto' ELSE sentiment_origin END, "
                "intent_origin = CASE intent_origin WHEN 'learned' THEN 'auto' ELSE intent_origin END "
                f"WHERE id {in_list(chunk)}",
                chunk,
            )
            ws.execute(
                f"DELETE FROM mention_tags WHERE origin = 'learned' AND mention_id {in_list(chunk)}", chunk
            )


def auto_apply_threshold(ws: Store) -> float | None:
    """The threshold at which learned labels are applied to new mentions as they arrive (None: off)."""
    value = get_setting(ws, AUTO_APPLY_KEY)
    return float(value) if value is not None else None


def set_auto_apply(ws: Store, threshold: float | None) -> None:
    if threshold is not None and not 0.5 <= threshold < 1.0:
        raise ValueError("the threshold must be at least 0.5 and below 1")
    set_setting(ws, AUTO_APPLY_KEY, threshold)


# ---------------------------------------------------------------- ask me


def save_asked(ws: Store, ids: Sequence[int], how: dict[str, Any]) -> None:
    """The new "ask me" ranking, best first, and how it was made (ASKED_KEY)."""
    with ws.transaction():
        ws.execute("DELETE FROM asked")
        ws.conn.executemany("INSERT INTO asked (rank, mention_id) VALUES (?, ?)", enumerate(ids, start=1))
        set_setting(ws, ASKED_KEY, how)


def asked_info(ws: Store) -> dict[str, Any] | None:
    return get_setting(ws, ASKED_KEY)
