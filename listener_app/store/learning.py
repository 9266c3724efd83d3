"""Keeping the learned models in step with the strategist's manual labels, and using them.

`sync(ws, ids)` re-reads the manual labels of the given mentions and moves each one's counts
from the label it was counted under to its current one (features are stored per document, so
removing a document is exact even after its text changed). Triage calls it after every manual
sentiment, intent or tag change; `relearn` rebuilds everything from scratch.

A document's features carry the automatic verdicts (core.learning.features): the stored
sentiment, score and intent when they are automatic, else the scorer and intent classifier run
again on the text, so a mention labelled by hand is learned from with the verdict it corrects.
"""

from __future__ import annotations

import json
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from listener_app.domain.learning import CALIBRATION_DOCS, MIN_EXAMPLES, Model, features
from listener_app.domain.models import SCORE_OF
from listener_app.domain.tasks import TaskState, in_steps
from listener_app.store.connection import Store
from listener_app.store.settings import get_setting, set_setting

_CHUNK = 500
_APPLYING: weakref.WeakKeyDictionary[Store, tuple[Any, dict[str, Model]]] = weakref.WeakKeyDictionary()
AUTO_APPLY_KEY = "learning.auto_apply"
FEATURES_KEY = "learning.features"
# The shape of the stored documents' features (core.learning.features); documents counted in an
# older shape are learned again (needs_relearn), since the verdict features steer the prior.
FEATURES_VERSION = 2
GENERATION_KEY = "learning.generation"  # bumped whenever the learned counts change


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _tag_ids(ws: Store) -> list[int]:
    return [r[0] for r in ws.execute("SELECT DISTINCT tag_id FROM mention_tags WHERE origin = 'manual'")]


