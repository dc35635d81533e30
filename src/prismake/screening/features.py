"""The TF-IDF features of a screening pool, cached on disk between pipeline runs.

Building them is most of a prioritised run's time (about 6 s at 10,000 records, a minute
at 100,000), and they change only when the records' text or the feature settings do. So
the matrix is kept in one pipeline-owned file (``data/processed/screening/<stage>/
features.npz``, never a human-edited file), with a digest of everything it was built from:
the texts in pool order, the settings, this file's format and scikit-learn's version. A
cache whose digest differs, or that cannot be read, is rebuilt; a cache that cannot be
written is skipped with a warning. The features are the same either way.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

log = logging.getLogger("prismake")

FORMAT = 1  # bump when what is stored, or how it is built, changes

__all__ = ["features", "text_digest"]


def text_digest(texts: Sequence[str], settings: Mapping[str, Any]) -> str:
    """SHA-256 of the texts (in order) and of what turns them into features."""
    digest = hashlib.sha256()
    head = {"format": FORMAT, "sklearn": sklearn.__version__, "settings": dict(settings)}
    digest.update(json.dumps(head, sort_keys=True).encode())
    for text in texts:
        encoded = text.encode("utf-8", "surrogatepass")
        digest.update(len(encoded).to_bytes(8, "little"))
        digest.update(encoded)
    return digest.hexdigest()


def _build(texts: Sequence[str], settings: Mapping[str, Any]) -> sparse.csr_matrix:
    """TF-IDF of the texts. A handful of records (a pilot, a small update) can leave no
    word in two records and under 95 % of them: then every word counts, and with no word
    at all (no title or abstract anywhere) every record scores the same."""
    for min_df, max_df in ((settings["min_df"], 0.95), (1, 1.0)):
        vectorizer = TfidfVectorizer(
            ngram_range=(1, 2),
            sublinear_tf=True,
            max_df=max_df,
            min_df=min_df,
            dtype=np.float32,
        )
        try:
            return vectorizer.fit_transform(texts).tocsr()
        except ValueError:  # "no terms remain" / "empty vocabulary"
            continue
    return sparse.csr_matrix((len(texts), 1), dtype=np.float32)


def _load(path: Path, digest: str) -> sparse.csr_matrix | None:
    try:
        with np.load(path, allow_pickle=False) as stored:
            if str(stored["digest"]) != digest:
                return None
            shape = tuple(int(n) for n in stored["shape"])
            return sparse.csr_matrix(
                (stored["data"], stored["indices"], stored["indptr"]), shape=shape
            )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        log.info("%s cannot be read (%s): features are built again", path, error)
        return None


def _save(path: Path, digest: str, matrix: sparse.csr_matrix) -> None:
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.")
        with os.fdopen(handle, "wb") as out:
            np.savez(
                out,
                digest=np.array(digest),
                shape=np.array(matrix.shape, dtype=np.int64),
                data=matrix.data,
                indices=matrix.indices,
                indptr=matrix.indptr,
            )
        # mkstemp makes the file private; a cache is read by whoever runs the pipeline next
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as error:
        log.warning("%s cannot be written (%s): features are built on every run", path, error)
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def features(
    texts: Sequence[str], settings: Mapping[str, Any], cache: str | Path | None = None
) -> sparse.csr_matrix:
    """The TF-IDF matrix of ``texts`` (one row each), from ``cache`` when it is current."""
    if cache is None:
        return _build(texts, settings)
    path = Path(cache)
    digest = text_digest(texts, settings)
    matrix = _load(path, digest)
    if matrix is None:
        shown = _shown(path)
        log.info(
            "building the text features of %d records for ranking (about a minute per "
            "100,000 records; kept in %s for the next runs)",
            len(texts),
            shown,
        )
        started = time.perf_counter()
        matrix = _build(texts, settings)
        _save(path, digest, matrix)
        log.info(
            "%s: text features of %d records built in %.1f s",
            shown,
            len(texts),
            time.perf_counter() - started,
        )
    return matrix


def _shown(path: Path) -> str:
    """The path as the log shows it: from the review's folder when it is under it."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
