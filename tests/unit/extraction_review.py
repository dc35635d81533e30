"""A small review for the extraction, tables, figures and references tests (not a test file).

Ten studies: seven included (two "Smith et al. (2019)", one without authors), two excluded
at full text with reasons, one not retrieved; a coding sheet from two coders who both
coded two studies, and a characteristics sheet.
"""

from __future__ import annotations

import csv
from pathlib import Path

from prismake.csvio import write_table

ROOT = Path(__file__).resolve().parents[2]
CODEBOOK = ROOT / "config" / "codebook.yaml"
CHARACTERISTICS = ["country", "sector", "setting", "design", "participants"]

STUDY_COLUMNS = [
    "study_id", "title", "authors", "authors_norm", "year", "journal", "volume", "issue",
    "pages", "doi", "abstract", "keywords", "url", "type", "language", "n_records",
    "record_ids", "searches", "databases", "sources", "round",
]  # fmt: skip

# study_id, title, authors, year, type, full-text decision, reason
STUDIES = [
    ("S-aaaaaaaaaa", "Trust and time in co-produced mental health policy",
     "Smith, Anna; Jones, Bob; Patel, Chandra", "2019", "JOUR", "include", ""),
    ("S-bbbbbbbbbb", "Co-design with service users: a realist review",
     "Smith, Anna; Okafor, Dayo; Lee, Eun", "2019", "JOUR", "include", ""),
    ("S-cccccccccc", "Paying people for their time: resourcing co-production",
     "Müller, Jürgen; García, Lucía", "2021", "JOUR", "include", ""),
    ("S-dddddddddd", "Whose words? The language of participation",
     "O'Brien, Kate", "2018", "CHAP", "include", ""),
    ("S-eeeeeeeeee", "Managing expectations in local government: 50% of plans {revised}",
     "van der Berg, Anouk; de Vries, Pim; Smith, Tom; Wu, Li", "2020", "RPRT", "include", ""),
    ("S-ffffffffff", "One size does not fit all", "", "2022", "GEN", "include", ""),
    ("S-gggggggggg", "Culture change and co-production in social care",
     "Nguyen, Thi; Brown, Sam", "", "JOUR", "include", ""),
    ("S-hhhhhhhhhh", "A survey of clinicians", "Adams, Rose", "2017", "JOUR", "exclude",
     "Not co-production"),
    ("S-iiiiiiiiii", "Conference abstract on co-design", "Smith, Anna; Jones, Bob",
     "2019", "CONF", "exclude", "Conference abstract only"),
    ("S-jjjjjjjjjj", "An unobtainable report", "Khan, Imran", "2016", "RPRT",
     "not_retrieved", ""),
]  # fmt: skip

CODING_HEADER = ["study_id", "theme", "kind", "excerpt", "location", "coder", "note"]
# study_id | theme | kind | excerpt | location | coder | note (themes and kinds typed in
# different ways on purpose: ids, labels, other case)
CODING_TEXT = """
S-aaaaaaaaaa|culture|risk|Trust took years to build and weeks to lose.|p. 7|alice|
S-aaaaaaaaaa|culture|lesson|Meet in places users already go.|p. 9|alice|
S-aaaaaaaaaa|Resourcing|limit|No budget line for user time.|p. 10|alice|
S-aaaaaaaaaa|culture|risk|Trust took years to build and weeks to lose.|p. 7|ben|
S-aaaaaaaaaa|expectations|risk|Users expected change within months.|p. 8|ben|
S-bbbbbbbbbb|Creating a co-productive culture|Risk|Officials kept the agenda.|Results|alice|
S-bbbbbbbbbb|one_size|lesson|Adapt the method to the place.|Discussion|alice|
S-bbbbbbbbbb|language|RISK|'Co-production' was used for consultation.|p. 3|alice|
S-bbbbbbbbbb|one size|lesson|Adapt the method to the place.|Discussion|ben|
S-bbbbbbbbbb|language|risk|Jargon excluded people.|p. 4|ben|
S-cccccccccc|resourcing|risk|Unpaid labour of service users.|p. 2|alice|
S-cccccccccc|resourcing|lesson|Pay people for their time.|p. 12|alice|strong
S-cccccccccc|resourcing|lesson|Budget for training everyone.|p. 13|alice|
S-dddddddddd|language|limit|Words cannot fix power imbalances.|Ch. 2|alice|
S-dddddddddd|watching language|lesson|Agree terms together, early.|Ch. 4|alice|
S-eeeeeeeeee|expectations|lesson|Say early what cannot change.|p. 21|alice|
S-eeeeeeeeee|expectations|limit|Policy cycles outlast projects.|p. 22|alice|
S-eeeeeeeeee|culture|limit|One project cannot change an institution.|p. 23|alice|
S-ffffffffff|one_size|risk|A toolkit was imposed on every site.|Section 3|alice|
S-ffffffffff|one_size|limit|No model fits rural areas.|Section 4|alice|
"""
CODING = [line.split("|") for line in CODING_TEXT.strip().splitlines()]

