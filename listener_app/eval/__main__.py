"""`make eval`: sentiment (plain TextBlob, plain VADER and ours, in one run), its speed, the gain
from learning, and intent on the hand-labelled set.

Prints readable tables, then one JSON line per figure. Sentiment gold labels: positive when the
mean human rating is >= 0.5, negative when <= -0.5, neutral between (-4..4 scale). The data folder
is ../shared/data/vader_ground_truth beside the repository, or $LISTENER_EVAL_DATA; without it the
sentiment part is skipped (exit status 0).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from listener_app.domain import sentiment as ours
from listener_app.eval.datasets import available, data_dir
from listener_app.eval.intent_eval import intent_figures, print_intent_table
from listener_app.eval.sentiment_eval import compare, cross_validate, load_dataset, throughput, tune

Figure = dict[str, object]


def _print_sentiment(rows: list[Figure]) -> None:
    print(f"{'dataset':<8} {'scorer':<12} {'pearson r':>9} {'accuracy':>9} {'macro-F1':>9}")
    for f in rows:
        print(
            f"{f['dataset']!s:<8} {f['scorer']!s:<12} {f['pearson_r']:>9.4f} {f['accuracy']:>9.4f} {f['macro_f1']:>9.4f}"
        )


def sentiment_part(quick: bool) -> list[Figure]:
    sets = available()
    if not sets:
        print(f"No sentiment evaluation data at {data_dir()} (set LISTENER_EVAL_DATA); sentiment skipped.\n")
        return []
    datasets = [load_dataset(name, rows) for name, rows in sets.items()]
    figures: list[Figure] = []
    print("Sentiment against the human mean rating (gold neutral: |valence| < 0.5)")
    print(
        f"ours: weight {ours.VADER_WEIGHT} on VADER, positive above {ours.POSITIVE_CUT}, "
        f"negative below {-ours.NEGATIVE_CUT or 0.0}, questions weighed {ours.QUESTION_WEIGHT}; "
        "plain VADER and TextBlob cut at +-0.05"
    )
    rows = [row for d in datasets for row in compare(d)]
    _print_sentiment(rows)
    figures.extend(rows)
    for d in datasets:
        mine = next(r for r in rows if r["dataset"] == d.name and r["scorer"] == "listener")
        plain = [r for r in rows if r["dataset"] == d.name and r["scorer"] != "listener"]
        for metric in ("pearson_r", "accuracy", "macro_f1"):
            best = max(plain, key=lambda r, m=metric: r[m])  # type: ignore[misc]
            beats = mine[metric] > best[metric]  # type: ignore[operator]
            if not beats:
                print(
                    f"  target not met: {d.name} {metric} {mine[metric]} <= {best['scorer']} {best[metric]}"
                )
            figures.append(
                {"eval": "sentiment_target", "dataset": d.name, "metric": metric, "beats_both": beats}
            )
    if len(datasets) > 1:
        chosen = tune(datasets)
        shipped = (ours.VADER_WEIGHT, ours.POSITIVE_CUT, ours.NEGATIVE_CUT)
        note = "same as shipped" if chosen == shipped else f"shipped {shipped}: update core/sentiment.py"
        print(f"\nGrid search on both files: weight, positive cut, negative cut = {chosen} ({note})")
        figures.append({"eval": "sentiment_tuning", "chosen": list(chosen), "shipped": list(shipped)})
        print("Leave one file out (weight and cuts chosen on the other file):")
        cv = cross_validate(datasets)
        _print_sentiment(cv)
        figures.extend(cv)
    print("\nSpeed of score_texts on the tweets (one process):")
    speed = throughput(datasets[0].texts, seconds=1.0 if quick else 3.0)
    print(f"  {speed['texts_per_s']:,} texts/s (mean {speed['mean_chars']} characters)")
    figures.append(speed)
    if not quick:
        processes = os.cpu_count() or 1
        texts = datasets[0].texts * 10
        ours.score_texts_parallel(texts[:4000], processes)  # start the workers
        started = time.perf_counter()
        ours.score_texts_parallel(texts, processes)
        rate = len(texts) / (time.perf_counter() - started)
        ours.shutdown_pool()
        print(f"  score_texts_parallel on {processes} processes: {rate:,.0f} texts/s ({len(texts):,} texts)")
        figures.append(
            {"eval": "sentiment_speed", "function": "score_texts_parallel", "processes": processes,
             "texts_per_s": round(rate), "n": len(texts)}
        )  # fmt: skip
    print()
    return figures


def learning_part(sets: dict[str, list[tuple[float, str]]]) -> list[Figure]:
    from listener_app.eval.learning_gain import gold_label, learning_gain

    figures: list[Figure] = []
    if not sets:
        return figures
    print("Learning from the strategist's labels (the rest of each set as test):")
    print(
        f"{'dataset':<8} {'labels':>6} {'accuracy':>9} {'macro-F1':>9}   automatic alone: accuracy, macro-F1"
    )
    for name, rows in sets.items():
        texts = [ours.prepare(t)[0] or t for _, t in rows]
        for figure in learning_gain(texts, [gold_label(v) for v, _ in rows], name):
            figures.append(figure)
            print(
                f"{name:<8} {figure['labels']:>6} {figure['accuracy']:>9.4f} {figure['macro_f1']:>9.4f}   "
                f"{figure['auto_accuracy']:.4f}, {figure['auto_macro_f1']:.4f}"
            )
    print()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m listener_app.eval", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="skip the process-pool speed and learning figures"
    )
    args = parser.parse_args(argv)
    figures = sentiment_part(args.quick)
    if not args.quick:
        figures.extend(learning_part(available()))
    print("Intent on the hand-labelled set (docs/intent-labeling.md):")
    intents = intent_figures()
    print_intent_table(intents)
    figures.extend(intents)
    print()
    for figure in figures:
        sys.stdout.write(json.dumps(figure) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
