"""Prioritised screening: rank unscreened records by predicted relevance, deterministically.

The model starts from ASReview 3.0.8's default (TF-IDF word 1-2 grams with sublinear tf,
a linear SVM with C=0.11 and balanced classes, retrained on every decision) and changes
what helped on the SYNERGY benchmark sets (benchmarks/screening_priority.py):

* the title is counted twice: it is the densest statement of what a study is about;
* while only one or two relevant records are known, records are ranked by their similarity
  to those (a two-example SVM mostly learns which words the irrelevant one had);
* before any relevant record is known, the order is a fixed-seed shuffle (nothing to learn);
* 100 unscreened records drawn with a fixed seed join each training set as presumed
  irrelevant (the "pseudo-negatives" of Cormack & Grossman's baseline model
  implementation): most unscreened records are irrelevant, and this stops a record from
  ranking high for rare words alone. It costs early recall on a review where a fifth of
  the records are relevant (Nelson_2002 in the benchmark); ``pseudo_after`` delays it;
* words or word pairs in only one record are dropped (``min_df=2``): they cannot link two
  records, and dropping them halves the time of a retrain.

Everything is deterministic: the TF-IDF is fitted once on every record (no randomness),
LinearSVC gets a fixed ``random_state``, and ties are broken by ``record_id``, so the same
decisions always give the same order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# scipy and scikit-learn (about 1.3 s to import) are imported where a model is built:
# every Snakemake job and the Snakefile itself import this module through the screening
# package, and most never rank anything.

__all__ = ["PriorityModel", "ScreeningPool", "next_batch_size", "simulate"]

# Below this many relevant records, rank by similarity to them instead of training a model.
WARM_UP_RELEVANT = 3


@dataclass(frozen=True)
class PriorityModel:
    """The model's settings; the defaults are the ones the benchmark figures come from."""

    c: float = 0.11
    title_weight: int = 2
    warm_up_relevant: int = WARM_UP_RELEVANT
    min_df: int = 2
    pseudo_negatives: int = 100
    pseudo_after: float = 0.0
    # tried in the benchmark (--model), no better across the sets: see README, Benchmarks
    pseudo_from: str = "random"  # "random" | "far": from the half least like the relevant
    pseudo_weight: float = 1.0  # sample weight of the presumed irrelevant
    growth: float = 1.0  # batches start small: at most growth x the decisions so far

    def describe(self) -> str:
        """One phrase for the methods paragraph."""
        text = (
            f"a linear support vector machine (C = {self.c}, balanced classes) on TF-IDF "
            "word uni- and bigrams of title and abstract"
        )
        if self.pseudo_negatives:
            text += (
                f", trained with {self.pseudo_negatives} randomly drawn unscreened records "
                "as presumed irrelevant"
            )
        return text + ", retrained after every batch of decisions"


