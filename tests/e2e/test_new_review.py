"""A team's own review, from `prismake init` to the diagram, as a new user would go.

`prismake init` in an empty folder, two exports (tests/data/new_review: a Scopus RIS and a
PubMed MEDLINE file of a small fictional catheter review, three studies in both), two
reviewers in the config, plain `snakemake` (no --cores: the review's default profile),
decisions typed and saved as Excel saves a CSV (UTF-8 with BOM, `;`, CRLF), reruns. The
diagram's numbers are compared with the sheets and exports, counted here independently.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.e2e

DATA = Path(__file__).resolve().parents[1] / "data" / "new_review"
REVIEWERS = {"ana": "Ana Lima", "ben": "Ben Osei"}
# What each reviewer types, by a word of the study's title (ana, ben); None: not decided.
TITLE_ABSTRACT = {
    "Nurse-led": ("include", "include"),
    "Daily reminder": ("yes", "Include"),
    "Bladder scanning": ("include", "i"),
    "Intermittent versus": ("include", "include"),
    "Catheter care bundles": ("include", "include"),
    "Electronic stop orders": ("include", "include"),
    "surveillance definitions": ("exclude", "exclude"),
    "Cost of catheter": ("exclude", "no"),
    "Antimicrobial-coated": ("include", "exclude"),  # resolved: include
    "delirium": ("exclude", "maybe"),  # resolved: exclude
    "experiences of long-term": ("include", "exclude"),  # left unresolved
}
TITLE_ABSTRACT_RESOLUTIONS = {"Antimicrobial-coated": "include", "delirium": "exclude"}
# (decision, reason) per reviewer at full text
FULL_TEXT = {
    "Nurse-led": (("include", ""), ("include", "")),
    "Daily reminder": (("include", ""), ("include", "")),
    "Catheter care bundles": (("include", ""), ("include", "")),
    "Bladder scanning": (("exclude", "Wrong study design"), ("exclude", "wrong study design")),
    "Intermittent versus": (("exclude", "Wrong population"), ("exclude", "Wrong population")),
    "Electronic stop orders": (("not retrieved", ""), ("not retrieved", "")),
    "Antimicrobial-coated": (("include", ""), ("exclude", "Wrong outcome")),  # resolved
}
FULL_TEXT_RESOLUTIONS = {"Antimicrobial-coated": "include"}
RESOLUTION_HEADER = ["study_id", "decision", "reason", "resolved_by", "note"]


def prismake(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("prismake")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "prismake.cli"]
    return subprocess.run([*command, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def plain_snakemake(review: Path, *targets: str, check: bool = True) -> subprocess.CompletedProcess:
    """`snakemake` with no options at all, as the README says to run it (``targets``: only
    the files a test looks at between runs)."""
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", *targets],
        cwd=review,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    if check and result.returncode != 0:
        pytest.fail(f"snakemake failed ({result.returncode}):\n{result.stderr[-6000:]}")
    return result


def read_sheet(path: Path) -> list[list[str]]:
    """A sheet's rows as a spreadsheet reads them: the header's separator, quotes doubled
    inside quoted cells (a dialect sniffed from the header alone misreads those)."""
    text = path.read_text(encoding="utf-8-sig")
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def save_as_excel(path: Path, rows: list[list[str]]) -> None:
    """What Excel writes on 'Save as CSV UTF-8' in a semicolon locale."""
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))


def study_of(title: str, plan: dict) -> str:
    found = [key for key in plan if key.lower() in title.lower()]
    assert len(found) == 1, f"no single plan entry for {title!r}: {found}"
    return found[0]


def type_decisions(review: Path, stage: str, plan: dict, resolutions: dict) -> None:
    """Each reviewer types the plan into their sheet; the resolver fills resolutions.csv."""
    folder = review / "data" / "screening" / stage
    ids = {}
    for position, reviewer in enumerate(REVIEWERS):
        path = folder / f"{reviewer}.csv"
        rows = read_sheet(path)
        header = rows[0]
        for row in rows[1:]:
            key = study_of(row[header.index("title")], plan)
            ids[key] = row[header.index("study_id")]
            typed = plan[key][position]
            decision, reason = typed if isinstance(typed, tuple) else (typed, "")
            row[header.index("decision")] = decision
            row[header.index("reason")] = reason
        save_as_excel(path, rows)
    resolution_rows = [RESOLUTION_HEADER]
    resolution_rows += [
        [ids[k], d, "", "ana", "agreed at a meeting"] for k, d in resolutions.items()
    ]
    save_as_excel(folder / "resolutions.csv", resolution_rows)


def meaning(review: Path) -> dict[str, str]:
    config = yaml.safe_load((review / "config" / "config.yaml").read_text(encoding="utf-8"))
    return {
        str(word).strip().lower(): decision
        for decision, words in config["screening"]["decision_synonyms"].items()
        for word in words
    }


def final_decisions(review: Path, stage: str) -> dict[str, tuple[str, str]]:
    """(decision, reason) per study from the two sheets and resolutions, counted here."""
    words = meaning(review)
    folder = review / "data" / "screening" / stage
    typed: dict[str, list[tuple[str, str]]] = {}
    for reviewer in REVIEWERS:
        rows = read_sheet(folder / f"{reviewer}.csv")
        header = rows[0]
        for row in rows[1:]:
            decision = words.get(row[header.index("decision")].strip().lower(), "")
            reason = row[header.index("reason")].strip().lower()
            typed.setdefault(row[header.index("study_id")], []).append((decision, reason))
    rows = read_sheet(folder / "resolutions.csv")
    resolved = {row[0]: words[row[1].strip().lower()] for row in rows[1:]}
    final = {}
    for study_id, pair in typed.items():
        if study_id in resolved:
            final[study_id] = (resolved[study_id], "")
        elif len(set(pair)) == 1:
            final[study_id] = pair[0]
        else:
            final[study_id] = ("conflict", "")
    return final


def boxes(svg: Path) -> dict[str, int]:
    """'label' -> n for every '<label> (n = N)' text of the diagram."""
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg.read_text(encoding="utf-8"), re.S)
    found = {}
    for text in texts:
        match = re.match(r"(.*?)\s*\(n = (\d+)\):?$", text.strip())
        if match:
            found.setdefault(match.group(1).rstrip("*†‡ "), int(match.group(2)))
    return found


@pytest.fixture(scope="module")
def new_review(tmp_path_factory) -> dict:
    """The whole path of a new review; what each step printed, for the tests below."""
    review = tmp_path_factory.mktemp("team") / "catheter-review"
    made = prismake("init", str(review), cwd=review.parent)
    assert made.returncode == 0, made.stderr
    shutil.copy(DATA / "scopus.ris", review / "data" / "raw" / "scopus.ris")
    shutil.copy(DATA / "pubmed.nbib", review / "data" / "raw" / "pubmed.nbib")
    config_path = review / "config" / "config.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["review"]["title"] = "Removing urinary catheters early (fictional test review)"
    example = config["searches"][0]
    config["searches"] = [
        {**example, "name": "scopus", "database": "Scopus", "file": "data/raw/scopus.ris"},
        {**example, "name": "pubmed", "database": "PubMed", "file": "data/raw/pubmed.nbib"},
    ]
    config["reviewers"] = [{"id": r, "name": name} for r, name in REVIEWERS.items()]
    for stage in config["screening"]["stages"].values():
        stage.update(mode="dual", reviewers=list(REVIEWERS))
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")

    first = plain_snakemake(review)
    # the sheets the first run wrote are not a change: a second run has nothing to do
    again = subprocess.run(
        [sys.executable, "-m", "snakemake", "--dry-run"],
        cwd=review,
        capture_output=True,
        text=True,
        timeout=300,
    )
    type_decisions(review, "title_abstract", TITLE_ABSTRACT, TITLE_ABSTRACT_RESOLUTIONS)
    second = plain_snakemake(review)
    type_decisions(review, "full_text", FULL_TEXT, FULL_TEXT_RESOLUTIONS)
    third = plain_snakemake(review)
    return {"review": review, "init": made, "runs": [first, second, third], "again": again}


def test_a_second_run_after_the_first_has_nothing_to_do(new_review):
    """The first run writes every reviewer's sheet; that alone reruns no step."""
    again = new_review["again"]
    assert again.returncode == 0, again.stderr[-3000:]
    assert "Nothing to be done" in again.stdout + again.stderr, again.stdout[-3000:]