def _current_labels(ws: Store, ids: Sequence[int], tag_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per mention: text, what its automatic verdicts are stored as, and its label for every
    model (None: not a label). `_features` turns one into the document's features."""
    from listener_app.domain.sentiment import Sentiment  # the scorers load when learning needs them

    out: dict[int, dict[str, Any]] = {}
    rows = ws.execute(
        f"""
        SELECT id, coalesce(title || '\n', '') || text AS body, status, sentiment, sentiment_score,
               sentiment_origin, intent, intent_origin, (SELECT group_concat(tag_id) FROM mention_tags t
                               WHERE t.mention_id = m.id AND t.origin = 'manual') AS tags
        FROM mentions m WHERE id IN ({_marks(len(ids))})
        """,
        list(ids),
    )
    for row in rows:
        tags = {int(t) for t in row["tags"].split(",")} if row["tags"] else set()
        triaged = bool(tags)  # a mention the strategist tagged is a "no" for the tags it lacks
        labels: dict[str, str | None] = {
            "sentiment": row["sentiment"] if row["sentiment_origin"] == "manual" else None,
            "intent": row["intent"] if row["intent_origin"] == "manual" else None,
        }
        for tag_id in tag_ids:
            labels[f"tag:{tag_id}"] = "yes" if tag_id in tags else ("no" if triaged else None)
        auto = None
        if row["sentiment_origin"] == "auto" and row["sentiment"] and row["sentiment_score"] is not None:
            auto = Sentiment(row["sentiment"], row["sentiment_score"])
        intent = row["intent"] if row["intent_origin"] == "auto" else None
        out[row["id"]] = {"text": row["body"] or "", "auto": auto, "intent": intent, "labels": labels}
    return out


def _features(info: dict[str, Any]) -> list[str]:
    """The document's features, with the automatic verdicts (computed again when not stored)."""
    from listener_app.domain.intent import classify_intent
    from listener_app.domain.sentiment import score_text

    text = info["text"]
    auto = info["auto"] or score_text(text)
    intent = info["intent"] or classify_intent(text, auto)
    return features(text, auto.label, auto.score, intent)


def sync(ws: Store, mention_ids: Iterable[int]) -> int:
    """Bring the learned counts in line with these mentions' manual labels; returns changes made."""
    ids = sorted(set(mention_ids))
    if not ids:
        return 0
    tag_ids = _tag_ids(ws)
    changed = 0
    with ws.transaction():
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            current = _current_labels(ws, chunk, tag_ids)
            counted: dict[tuple[str, int], tuple[str, list[str]]] = {
                (r["model"], r["mention_id"]): (r["label"], json.loads(r["features"]))
                for r in ws.execute(
                    f"SELECT model, mention_id, label, features FROM learn_docs WHERE mention_id IN ({_marks(len(chunk))})",
                    chunk,
                )
            }
            counted_models: dict[int, set[str]] = {}
            for model, m_id in counted:
                counted_models.setdefault(m_id, set()).add(model)
            deltas: dict[tuple[str, str, str], int] = {}
            removed: list[tuple[str, int]] = []
            added: list[tuple[str, int, str, str]] = []
            for mention_id in chunk:
                info = current.get(mention_id)
                models = set(info["labels"]) if info else set()
                models |= counted_models.get(mention_id, set())
                feats: list[str] | None = None
                for model in models:
                    new_label = info["labels"].get(model) if info else None
                    old = counted.get((model, mention_id))
                    if (old[0] if old else None) == new_label:
                        continue
                    if old:
                        _add(deltas, model, old[0], old[1], -1)
                        removed.append((model, mention_id))
                    if new_label is not None and info is not None:
                        if feats is None:
                            feats = _features(info)
                        _add(deltas, model, new_label, feats, 1)
                        added.append((model, mention_id, new_label, json.dumps(feats)))
                    changed += 1
            ws.conn.executemany("DELETE FROM learn_docs WHERE model = ? AND mention_id = ?", removed)
            ws.conn.executemany(
                "INSERT INTO learn_docs (model, mention_id, label, features) VALUES (?, ?, ?, ?)", added
            )
            ws.conn.executemany(
                "INSERT INTO learn_counts (model, label, feature, count) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (model, label, feature) DO UPDATE SET count = count + excluded.count",
                [(*key, n) for key, n in deltas.items() if n],
            )
        ws.execute("DELETE FROM learn_counts WHERE count <= 0")
        if changed:
            _counted_anew(ws)
    return changed


def _counted_anew(ws: Store) -> None:
    """Mark that the learned counts changed (any connection sees it: `applying_models` reloads)."""
    ws.execute(
        "INSERT INTO settings (key, value) VALUES (?, '1') "
        "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
        (GENERATION_KEY,),
    )


def _add(
    deltas: dict[tuple[str, str, str], int], model: str, label: str, feats: list[str], sign: int
) -> None:
    # The document count of a label rides along as the pseudo-feature "" (see load_models).
    for feat in [*feats, ""]:
        key = (model, label, feat)
        deltas[key] = deltas.get(key, 0) + sign


def _labelled_ids(ws: Store, origin: str) -> list[int]:
    """Mentions with a sentiment, intent or tag of this origin ('manual' or 'learned')."""
    return [
        r[0]
        for r in ws.execute(
            "SELECT id FROM mentions WHERE sentiment_origin = ?1 OR intent_origin = ?1 "
            "UNION SELECT mention_id FROM mention_tags WHERE origin = ?1",
            (origin,),
        )
    ]


def relearn(ws: Store, state: TaskState | None = None) -> int:
    """Forget everything learned and learn again from every manual label in the workspace."""
    with ws.transaction():
        ws.execute("DELETE FROM learn_docs")
        ws.execute("DELETE FROM learn_counts")
        _counted_anew(ws)
    ids = _labelled_ids(ws, "manual")
    for chunk in in_steps(ids, state, "Learning from your labels"):
        sync(ws, chunk)
    set_setting(ws, FEATURES_KEY, FEATURES_VERSION)
    return len(ids)


def needs_relearn(ws: Store) -> bool:
    """Whether what was learned was counted by an older version (then `relearn` brings it up to date)."""
    learned = ws.scalar("SELECT 1 FROM learn_docs LIMIT 1") is not None
    return learned and get_setting(ws, FEATURES_KEY) != FEATURES_VERSION


def _examples(ws: Store, model: str) -> Callable[[], list[tuple[str, list[str]]]]:
    """The model's newest labelled documents, oldest first, read when it calibrates."""

    def read() -> list[tuple[str, list[str]]]:
        rows = ws.execute(
            "SELECT label, features FROM learn_docs WHERE model = ? ORDER BY mention_id DESC LIMIT ?",
            (model, CALIBRATION_DOCS),
        ).fetchall()
        return [(label, json.loads(feats)) for label, feats in reversed(rows)]

    return read


def load_models(ws: Store) -> dict[str, Model]:
    """Every model from its stored counts; each reads its newest documents from `ws` when it
    first predicts (calibration), so use the models on the thread that loaded them."""
    models: dict[str, Model] = {}
    model = Model("")
    buckets: dict[str, Counter[str]] = {}
    for model_name, label, feature, count in ws.execute(
        "SELECT model, label, feature, count FROM learn_counts ORDER BY model"
    ):
        if model_name != model.name:
            model = models[model_name] = Model(
                model_name, examples=_examples(ws, model_name), calibration_key=(str(ws.path), model_name)
            )
            buckets = model.counts
        if feature == "":
            model.docs[label] += count
            continue
        bucket = buckets.get(label)
        if bucket is None:
            bucket = buckets[label] = Counter()
        bucket[feature] = count
        if feature[:1] != "~":
            model.tokens[label] += count
    return models


def applying_models(ws: Store) -> dict[str, Model]:
    """`load_models`, kept for this connection until the learned counts change: applying runs on
    every ingested batch when the setting is on, and reading every count each time would cost
    about half a second on a workspace with a few thousand labels."""
    generation = get_setting(ws, GENERATION_KEY)
    kept = _APPLYING.get(ws)
    if kept is None or kept[0] != generation:
        kept = _APPLYING[ws] = (generation, load_models(ws))
    return kept[1]


def _tag_models(models: dict[str, Model]) -> list[int]:
    return [int(name.split(":", 1)[1]) for name in models if name.startswith("tag:")]


def _open(info: dict[str, Any], name: str) -> bool:
    """Whether model `name` may suggest for this mention: it has no label of the strategist's
    there (for a tag: the tag was not set by hand)."""
    label = info["labels"].get(name)
    return label != "yes" if name.startswith("tag:") else not label


def _suggest(info: dict[str, Any], models: dict[str, Model]) -> dict[str, tuple[str, float]]:
    feats = _features(info)
    result: dict[str, tuple[str, float]] = {}
    for name, model in models.items():
        if not _open(info, name):
            continue
        guess = model.predict(feats)
        if guess is not None and (not name.startswith("tag:") or guess[0] == "yes"):
            result[name] = guess
    return result


def _decisions(info: dict[str, Any], models: dict[str, Model], threshold: float) -> dict[str, str]:
    """What applying at `threshold` sets on this mention (Model.decide), model by model."""
    feats = _features(info)
    result: dict[str, str] = {}
    for name, model in models.items():
        if not _open(info, name):
            continue
        label = model.decide(feats, threshold)
        if label is not None and (not name.startswith("tag:") or label == "yes"):
            result[name] = label
    return result


def suggestions(
    ws: Store, mention_id: int, models: dict[str, Model] | None = None
) -> dict[str, tuple[str, float]]:
    """What the models suggest for one mention, for every model it has no manual label in.

    Tag models only ever suggest adding a tag ("yes"); a "no" is not shown.
    """
    models = load_models(ws) if models is None else models
    info = _current_labels(ws, [mention_id], _tag_models(models)).get(mention_id)
    return {} if info is None else _suggest(info, models)


def auto_apply_threshold(ws: Store) -> float | None:
    """The confidence from which suggestions are applied to new mentions as they arrive (None: off)."""
    value = get_setting(ws, AUTO_APPLY_KEY)
    return float(value) if value is not None else None


def set_auto_apply(ws: Store, threshold: float | None) -> None:
    if threshold is not None and not 0.5 <= threshold < 1.0:
        raise ValueError("the confidence must be at least 0.5 and below 1")
    set_setting(ws, AUTO_APPLY_KEY, threshold)


def _id_chunks(ws: Store, ids: Sequence[int] | None) -> Iterator[list[int]]:
    if ids is not None:
        ordered = sorted(set(ids))
        for start in range(0, len(ordered), _CHUNK):
            yield ordered[start : start + _CHUNK]
        return
    last_id = 0
    while chunk := [
        r[0]
        for r in ws.execute("SELECT id FROM mentions WHERE id > ? ORDER BY id LIMIT ?", (last_id, _CHUNK))
    ]:
        yield chunk
        last_id = chunk[-1]


def apply_learned(
    ws: Store, threshold: float, state: TaskState | None = None, ids: Sequence[int] | None = None
) -> int:
    """Apply suggestions at or above `threshold` confidence to the mentions `ids` (default: all)
    where the strategist gave no label, marked 'learned' (Model.decide: one that would replace
    the automatic label only where the model's own leave-one-out says such replacements pay).
    Manual labels are never touched. Returns the number of labels applied."""
    models = {name: m for name, m in applying_models(ws).items() if m.ready}
    if not models:
        return 0
    tag_ids = _tag_models(models)
    total = len(set(ids)) if ids is not None else int(ws.scalar("SELECT count(*) FROM mentions"))
    if state is not None:
        state.progress(0, total=total, message="Applying what was learned")
    applied = done = 0
    for chunk in _id_chunks(ws, ids):
        if state is not None:
            state.check()
        sentiment, intent, tags = [], [], []
        for mention_id, info in _current_labels(ws, chunk, tag_ids).items():
            for name, label in _decisions(info, models, threshold).items():
                if name == "sentiment":
                    sentiment.append((label, SCORE_OF[label], mention_id))
                elif name == "intent":
                    intent.append((label, mention_id))
                else:
                    tags.append((mention_id, int(name.split(":", 1)[1])))
        with ws.transaction():
            ws.conn.executemany(
                "UPDATE mentions SET sentiment = ?, sentiment_score = ?, sentiment_origin = 'learned' "
                "WHERE id = ? AND sentiment_origin IS NOT 'manual'",
                sentiment,
            )
            ws.conn.executemany(
                "UPDATE mentions SET intent = ?, intent_origin = 'learned' WHERE id = ? AND intent_origin IS NOT 'manual'",
                intent,
            )
            ws.conn.executemany(
                "INSERT OR IGNORE INTO mention_tags (mention_id, tag_id, origin) VALUES (?, ?, 'learned')",
                tags,
            )
        applied += len(sentiment) + len(intent) + len(tags)
        done += len(chunk)
        if state is not None:
            state.progress(done)
    return applied


def learned_ids(ws: Store) -> list[int]:
    """Mentions with a learned sentiment, intent or tag."""
    return _labelled_ids(ws, "learned")


def take_back_learned(ws: Store, ids: Sequence[int]) -> None:
    """Learned sentiment and intent become automatic again (the caller scores them) and learned
    tags are removed, on these mentions. Manual labels are never touched."""
    with ws.transaction():
        ws.execute(
            "UPDATE mentions SET "
            "sentiment_origin = CASE sentiment_origin WHEN 'learned' THEN 'auto' ELSE sentiment_origin END, "
            "intent_origin = CASE intent_origin WHEN 'learned' THEN 'auto' ELSE intent_origin END "
            f"WHERE id IN ({_marks(len(ids))})",
            list(ids),
        )
        ws.execute(
            f"DELETE FROM mention_tags WHERE origin = 'learned' AND mention_id IN ({_marks(len(ids))})",
            list(ids),
        )


def model_summary(ws: Store) -> list[dict[str, Any]]:
    """Each model with the labels it learned from: {model, name, labels: {label: n}, ready, needs}.
    `needs`: how many more examples (at least) before the model suggests anything."""
    names = {f"tag:{r[0]}": f"tag {r[1]}" for r in ws.execute("SELECT id, name FROM tags")}
    models = load_models(ws)
    out = []
    for key in ("sentiment", "intent", *sorted(k for k in models if k.startswith("tag:"))):
        model = models.get(key) or Model(key)
        labels = {label: n for label, n in sorted(model.docs.items()) if n > 0}
        needs = sum(max(0, MIN_EXAMPLES - n) for n in labels.values()) + MIN_EXAMPLES * max(
            0, 2 - len(labels)
        )
        out.append({"model": key, "name": names.get(key, key), "labels": labels, "ready": model.ready,
                    "needs": 0 if model.ready else needs})  # fmt: skip
    return out