CHARACTERISTICS_ROWS = [
    ["S-aaaaaaaaaa", "UK", "Mental health", "Community", "Qualitative", "Users; staff"],
    ["S-bbbbbbbbbb", "Canada", "Health", "Hospital", "Realist review", "Mixed"],
    ["S-cccccccccc", "Spain", "Social care", "Local", "Case study", "Users"],
    ["S-eeeeeeeeee", "Netherlands", "Local government", "Council", "Mixed methods", "Officials"],
]


def write_csv(path: Path, header: list[str], rows: list[list[str]], **options: object) -> Path:
    """A sheet as a person might save it (options: encoding, delimiter, lineterminator)."""
    encoding = str(options.pop("encoding", "utf-8"))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, **options)  # type: ignore[arg-type]
        writer.writerow(header)
        writer.writerows(rows)
    return path


def make_review(tmp_path: Path) -> dict[str, Path]:
    """Write studies.csv, full-text decisions and the extraction sheets under tmp_path."""
    studies = []
    decisions = []
    for study_id, title, authors, year, kind, decision, reason in STUDIES:
        record = f"scopus-{study_id[2:].lower()}"
        studies.append(
            {
                "study_id": study_id,
                "title": title,
                "authors": authors,
                "year": year,
                "journal": "Journal of Co-production",
                "volume": "3",
                "issue": "2",
                "pages": "10-20",
                "doi": f"10.1000/{study_id[2:].lower()}",
                "type": kind,
                "language": "English",
                "n_records": "1",
                "record_ids": record,
                "searches": "scopus",
                "databases": "Scopus",
                "sources": "database",
                "round": "1",
            }
        )
        decisions.append(
            {
                "study_id": study_id,
                "decision": decision,
                "reason": reason,
                "basis": "agreement",
                "reviewers": "alice; ben",
                "note": "",
            }
        )
    import pandas as pd

    from prismake.records import normalise_authors

    frame = pd.DataFrame(studies, columns=STUDY_COLUMNS).astype(object).fillna("")
    frame["authors_norm"] = frame["authors"].map(normalise_authors)
    paths = {
        "studies": tmp_path / "data" / "processed" / "studies.csv",
        "decisions": tmp_path / "results" / "screening" / "full_text" / "decisions.csv",
        "coding": tmp_path / "data" / "extraction" / "coding.csv",
        "characteristics": tmp_path / "data" / "extraction" / "characteristics.csv",
        "codebook": CODEBOOK,
    }
    write_table(frame, paths["studies"])
    write_table(pd.DataFrame(decisions), paths["decisions"])
    write_csv(paths["coding"], CODING_HEADER, CODING)
    write_csv(paths["characteristics"], ["study_id", *CHARACTERISTICS], CHARACTERISTICS_ROWS)
    return paths


def extraction_outputs(tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "results" / "extraction"
    names = ["coded", "characteristics", "to_code", "coder_agreement", "coder_disagreements"]
    outputs = {name: str(folder / f"{name}.csv") for name in names}
    outputs["included"] = str(folder / "included_studies.csv")
    return outputs


def run_extract(
    tmp_path: Path, paths: dict[str, Path] | None = None, **changes: object
) -> dict[str, str]:
    """Run prismake.extraction.extract on the review; returns the output paths."""
    from prismake.extraction import extract

    paths = paths or make_review(tmp_path)
    outputs = extraction_outputs(tmp_path)
    arguments: dict[str, object] = {
        "codebook_path": str(paths["codebook"]),
        "decisions_path": str(paths["decisions"]),
        "studies_path": str(paths["studies"]),
        "coding_paths": [str(paths["coding"])],
        "characteristics_path": str(paths["characteristics"]),
        "extraction": {
            "codebook": str(paths["codebook"]),
            "characteristics": CHARACTERISTICS,
            "quotes_per_cell": 2,
        },
        "outputs": outputs,
    }
    arguments.update(changes)
    extract(**arguments)  # type: ignore[arg-type]
    return outputs
