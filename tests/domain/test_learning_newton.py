"""The Newton step that takes a new label minimises what Learner.fit has scikit-learn minimise."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse import random as sparse_random
from sklearn.linear_model import LogisticRegression

from listener_app.domain.learning import newton


@pytest.mark.parametrize(("classes", "shares"), [(2, [0.7, 0.3]), (3, [0.5, 0.3, 0.2])])
def test_the_objective_is_scikit_learns(classes, shares):
    rng = np.random.default_rng(0)
    X = csr_matrix(sparse_random(400, 50, density=0.2, random_state=1))
    y = rng.choice(classes, 400, p=shares)
    fitted = LogisticRegression(C=1.0, class_weight="balanced", solver="newton-cg", tol=1e-10, max_iter=1000)
    fitted.fit(X, y)
    coef, intercept = fitted.coef_, fitted.intercept_
    if classes == 2:  # as a Learner keeps them: two rows whose softmax is the sigmoid
        coef, intercept = np.vstack([-coef / 2, coef / 2]), np.array([-intercept[0] / 2, intercept[0] / 2])
    g_coef, g_intercept, _, _ = newton.gradient(X, y, coef, intercept, 1.0)
    assert np.abs(g_coef).max() < 1e-6 and np.abs(g_intercept).max() < 1e-6  # its optimum is ours
    stepped, stepped_intercept = np.zeros_like(coef), np.zeros_like(intercept)
    for _ in range(6):  # and a few steps from nothing reach it
        stepped, stepped_intercept = newton.newton_step(X, y, stepped, stepped_intercept, 1.0)
    assert np.allclose(stepped, coef, atol=1e-6) and np.allclose(stepped_intercept, intercept, atol=1e-6)


def _optimum(X, y):
    fitted = LogisticRegression(C=1.0, class_weight="balanced", solver="newton-cg", tol=1e-10, max_iter=1000)
    fitted.fit(X, y)
    return fitted.coef_, fitted.intercept_


def test_with_the_hessian_on_a_sample_new_labels_still_move_the_weights_most_of_the_way(monkeypatch):
    monkeypatch.setattr(newton, "HESSIAN_ROWS", 1000)  # as with twice as many labels as the sample
    rng = np.random.default_rng(2)
    X = csr_matrix(sparse_random(2000, 40, density=0.2, random_state=3))
    y = (np.asarray(X[:, :3].sum(axis=1)).ravel() * 3 + rng.normal(0, 0.5, 2000)).astype(int) % 3
    coef, intercept = _optimum(X, y)
    relabelled = y.copy()
    relabelled[:5] = (y[:5] + 1) % 3  # the strategist changes five labels
    wanted, _ = _optimum(X, relabelled)
    moved, _ = newton.newton_step(X, relabelled, coef, intercept, 1.0, changed=np.arange(5))
    assert np.abs(moved - wanted).max() < 0.3 * np.abs(coef - wanted).max()  # most of the way