def test_prismake_init_makes_a_review_that_inherits_nothing_of_the_demo(new_review):
    review = new_review["review"]
    codebook = yaml.safe_load((review / "config" / "codebook.yaml").read_text(encoding="utf-8"))
    assert [t["id"] for t in codebook["themes"]] == ["example_theme"]
    sheets = sorted(p.name for p in (review / "data" / "screening").rglob("*.csv"))
    assert sheets == sorted(["ana.csv", "ben.csv", "resolutions.csv"] * 2)
    assert sorted(p.name for p in (review / "results" / "import").iterdir()) == [
        "pubmed.md",
        "scopus.md",
    ]
    assert list((review / "data" / "extraction").iterdir()) == []
    assert "co-production" not in (review / "results" / "report" / "methods.md").read_text()


def test_a_second_init_refuses_to_overwrite_the_review(new_review):
    review = new_review["review"]
    before = (review / "config" / "config.yaml").read_bytes()
    again = prismake("init", cwd=review)
    assert again.returncode != 0
    assert "never overwrites" in again.stderr and "config/config.yaml" in again.stderr
    assert (review / "config" / "config.yaml").read_bytes() == before


def test_plain_snakemake_runs_a_new_review_with_its_default_profile(new_review):
    for run in new_review["runs"]:
        assert "Using workflow specific profile profiles/default" in run.stderr


