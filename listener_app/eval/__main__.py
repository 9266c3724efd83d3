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
from listener_app.domain.learning.thresholds import APPLY_THRESHOLD
from listener_app.domain.processes import shutdown_pool
from listener_app.eval.datasets import available, data_dir
from listener_app.eval.intent_eval import intent_figures, print_intent_table
from listener_app.eval.sentiment_eval import (
    compare,
    cross_validate,
    gold_label,
    load_dataset,
    throughput,
    tune,
)

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
        shutdown_pool()
        print(f"  score_texts_parallel on {processes} processes: {rate:,.0f} texts/s ({len(texts):,} texts)")
        figures.append(
            {"eval": "sentiment_speed", "function": "score_texts_parallel", "processes": processes,
             "texts_per_s": round(rate), "n": len(texts)}
        )  # fmt: skip
    print()
    return figures


def _print_curves(figures: list[Figure]) -> None:
    print(
        f"{'task':<9} {'set':<8} {'order':<6} {'labels':>6} {'auto':>6} {'plainLR':>7} {'learned':>7} "
        f"{'applied':>7} {'coverage':>8} {'right':>6}   on the labels: learned/auto, applies; from confidence"
    )
    for f in figures:
        if f["eval"] == "learning_curve":
            right = f"{f['applied_accuracy']:.3f}" if f["applied_accuracy"] is not None else "-"
            print(
                f"{f['task']!s:<9} {f['dataset']!s:<8} {f['order']!s:<6} {f['labels']:>6} {f['automatic']:>6.3f} "
                f"{f['plain_lr']:>7.3f} {f['learned']:>7.3f} {f['applied']:>7.3f} {f['coverage']:>8.3f} {right:>6}"
                f"   {f['estimate_learned']:.3f}/{f['estimate_automatic']:.3f}, {'yes' if f['estimate_applies'] else 'no'}; "
                f"{f['from_confidence'] if f['from_confidence'] is not None else '-'}"
            )
    print(
        "Calibration of the model with the most random labels: confidence bin, count, predicted -> observed"
    )
    print("accuracy on the test set (and as cross-validation on the labels alone estimated it):")
    for f in figures:
        if f["eval"] == "calibration" and f["count"]:
            cv = (
                f"{f['cv_predicted']:.2f} -> {f['cv_observed']:.2f}" if f["cv_predicted"] is not None else "-"
            )
            print(
                f"  {f['task']!s:<9} {f['dataset']!s:<8} {f['low']:.1f}-{f['high']:.1f} {f['count']:>5}  "
                f"{f['predicted']:.2f} -> {f['observed']:.2f}   (cross-validated: {cv})"
            )


def learning_part(sets: dict[str, list[tuple[float, str]]]) -> list[Figure]:
    from listener_app.eval.intent_eval import load_examples
    from listener_app.eval.learning_gain import curves, intent_case, sentiment_case, weak_scorer_case

    started = time.perf_counter()
    cases = [
        sentiment_case(name, [t for _, t in rows], [gold_label(v) for v, _ in rows])
        for name, rows in sets.items()
    ]
    cases.append(intent_case(load_examples()))
    print(
        "Learning from the strategist's labels: macro-F1 on the test half (intent: on the held-out hundred),\n"
        f"applied at the default threshold {APPLY_THRESHOLD} (coverage: share given a learned label; right: their accuracy)"
    )
    figures = [f for case in cases for f in curves(case)]
    figures += [
        f for case in cases[:-1] for f in curves(weak_scorer_case(case), counts=(1000,), ask_me=False)
    ]
    _print_curves(figures)
    print(f"({time.perf_counter() - started:.0f} s)\n")
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