class ScreeningPool:
    """Every record of a stage, as features fitted once, in ``record_id`` order.

    Fitting the TF-IDF on all records (labelled or not) uses no labels, so it is fair in a
    simulation and lets every retrain reuse the same matrix.
    """

    def __init__(
        self,
        record_ids: Sequence[str],
        titles: Sequence[str],
        abstracts: Sequence[str],
        model: PriorityModel | None = None,
        cache: str | Path | None = None,
    ) -> None:
        self.model = model or PriorityModel()
        ids = [str(r) for r in record_ids]
        if len(set(ids)) != len(ids):
            raise ValueError("record_id values must be unique")
        order = sorted(range(len(ids)), key=ids.__getitem__)
        self.record_ids = [ids[i] for i in order]
        self.index = {rid: i for i, rid in enumerate(self.record_ids)}
        texts = [
            " ".join([_text(titles[i])] * self.model.title_weight + [_text(abstracts[i])])
            for i in order
        ]
        from prismake.screening.features import features

        # ``cache``: a file to keep the features in between runs (see features.py).
        self.features = features(texts, {"min_df": self.model.min_df}, cache)

    def __len__(self) -> int:
        return len(self.record_ids)

    def rank(self, labels: Mapping[str, int], seed: int = 0) -> list[str]:
        """Unlabelled record ids, most likely relevant first.

        ``labels`` maps record_id -> 1 (relevant) or 0 (irrelevant); unknown ids are an
        error, so a caller cannot silently train on the wrong records.
        """
        rows, y = self._labelled(labels)
        unlabelled = np.setdiff1d(np.arange(len(self)), rows, assume_unique=True)
        scores = self._scores(rows, y, unlabelled, seed)
        # Highest score first; ties by position, i.e. by record_id (the pool is sorted).
        order = unlabelled[np.lexsort((unlabelled, -scores))]
        return [self.record_ids[i] for i in order]

    def _labelled(self, labels: Mapping[str, int]) -> tuple[np.ndarray, np.ndarray]:
        unknown = [rid for rid in labels if rid not in self.index]
        if unknown:
            raise KeyError(f"{len(unknown)} labelled ids not in the pool, e.g. {unknown[0]!r}")
        pairs = sorted((self.index[rid], int(v)) for rid, v in labels.items())
        rows = np.array([p[0] for p in pairs], dtype=np.int64)
        y = np.array([p[1] for p in pairs], dtype=np.int64)
        return rows, y

    def _scores(
        self, rows: np.ndarray, y: np.ndarray, unlabelled: np.ndarray, seed: int
    ) -> np.ndarray:
        from scipy import sparse
        from sklearn.preprocessing import normalize
        from sklearn.svm import LinearSVC

        n_relevant = int(y.sum())
        if n_relevant == 0:
            # Nothing to learn from yet: a fixed-seed shuffle of the whole pool.
            shuffle = np.random.default_rng(seed).permutation(len(self)).astype(float)
            return -shuffle[unlabelled]
        x_unlabelled = self.features[unlabelled]
        if n_relevant < self.model.warm_up_relevant or n_relevant == len(y):
            centroid = normalize(sparse.csr_matrix(self.features[rows[y == 1]].mean(axis=0)))
            return np.asarray((x_unlabelled @ centroid.T).todense()).ravel()
        train, target = self.features[rows], y
        if self.model.pseudo_negatives and len(y) >= self.model.pseudo_after * len(self):
            # Presumed irrelevant: a fixed-seed sample of the unscreened records (see module).
            rng = np.random.default_rng([seed, len(y)])
            source = unlabelled
            if self.model.pseudo_from == "far":
                centroid = normalize(sparse.csr_matrix(self.features[rows[y == 1]].mean(axis=0)))
                near = np.asarray((x_unlabelled @ centroid.T).todense()).ravel()
                source = unlabelled[np.lexsort((unlabelled, near))][: max(1, len(unlabelled) // 2)]
            size = min(self.model.pseudo_negatives, len(source))
            presumed = np.sort(rng.choice(source, size, replace=False))
            train = sparse.vstack([train, self.features[presumed]]).tocsr()
            target = np.concatenate([y, np.zeros(size, dtype=y.dtype)])
        classifier = LinearSVC(
            C=self.model.c, class_weight="balanced", random_state=seed, max_iter=5000
        )
        weights = np.ones(len(target))
        weights[len(y) :] = self.model.pseudo_weight
        classifier.fit(train, target, sample_weight=weights)
        scores = classifier.decision_function(x_unlabelled)
        return scores


def next_batch_size(batch: int, labels: Mapping[str, int], growth: float = 1.0) -> int:
    """How many records the next batch holds: ``batch``, smaller while decisions are few.

    The model learns most from its first decisions, so once one relevant record is known a
    batch is at most as large as the number of decisions so far (2, 4, 8 ... up to
    ``batch``): a few short runs at the start instead of one long batch ranked from almost
    nothing. Before any relevant record is known the order is random anyway: full batch.
    """
    if not any(int(v) for v in labels.values()):
        return batch
    return max(1, min(batch, int(growth * len(labels))))


def _text(value: object) -> str:
    """A cell as text: missing values (None, NaN) count as empty."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def simulate(
    pool: ScreeningPool,
    truth: Mapping[str, int],
    priors: Sequence[str],
    batch: int = 1,
    seed: int = 0,
    shortcut_after_last_relevant: bool = False,
) -> list[str]:
    """The order in which a team would screen every record: priors first, then batches.

    The simulated reviewer reveals ``truth`` for each screened record; the model is
    retrained once per batch (``next_batch_size``: smaller at the start). With
    ``shortcut_after_last_relevant`` the model stops retraining once every relevant record
    is found and the rest follows its last ranking:
    what remains is all irrelevant, so no recall, WSS or stopping-rule figure can change.
    """
    if batch < 1:
        raise ValueError("batch must be at least 1")
    order = list(dict.fromkeys(str(p) for p in priors))
    labels = {rid: int(truth[rid]) for rid in order}
    total_relevant = sum(int(v) for v in truth.values())
    found = sum(labels.values())
    while len(order) < len(pool):
        ranking = pool.rank(labels, seed)
        if shortcut_after_last_relevant and found == total_relevant:
            order += ranking
            break
        for rid in ranking[: next_batch_size(batch, labels, pool.model.growth)]:
            order.append(rid)
            labels[rid] = int(truth[rid])
            found += labels[rid]
    return order
