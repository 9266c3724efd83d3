"""Which unlabelled mentions would teach the models most ("ask me").

A label teaches most where the model is unsure and where the mention is typical of many other
unlabelled ones (a label on an outlier teaches about the outlier). So, in the spirit of
uncertainty sampling weighted by information density (Settles and Craven, 2008):

1. `landscape` clusters the unlabelled mentions on their hashed words (k-means on a sample of
   at most SAMPLE of them, every mention then placed in its nearest cluster) and scores how
   typical each one is: its cosine similarity to its cluster's centre.
2. `ask_order` ranks them by uncertainty (one minus the margin between the two most probable
   labels, averaged over the models given; 1 before there is any model) times typicality, and
   spreads the picks over the clusters in proportion to their sizes, so a batch of questions
   covers what the workspace talks about instead of twenty variants of one post.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.cluster import MiniBatchKMeans
from sklearn.preprocessing import normalize

from listener_app.domain.learning.documents import HASH_BITS
from listener_app.domain.learning.model import one_thread

SAMPLE = 5000  # mentions the clusters are found on
CLUSTERS = 20  # at most; fewer for small sets (one per 25 mentions)


@dataclass(frozen=True)
class Landscape:
    """Per unlabelled mention: its cluster and how typical of it it is (0..1)."""

    cluster: np.ndarray
    typicality: np.ndarray

    def take(self, rows: np.ndarray) -> Landscape:
        """The landscape of these rows only (those still unlabelled)."""
        return Landscape(self.cluster[rows], self.typicality[rows])


def landscape(X: csr_matrix, seed: int = 0) -> Landscape:
    """Clusters and typicality of these mentions (rows of a `featurize` matrix)."""
    n = X.shape[0]
    if n == 0:
        return Landscape(np.zeros(0, dtype=np.int64), np.zeros(0))
    words = X[:, : 2**HASH_BITS]
    columns = np.unique(words.indices)
    words = normalize(words[:, columns])
    k = max(1, min(CLUSTERS, n // 25))
    rng = np.random.default_rng(seed)
    sample = np.sort(rng.choice(n, min(n, SAMPLE), replace=False))
    with one_thread():
        centres = MiniBatchKMeans(n_clusters=k, n_init=3, random_state=seed, batch_size=1024).fit(
            words[sample]
        )
    centre = normalize(centres.cluster_centers_)
    similarity = np.asarray(words @ centre.T)
    cluster = similarity.argmax(axis=1)
    return Landscape(cluster, np.clip(similarity[np.arange(n), cluster], 0.0, 1.0))


def uncertainty(probabilities: np.ndarray) -> np.ndarray:
    """One minus the margin between the two most probable labels: 1 undecided, 0 sure."""
    if probabilities.shape[1] < 2:
        return np.zeros(probabilities.shape[0])
    top = np.sort(probabilities, axis=1)[:, -2:]
    return 1.0 - (top[:, 1] - top[:, 0])


def ask_order(land: Landscape, probabilities: Sequence[np.ndarray] = (), count: int = 50) -> list[int]:
    """The `count` mentions (row positions) to ask about first, best first.

    `probabilities`: each model's class probabilities for these rows (`Learner.probabilities`);
    none before any model exists, when typicality alone decides."""
    n = len(land.cluster)
    if n == 0 or count <= 0:
        return []
    unsure = np.mean([uncertainty(p) for p in probabilities], axis=0) if probabilities else np.ones(n)
    value = unsure * land.typicality
    clusters, sizes = np.unique(land.cluster, return_counts=True)
    # each cluster's share of the questions, in proportion to its size (largest remainders)
    share = sizes / n * min(count, n)
    quota = np.floor(share).astype(int)
    for i in np.argsort(-(share - quota))[: min(count, n) - quota.sum()]:
        quota[i] += 1
    picks: list[tuple[float, int]] = []
    for c, q in zip(clusters, quota, strict=True):
        members = np.flatnonzero(land.cluster == c)
        best = members[np.argsort(-value[members], kind="stable")[:q]]
        picks.extend((float(value[i]), int(i)) for i in best)
    picks.sort(key=lambda p: -p[0])
    return [i for _, i in picks]
