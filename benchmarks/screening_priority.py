"""Prioritised screening against ASReview on the labelled SYNERGY sets, and retrain time.

    flock /tmp/prismake-heavy.lock python benchmarks/screening_priority.py
    python benchmarks/screening_priority.py --seeds 1 --batches 1,25    # a quick look

For every set in ../shared/bench/screening, every seed (the priors ASReview was started
from, from priors.csv) and every batch size, it replays a team screening with prismake's
model (``prismake.screening.priority.simulate``), scores the order with that folder's
``score_ranking.py`` (ASReview Insights' conventions, priors left out) and prints the means
beside ASReview 3.0.8's figures from the folder's README. ``wss95`` is the Insights
convention (the one of the published ASReview figures); ``wss95_plain`` the textbook one.

The stopping rule (``prismake.screening.stopping``) is checked after every batch, as a team
would see it after each run; the table gives the recall reached where it first says "stop",
the share of runs reaching the target, the records it would have saved and the batches (a
team's pipeline runs) screened until then. Then the random sample the rule asks for
(``sample: true``) is drawn from the records left and screened until the rule is met on
it: its size, and the recall reached with it.

``--draws K`` replays every start K times, each with another seed for the model's own
randomness (the draw of presumed-irrelevant records, the SVM's), the priors unchanged:
the means are then over 5 x K runs, and each set shows how far a 5-seed mean moves from
one draw to the next, the noise a 5-seed figure carries. The first draw is the plain run.

``--asreview EXE`` runs ASReview LAB's own simulation (``asreview simulate``, its default
model ELAS u4 with its settings written out so that ``n_query`` can be set) at the same
batch sizes, from the same priors and seeds, scored the same way, and prints it beside
prismake's. ASReview lives in its own environment:

    python3 -m venv /tmp/asreview && /tmp/asreview/bin/pip install asreview==3.0.8
    python benchmarks/screening_priority.py --asreview /tmp/asreview/bin/asreview

Finally, on generated records (10,000 and 100,000): the feature build, cold and from the
cache a rerun reads, and the time of one retrain (fit + rank).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from contextlib import closing
from pathlib import Path

import numpy as np
import pandas as pd

from prismake.screening.priority import PriorityModel, ScreeningPool, next_batch_size, simulate
from prismake.screening.stopping import (
    check_stopping,
    most_relevant_left,
    p_recall_below_target,
    sample_size,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "bench" / "screening"
METRICS = ("recall_at_10pct", "wss95_insights", "wss95", "last_relevant", "loss")
SHOWN = ("recall@10%", "WSS@95", "WSS@95 plain", "to last rel.", "loss")


def load_scorer(data: Path):
    spec = importlib.util.spec_from_file_location("score_ranking", data / "score_ranking.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def asreview_figures(data: Path) -> dict[str, tuple[float, ...]]:
    """The README table: set -> (recall@10%, WSS@95, records to last relevant, loss)."""
    figures = {}
    for line in (data / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and (data / f"{cells[0]}.csv").is_file():
            figures[cells[0]] = tuple(float(c) for c in cells[3:])
    return figures


def stop_point(labels, n_priors, batch, target, confidence, growth=1.0):
    """Records screened when the rule first says stop, checked at the end of every batch,
    and the batches (pipeline runs of the team) it took to get there.

    The batch ends are those of the simulation (``next_batch_size``: short batches first).
    """
    n = len(labels)
    screened, batches = n_priors, 0
    while screened < n:
        known = dict(enumerate(labels[:screened]))
        screened = min(n, screened + next_batch_size(batch, known, growth))
        batches += 1
        if p_recall_below_target(labels[:screened], n, target) < 1 - confidence:
            return screened, batches
    return n, batches


def random_sample(labels, stop, seed, target, confidence):
    """The sample a team screens after stopping the ranked phase at ``stop`` (sample: true).

    The records left are drawn in a fixed-seed random order; the sample grows, as the
    pipeline's does, until the rule is met on it. Returns (sample size, relevant found).
    """
    found, rest = sum(labels[:stop]), labels[stop:]
    drawn = [rest[i] for i in np.random.default_rng(seed).permutation(len(rest))]
    size, in_sample = 0, 0
    while (needed := sample_size(found, in_sample, len(rest), target, confidence)) > size:
        in_sample += sum(drawn[size:needed])
        size = needed
    return size, found + in_sample


CHECKED_AT = (0.1, 0.2, 0.3, 0.5)  # shares of the records screened where status is checked


def relevant_left(labels, confidence):
    """At each of CHECKED_AT: (relevant truly left, at most at even odds, at most at
    ``confidence``), as ``prismake status`` reports them from the decisions so far."""
    n, total = len(labels), sum(labels)
    out = []
    for share in CHECKED_AT:
        seen = labels[: int(n * share)]
        out.append(
            (
                total - sum(seen),
                most_relevant_left(seen, n, 0.5),
                most_relevant_left(seen, n, confidence),
            )
        )
    return out


# A seed of the model's own per draw: far from the priors' seeds, so no two runs share one.
DRAW_STEP = 10_007


def run_set(name, data, scorer, priors, seeds, batches, target, confidence, model=None, draws=1):
    frame = pd.read_csv(data / f"{name}.csv", dtype=str, keep_default_na=False)
    truth = dict(zip(frame.record_id, frame.label_included.astype(int), strict=True))
    ids, labels = list(frame.record_id), [truth[r] for r in frame.record_id]
    pool = ScreeningPool(frame.record_id, frame.title, frame.abstract, model)
    total = sum(labels)
    rows = []
    for batch in batches:
        started = time.perf_counter()
        for seed, draw in ((s, d) for d in range(draws) for s in seeds):
            prior_ids = priors[(priors.dataset == name) & (priors.seed == seed)].record_id
            prior_ids = list(prior_ids)
            model_seed = seed + DRAW_STEP * draw
            order = simulate(
                pool, truth, prior_ids, batch, model_seed, shortcut_after_last_relevant=True
            )
            score, _, _ = scorer.score(ids, labels, order, prior_ids)
            screened_labels = [truth[r] for r in order]
            stop, batches_to_stop = stop_point(
                screened_labels, len(prior_ids), batch, target, confidence, pool.model.growth
            )
            recall = sum(screened_labels[:stop]) / total
            sample, found = random_sample(screened_labels, stop, model_seed, target, confidence)
            left = relevant_left(screened_labels, confidence)
            rows.append(
                {
                    "set": name,
                    "batch": batch,
                    "seed": seed,
                    "draw": draw,
                    **{m: score[m] for m in METRICS},
                    "stop_at": stop,
                    "batches": batches_to_stop,
                    "stop_recall": recall,
                    "saved": len(order) - stop,
                    "sample": sample,
                    "sample_recall": found / total,
                    **{
                        f"{what}_{share}": value
                        for share, figures in zip(CHECKED_AT, left, strict=True)
                        for what, value in zip(("left", "even", "most"), figures, strict=True)
                    },
                    "seconds": 0.0,
                }
            )
        per_run = (time.perf_counter() - started) / (len(seeds) * draws)
        for row in rows[-len(seeds) * draws :]:
            row["seconds"] = per_run
    return pd.DataFrame(rows), len(frame), total


# ASReview LAB 3.0.8's default model, ELAS u4 (asreview/models/models.py), as a config file
# for `asreview simulate --config-file`, which is the way to give it a batch size (n_query)
ELAS_U4 = {
    "querier": "max",
    "classifier": "svm",
    "classifier_param": {"loss": "squared_hinge", "C": 0.11},
    "balancer": "balanced",
    "balancer_param": {"ratio": 9.8},
    "feature_extractor": "tfidf",
    "feature_extractor_param": {
        "ngram_range": [1, 2],
        "sublinear_tf": True,
        "min_df": 1,
        "max_df": 0.95,
    },
}


def asreview_runs(exe, name, data, scorer, priors, seeds, batches):
    """ASReview's own simulation of the set at each batch size, scored like prismake's."""
    exe = str(Path(shutil.which(exe) or exe).absolute())  # it runs in another folder
    frame = pd.read_csv(data / f"{name}.csv", dtype=str, keep_default_na=False)
    ids, labels = list(frame.record_id), [int(v) for v in frame.label_included]
    position = {record_id: i for i, record_id in enumerate(ids)}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # without a record_id column ASReview numbers the rows 0, 1, ... itself
        dataset = folder / f"{name}.csv"
        frame[["title", "abstract", "label_included"]].to_csv(dataset, index=False)
        for batch in batches:
            config = folder / f"elas_u4_{batch}.json"
            config.write_text(json.dumps({**ELAS_U4, "n_query": batch}), encoding="utf-8")
            for seed in seeds:
                prior_ids = list(priors[(priors.dataset == name) & (priors.seed == seed)].record_id)
                project = folder / f"{batch}_{seed}.asreview"
                command = [exe, "simulate", str(dataset), "--seed", str(seed)]
                command += ["--prior-idx", *(str(position[r]) for r in prior_ids)]
                command += ["--config-file", str(config), "-o", str(project)]
                # run in the temporary folder: ASReview leaves a requests cache where it runs
                subprocess.run(command, check=True, capture_output=True, cwd=folder)
                with zipfile.ZipFile(project) as archive:
                    database = archive.extract("results.db", folder / f"{batch}_{seed}")
                with closing(sqlite3.connect(database)) as results:
                    query = "SELECT record_id FROM results ORDER BY rowid"
                    order = [ids[row[0]] for row in results.execute(query)]
                # ASReview stops at the last relevant record: the rest follows in any order
                labelled = set(order)
                order += [r for r in ids if r not in labelled]
                score, _, _ = scorer.score(ids, labels, order, prior_ids)
                rows.append({"batch": batch, "seed": seed, **{m: score[m] for m in METRICS}})
    return pd.DataFrame(rows)


def print_set(name, runs, n, total, asreview, batches, confidence, theirs=None):
    print(f"\n{name}: {n} records, {total} relevant")
    header = f"{'':<16}" + "".join(f"{s:>14}" for s in SHOWN)
    print(
        header + f"{'stop recall':>13}{'met':>7}{'saved':>8}{'batches':>8}{'sample':>8}{'s/run':>7}"
    )
    ours_b1 = None
    for batch in batches:
        part = runs[runs.batch == batch]
        means = [part[m].mean() for m in METRICS]
        if batch == 1:
            ours_b1 = means
        cells = "".join(
            f"{v:>14.0f}" if m == "last_relevant" else f"{v:>14.3f}"
            for m, v in zip(METRICS, means, strict=True)
        )
        met = f"{(part.stop_recall >= TARGET).sum()}/{len(part)}"
        print(
            f"{'prismake b=' + str(batch):<16}{cells}{part.stop_recall.mean():>13.3f}"
            f"{met:>7}{part.saved.mean():>8.0f}{part.batches.mean():>8.0f}"
            f"{part['sample'].mean():>8.0f}{part.seconds.mean():>7.1f}"
        )
    if runs.draw.nunique() > 1:
        spread = runs.groupby(["batch", "draw"])[["recall_at_10pct", "wss95_insights"]].mean()
        for batch in batches:
            low, high = spread.loc[batch].min(), spread.loc[batch].max()
            print(
                f"{'':<16}b={batch}: the {runs.seed.nunique()}-seed means of the "
                f"{runs.draw.nunique()} draws: recall@10% "
                f"{low.recall_at_10pct:.3f}-{high.recall_at_10pct:.3f}, WSS@95 "
                f"{low.wss95_insights:.3f}-{high.wss95_insights:.3f}"
            )
    cells = [
        f"{share:.0%}: {runs[f'left_{share}'].mean():.1f} / {runs[f'even_{share}'].mean():.1f}"
        f" / {runs[f'most_{share}'].mean():.1f}"
        for share in CHECKED_AT
    ]
    print(
        f"{'':<16}relevant left (true / at most, even odds / at most, {confidence:.0%}) after "
        "screening " + ", ".join(cells)
    )
    if theirs is not None:
        for batch in batches:
            means = theirs[theirs.batch == batch][list(METRICS)].mean()
            cells = "".join(
                f"{v:>14.0f}" if m == "last_relevant" else f"{v:>14.3f}" for m, v in means.items()
            )
            print(f"{'ASReview b=' + str(batch):<16}{cells}   (asreview simulate, run here)")
    if name in asreview:
        r10, wss, last, loss = asreview[name]
        print(f"{'ASReview 3.0.8':<16}{r10:>14.3f}{wss:>14.3f}{'':>14}{last:>14.0f}{loss:>14.3f}")
        if ours_b1 is not None:
            verdict = "beats" if ours_b1[0] >= r10 and ours_b1[1] >= wss else "BELOW"
            print(f"{'':<16}batch 1 {verdict} ASReview on recall@10% and WSS@95")


def generated_pool(n: int, seed: int = 0):
    """Records of Zipf-distributed words, about as long as real titles and abstracts."""
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(30_000)]
    weights = [1 / (i + 1) for i in range(len(vocabulary))]
    ids, titles, abstracts = [], [], []
    for i in range(n):
        words = rng.choices(vocabulary, weights, k=180)
        ids.append(f"G{i:07d}")
        titles.append(" ".join(words[:12]))
        abstracts.append(" ".join(words[12:]))
    return ids, titles, abstracts


def time_retrain(sizes):
    print(
        "\nTime on generated records: feature build (cold: built and written to the cache; "
        "cached: read back), one retrain (fit on the labelled, rank the rest), and the "
        "figures status gives (stopping rule and the two bounds on relevant left)"
    )
    print(
        f"{'records':>9}{'features':>10}{'cold s':>8}{'cached s':>10}{'cache MB':>10}"
        f"{'labelled':>10}{'retrain s':>11}{'status s':>10}"
    )
    for n in sizes:
        ids, titles, abstracts = generated_pool(n)
        with tempfile.TemporaryDirectory() as folder:
            cache = Path(folder) / "features.npz"
            started = time.perf_counter()
            ScreeningPool(ids, titles, abstracts, cache=cache)
            cold = time.perf_counter() - started
            started = time.perf_counter()
            pool = ScreeningPool(ids, titles, abstracts, cache=cache)
            cached = time.perf_counter() - started
            size = cache.stat().st_size / 1e6
        rng = random.Random(1)
        for n_labelled in (min(500, n // 2), min(5_000, n // 2)):
            labelled = rng.sample(ids, n_labelled)
            labels = {rid: int(i % 20 == 0) for i, rid in enumerate(labelled)}
            started = time.perf_counter()
            pool.rank(labels, seed=1)
            retrain = time.perf_counter() - started
            started = time.perf_counter()
            screened = list(labels.values())
            check_stopping(screened, n)
            most_relevant_left(screened, n, 0.5)
            most_relevant_left(screened, n, 0.95)
            status = time.perf_counter() - started
            print(
                f"{n:>9}{pool.features.shape[1]:>10}{cold:>8.1f}{cached:>10.2f}{size:>10.0f}"
                f"{n_labelled:>10}{retrain:>11.2f}{status:>10.2f}"
            )


def time_hand_out(sizes) -> None:
    """What a rerun of the screening step computes for a prioritised stage: the next batch
    (retrain included) and status's figures, through the pipeline's own functions, with
    the features already kept (the common case) and a fifth of the studies decided."""
    import pandas as pd

    from prismake.screening.prioritise import keep_ranks, next_candidates, stage_progress
    from prismake.screening.stage import Entry, Reading, StudyIndex

    # a review "in progress" without prismake's kept files: their warnings are not the point
    logging.getLogger("prismake").setLevel(logging.ERROR)
    print(
        "\nA rerun's prioritised step (features kept): next batch, without and with the "
        "kept order\n(handed_out.csv, read several times a run), and status's figures"
    )
    print(f"{'records':>9}{'decided':>9}{'next batch s':>14}{'with order s':>14}{'status s':>10}")
    config = {"stages": {"title_abstract": {"mode": "single", "reviewers": ["ana"]}}}
    config["stages"]["title_abstract"]["prioritise"] = {"batch": 50}
    for n in sizes:
        ids, titles, abstracts = generated_pool(n)
        frame = pd.DataFrame(
            {
                "study_id": [f"S-{i:07d}" for i in range(n)],
                "record_ids": ids,
                "sources": "database",
                "title": titles,
                "abstract": abstracts,
            }
        )
        index = StudyIndex.from_frame(frame)
        candidates = list(index.studies["study_id"])
        with tempfile.TemporaryDirectory() as folder:
            sheets = Path(folder) / "data" / "screening" / "title_abstract"
            sheets.mkdir(parents=True)
            reading = Reading(folder=sheets)
            decided = n // 5
            for row, study in enumerate(candidates[:decided], 2):
                decision = "include" if row % 20 == 0 else "exclude"
                reading.entries.append(
                    Entry(study, study, "ana", decision, "", "", "ana.csv", row, rank=row - 1)
                )
            next_candidates("title_abstract", index, candidates, reading, config)  # keeps them
            started = time.perf_counter()
            next_candidates("title_abstract", index, candidates, reading, config)
            batch = time.perf_counter() - started
            keep_ranks("title_abstract", reading, reading.ranks())  # as the sheets' sync does
            started = time.perf_counter()
            next_candidates("title_abstract", index, candidates, reading, config)
            with_order = time.perf_counter() - started
            started = time.perf_counter()
            stage_progress("title_abstract", candidates, reading, config, index)
            status = time.perf_counter() - started
        print(f"{n:>9}{decided:>9}{batch:>14.2f}{with_order:>14.2f}{status:>10.2f}")


def time_status_at_scale(n_records: int = 100_000) -> None:
    """What status computes on a big review, where the test has a tail per relevant record
    found: as prismake computes it (bounds, exact where they matter) and with every tail
    exact (the bounds switched off), in the same run."""
    from unittest import mock

    from prismake.screening import stopping

    print(
        f"\nStatus on a big review ({n_records:,} records, a ranked order whose share of "
        "relevant falls from a half to 2 %): seconds, bounded / every tail exact"
    )
    print(f"{'screened':>9}{'found':>7}{'bounded s':>11}{'exact s':>9}{'ratio':>7}  same")
    rng = np.random.default_rng(1)
    stopping._hypergeom()  # scipy's import is not the test's time

    def everything_exact(k, *rest):
        return np.zeros(np.shape(k)), np.ones(np.shape(k))

    for n_screened in (5_000, 20_000, 40_000):
        share = np.linspace(0.5, 0.02, n_screened)
        screened = (rng.random(n_screened) < share).astype(int).tolist()
        figures, seconds = [], []
        for bounds in (stopping._cdf_bounds, everything_exact):
            with mock.patch.object(stopping, "_cdf_bounds", bounds):
                started = time.perf_counter()
                figures.append(
                    (
                        check_stopping(screened, n_records),
                        most_relevant_left(screened, n_records, 0.5),
                        most_relevant_left(screened, n_records, 0.95),
                    )
                )
                seconds.append(time.perf_counter() - started)
        print(
            f"{n_screened:>9}{sum(screened):>7}{seconds[0]:>11.2f}{seconds[1]:>9.2f}"
            f"{seconds[1] / seconds[0]:>7.0f}  {figures[0] == figures[1]}"
        )


TARGET = 0.95


def _model(text: str) -> PriorityModel:
    """``PriorityModel`` with the settings given as 'name=value,...' (types from the defaults)."""
    default = PriorityModel()
    changes = {}
    for item in filter(None, text.split(",")):
        name, value = item.split("=", 1)
        changes[name] = type(getattr(default, name))(value)
    model = PriorityModel(**changes)
    if changes:
        print(f"model: {model}")
    return model


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--seeds", default="1,2,3,4,535")
    parser.add_argument("--batches", default="1,10,25,100")
    parser.add_argument("--sets", default="", help="comma-separated names; default every set")
    parser.add_argument("--confidence", type=float, default=0.95)
    parser.add_argument(
        "--draws", type=int, default=1, help="runs per start, each with another model seed"
    )
    parser.add_argument("--timing", default="10000,100000", help="generated sizes ('' = none)")
    parser.add_argument(
        "--asreview",
        default="",
        help="an asreview executable (3.0.8): run its own simulation beside prismake's",
    )
    parser.add_argument(
        "--model",
        default="",
        help="try other settings, e.g. 'pseudo_weight=0.5,warm_up_relevant=2'",
    )
    args = parser.parse_args(argv)
    if not (args.data / "priors.csv").is_file():
        print(f"no benchmark sets in {args.data}: nothing to measure", file=sys.stderr)
        return 1
    seeds = [int(s) for s in args.seeds.split(",")]
    batches = [int(b) for b in args.batches.split(",")]
    scorer = load_scorer(args.data)
    asreview = asreview_figures(args.data)
    priors = pd.read_csv(args.data / "priors.csv", dtype={"record_id": str})
    names = args.sets.split(",") if args.sets else sorted(asreview, key=lambda s: s)
    model = _model(args.model)
    started = time.perf_counter()
    all_runs, all_theirs = [], []
    print(
        f"seeds {seeds} x {args.draws} draw(s), batches {batches}; stopping rule: recall >= "
        f"{TARGET:.0%} with {args.confidence:.0%} confidence, checked after every batch"
    )
    for name in names:
        runs, n, total = run_set(
            name,
            args.data,
            scorer,
            priors,
            seeds,
            batches,
            TARGET,
            args.confidence,
            model,
            args.draws,
        )
        theirs = None
        if args.asreview:
            theirs = asreview_runs(args.asreview, name, args.data, scorer, priors, seeds, batches)
            all_theirs.append(theirs.assign(set=name))
        print_set(name, runs, n, total, asreview, batches, args.confidence, theirs)
        all_runs.append(runs)
    runs = pd.concat(all_runs)
    met = (runs.stop_recall >= TARGET).mean()
    print(
        f"\nStopping rule over all {len(runs)} runs: recall >= {TARGET:.0%} in {met:.1%} "
        f"(needs >= {args.confidence:.0%}); lowest recall at stop {runs.stop_recall.min():.3f}; "
        f"records saved: mean {runs.saved.mean():.0f}, "
        f"{runs.saved.sum() / runs.groupby(['set', 'batch', 'seed', 'draw']).ngroups:.0f} per run"
    )
    met = (runs.sample_recall >= TARGET).mean()
    print(
        f"Random sample after that stop (sample: true; drawn until the rule is met on it): "
        f"recall >= {TARGET:.0%} in {met:.1%}; sample of {runs['sample'].mean():.0f} records "
        f"on average (largest {runs['sample'].max()}); records saved after it: mean "
        f"{(runs.saved - runs['sample']).mean():.0f}"
    )
    held = [(runs[f"left_{s}"] <= runs[f"most_{s}"]).mean() for s in CHECKED_AT]
    even = [(runs[f"left_{s}"] <= runs[f"even_{s}"]).mean() for s in CHECKED_AT]
    print(
        f"Relevant left, as status reports it after {', '.join(f'{s:.0%}' for s in CHECKED_AT)} "
        f"of the records: the true count is within the bound at {args.confidence:.0%} in "
        f"{sum(held) / len(held):.1%} of checks (lowest {min(held):.1%}), within the even-odds "
        f"figure in {sum(even) / len(even):.1%}"
    )
    for who, table in (("prismake", [runs]), ("ASReview", all_theirs)):
        if not table:
            continue
        print(f"Batch cost, {who} (mean over sets, batch b minus batch {batches[0]}):")
        by = pd.concat(table).groupby(["batch", "set"])[["recall_at_10pct", "wss95_insights"]]
        by = by.mean()
        for batch in batches:
            diff = (by.loc[batch] - by.loc[batches[0]]).agg(["mean", "min"])
            print(
                f"  b={batch:<4} recall@10% mean {diff.loc['mean', 'recall_at_10pct']:+.3f} "
                f"worst {diff.loc['min', 'recall_at_10pct']:+.3f}; WSS@95 mean "
                f"{diff.loc['mean', 'wss95_insights']:+.3f} worst "
                f"{diff.loc['min', 'wss95_insights']:+.3f}"
            )
    print(f"simulation time {time.perf_counter() - started:.0f} s")
    if args.timing:
        time_retrain([int(n) for n in args.timing.split(",")])
        time_hand_out([int(n) for n in args.timing.split(",")])
        time_status_at_scale()
    return 0


if __name__ == "__main__":
    sys.exit(main())