def test_the_diagram_of_a_new_review_matches_its_exports_and_sheets(new_review):
    review = new_review["review"]
    title_abstract = final_decisions(review, "title_abstract")
    full_text = final_decisions(review, "full_text")
    records = {
        "Scopus": (DATA / "scopus.ris").read_text().count("\nTY  - ") + 1,
        "PubMed": (DATA / "pubmed.nbib").read_text().count("PMID- "),
    }
    ta = [d for d, _ in title_abstract.values()]
    ft = [d for d, _ in full_text.values()]
    expected = {
        "Databases": sum(records.values()),
        "Scopus": records["Scopus"],
        "PubMed": records["PubMed"],
        "Duplicate records removed": sum(records.values()) - len(title_abstract),
        "Records screened": len(title_abstract),
        "Records excluded": ta.count("exclude"),
        "Records awaiting a decision": ta.count("conflict") + ta.count("pending"),
        "Reports sought for retrieval": len(full_text),
        "Reports not retrieved": ft.count("not_retrieved"),
        "Reports assessed for eligibility": len(full_text) - ft.count("not_retrieved"),
        "Reports excluded": ft.count("exclude"),
        "Wrong study design": sum(
            v == ("exclude", "wrong study design") for v in full_text.values()
        ),
        "Wrong population": sum(v == ("exclude", "wrong population") for v in full_text.values()),
        "Studies included in review": ft.count("include"),
    }
    # the plan above, as a sanity check of this test's own counting
    assert (expected["Records screened"], expected["Studies included in review"]) == (11, 4)
    shown = boxes(review / "results" / "prisma" / "prisma.svg")
    assert {label: shown.get(label) for label in expected} == expected
    counts = dict(
        (row[0], int(row[2]))
        for row in read_sheet(review / "results" / "prisma" / "counts.csv")[1:]
    )
    assert counts["records_screened"] == expected["Records screened"]
    assert counts["duplicates"] == expected["Duplicate records removed"]
    assert counts["dbr_sought_reports"] == expected["Reports sought for retrieval"]
    assert counts["total_studies"] == expected["Studies included in review"]


def test_the_methods_paragraph_of_a_new_review_names_its_reviewers_and_what_is_left(new_review):
    text = (new_review["review"] / "results" / "report" / "methods.md").read_text()
    assert "Ana Lima and Ben Osei" in text
    assert "1 disagreement between reviewers awaits resolution" in text
    assert not re.search(r"\b1 (studies|records|reports|disagreements)\b", text)


def test_a_mistake_in_a_sheet_ends_the_run_with_prismakes_message_and_no_traceback(
    new_review, tmp_path
):
    review = tmp_path / "copy"
    shutil.copytree(new_review["review"], review, symlinks=True)
    sheet = review / "data" / "screening" / "title_abstract" / "ben.csv"
    rows = read_sheet(sheet)
    rows[2][rows[0].index("decision")] = "exlcude"
    save_as_excel(sheet, rows)

    failed = plain_snakemake(review, check=False)

    assert failed.returncode != 0
    lines = failed.stderr.rstrip().splitlines()
    start = lines.index("prismake: the run stopped before the end.")
    summary = lines[start + 1 :]
    assert summary[0].startswith("screen (stage=title_abstract)")
    assert "ben.csv, row 3, column 'decision'" in summary[1] and "exlcude" in summary[1]
    assert summary[-1].startswith("Fix what is listed above")
    assert len(summary) == 3, "prismake's message is the last thing printed"
    assert "Traceback" not in failed.stderr
