"""Small constructed reviews for the PRISMA tests, and an independent count of their boxes.

A review is a config ``searches`` list plus a list of ``Study``: which searches found it
(one record per entry) and its title/abstract and full-text decisions. ``write_review``
writes the pipeline tables the PRISMA stage reads; ``expected_counts`` counts the boxes
with plain loops, independently of prismake.prisma.counts.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from prismake.csvio import write_table


@dataclass
class Study:
    id: str
    found_by: list[str]
    ta: str | None = None
    ft: str | None = None
    reason: str = ""


def search(name: str, database: str, source: str = "database", round_: int = 1) -> dict:
    return {
        "name": name,
        "database": database,
        "source": source,
        "round": round_,
        "file": f"data/raw/{name}.ris",
        "date_searched": "2025-02-03",
        "query": f"{name} query",
    }


SCREENING = {
    "stages": {
        "title_abstract": {"mode": "dual", "reviewers": ["alice", "ben"]},
        "full_text": {"mode": "single", "reviewers": ["alice"]},
    },
    "full_text_exclusion_reasons": ["Not co-production", "Wrong participants"],
}


# the basis of a final decision on a study no reviewer screened (NOT_SCREENED_BASES)
BASIS = {
    "removed_automation": "removed",
    "removed_other": "removed",
    "excluded_automation": "automation",
}


def write_review(folder: Path, searches: list[dict], studies: list[Study]) -> dict[str, str]:
    """The tables of records, studies, dedupe counts and decisions; returns their paths."""
    order = {s["name"]: i for i, s in enumerate(searches)}
    per_search: Counter[str] = Counter()
    records, study_rows, ta_rows, ft_rows = [], [], [], []
    anchored: Counter[str] = Counter()
    for study in studies:
        ids = []
        for name in study.found_by:
            per_search[name] += 1
            record_id = f"{name}-{per_search[name]}"
            ids.append(record_id)
            records.append({"record_id": record_id, "search": name, "study_id": study.id})
        anchored[min(study.found_by, key=order.__getitem__)] += 1
        study_rows.append({"study_id": study.id, "record_ids": "; ".join(ids)})
        if study.ta is not None:
            basis = BASIS.get(study.ta, "")  # as decisions.csv has it (screening.stage)
            ta_rows.append(
                {"study_id": study.id, "decision": study.ta, "reason": "", "basis": basis}
            )
        if study.ft is not None:
            ft_rows.append({"study_id": study.id, "decision": study.ft, "reason": study.reason})
    dedupe = [
        {
            "search": s["name"],
            "records_identified": per_search[s["name"]],
            "duplicates_removed": per_search[s["name"]] - anchored[s["name"]],
            "studies_first_found": anchored[s["name"]],
        }
        for s in searches
    ]
    paths = {
        "records": str(folder / "records.csv"),
        "studies": str(folder / "studies.csv"),
        "dedupe_counts": str(folder / "dedupe_counts.csv"),
        "title_abstract": str(folder / "screening" / "title_abstract" / "decisions.csv"),
        "full_text": str(folder / "screening" / "full_text" / "decisions.csv"),
    }
    decision_columns = ["study_id", "decision", "reason", "basis"]
    write_table(
        pd.DataFrame(records, columns=["record_id", "search", "study_id"]), paths["records"]
    )
    write_table(pd.DataFrame(study_rows, columns=["study_id", "record_ids"]), paths["studies"])
    write_table(pd.DataFrame(dedupe), paths["dedupe_counts"])
    write_table(pd.DataFrame(ta_rows, columns=decision_columns), paths["title_abstract"])
    write_table(pd.DataFrame(ft_rows, columns=decision_columns), paths["full_text"])
    return paths


def expected_counts(
    searches: list[dict], studies: list[Study], previous: dict | None = None
) -> dict:
    """Every box counted with plain loops (the independent count the tests compare with)."""
    info = {s["name"]: s for s in searches}
    latest = max(s["round"] for s in searches)
    n: Counter[str] = Counter()
    detail: dict[str, Counter[str]] = {
        "database": Counter(),
        "register": Counter(),
        "other": Counter(),
        "dbr_reason": Counter(),
        "other_reason": Counter(),
    }
    for s in searches:
        if s["round"] == latest:
            detail[s["source"]][s["database"]] += 0
    previous_included = 0
    for study in studies:
        first = min(info[name]["round"] for name in study.found_by)
        dbr = any(info[name]["source"] != "other" for name in study.found_by)
        for name in study.found_by:
            s = info[name]
            if s["round"] == latest:
                detail[s["source"]][s["database"]] += 1
                n["other_records" if s["source"] == "other" else "dbr_records"] += 1
        if first != latest:
            previous_included += study.ft == "include"
            continue
        if dbr:
            n["dbr_studies"] += 1
            if study.ta == "removed_automation":
                n["excluded_automatic"] += 1
                continue
            if study.ta == "removed_other":
                n["excluded_other"] += 1
                continue
            n["records_screened"] += 1
            if study.ta == "exclude":
                n["records_excluded"] += 1
            if study.ta in ("pending", "conflict"):
                n["records_awaiting"] += 1
            if study.ta not in ("include", "maybe"):
                continue
            column = "dbr"
        else:
            n["other_studies"] += 1
            column = "other"
        n[f"{column}_sought_reports"] += 1
        if study.ft == "not_retrieved":
            n[f"{column}_notretrieved_reports"] += 1
            continue
        n[f"{column}_assessed"] += 1
        if study.ft == "exclude":
            n[f"{column}_excluded"] += 1
            detail[f"{column}_reason"][study.reason or "Reason not given"] += 1
        elif study.ft == "include":
            n["new_studies"] += 1
        else:
            n[f"{column}_awaiting"] += 1
    n["database_results"] = sum(detail["database"].values())
    n["register_results"] = sum(detail["register"].values())
    n["other_results"] = sum(detail["other"].values())
    n["duplicates"] = n["dbr_records"] - n["dbr_studies"]
    n["other_duplicates"] = n["other_records"] - n["other_studies"]
    n["new_reports"] = n["new_studies"]
    n["previous_studies"] = previous["studies"] if previous else previous_included
    n["previous_reports"] = (
        previous.get("reports", n["previous_studies"]) if previous else previous_included
    )
    n["total_studies"] = n["previous_studies"] + n["new_studies"]
    n["total_reports"] = n["previous_reports"] + n["new_reports"]
    return {"n": n, "detail": detail, "latest": latest}


def random_review(
    seed: int, *, other: bool, updated: bool, size: int = 60
) -> tuple[list[dict], list[Study]]:
    """A consistent review of ``size`` studies with every kind of decision."""
    rng = random.Random(seed)
    searches = [
        search("scopus", "Scopus"),
        search("pubmed", "PubMed"),
        search("ctgov", "ClinicalTrials.gov", "register"),
    ]
    if other:
        searches.append(search("citations", "Citation searching", "other"))
        searches.append(search("websites", "Websites of agencies", "other"))
    if updated:
        searches.append(search("scopus2", "Scopus", "database", 2))
        if other:
            searches.append(search("citations2", "Citation searching", "other", 2))
    latest = max(s["round"] for s in searches)
    reasons = ["Not co-production", "Wrong participants", "Unlisted reason", ""]
    studies = []
    for i in range(size):
        pool = [s["name"] for s in searches]
        found = rng.sample(pool, rng.randint(1, min(3, len(pool))))
        if rng.random() < 0.2:
            found.append(found[0])  # the same search found it twice
        first = min(s["round"] for s in searches if s["name"] in found)
        dbr = any(s["source"] != "other" for s in searches if s["name"] in found)
        study = Study(f"S{i:03d}", found)
        if dbr:
            study.ta = rng.choice(
                [
                    "include",
                    "include",
                    "maybe",
                    "exclude",
                    "exclude",
                    "pending",
                    "conflict",
                    "removed_automation",
                    "removed_other",
                ]
            )
        if (not dbr) or study.ta in ("include", "maybe"):
            study.ft = rng.choice(
                ["include", "include", "exclude", "exclude", "not_retrieved", "pending"]
            )
            if study.ft == "exclude":
                study.reason = rng.choice(reasons)
        if first != latest and study.ta not in (None, "include", "maybe"):
            study.ft = None
        if first != latest:  # an earlier round is a finished previous version
            if study.ta in ("pending", "conflict"):
                study.ta, study.ft = "exclude", None
            if study.ft == "pending":
                study.ft = "exclude"
                study.reason = rng.choice(reasons)
        studies.append(study)
    return searches, studies
