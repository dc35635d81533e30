"""PRISMA.csv in the format of the PRISMA2020 R package and its Shiny app.

The rows, boxes and wording follow the package's template (inst/extdata/PRISMA.csv of
prisma-flowdiagram/PRISMA2020): columns ``data, node, box, description, boxtext,
tooltips, url, n``; ``NA`` marks an empty cell as in the template, because the package
tests ``is.na``. Lists (per database, per reason) use its ``Name, n; Name, n`` form, so
commas and semicolons inside a name are replaced by spaces.

Two files, because no single file loads in every release (checked by running each
release's own ``PRISMA_data()`` on them, see the README):

- ``PRISMA.csv``: the 34-row template of PRISMA2020 1.1.4, the current release and the
  web app. It adds ``total_studies_ma`` and ``total_reports_ma``; without them 1.1.4 stops
  with "object 'total_studies_ma_text' not found".
- ``PRISMA-1.1.1.csv``: the 32-row template of 1.1.1 and older, whose
  ``grep("total_studies")`` would match the meta-analysis rows too.

Every ``n`` the package reads as a number is a plain integer. A list with nothing to list
gets what the template has there: the placeholder for specific databases and registers
(the 1.1.4 app switches their detail on for any other value, which would show "(n = NA)"),
and the box's count (0) for exclusion reasons. prismake does not count meta-analyses: the
meta-analysis rows are 0, which keeps that box off in the app.

Other methods have three slots in the package (websites, organisations, citation
searching). Each other-method search goes to the slot its name suggests (citation /
reference / snowball -> citation searching; web / google / internet -> websites; anything
else -> organisations); a used slot's box text lists the searches it holds.
The package has no box for records awaiting a decision, nor for records from other
methods that duplicate a database record: those numbers are only in counts.csv and in
prismake's own diagram (the README says what the package's diagram leaves out).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

import pandas as pd

from prismake.csvio import write_table
from prismake.prisma.counts import Box

PRISMA_CSV_COLUMNS = ["data", "node", "box", "description", "boxtext", "tooltips", "url", "n"]
NA = "NA"

_DBR_EXCL = "Reports excluded (databases and registers)"
_OTHER_EXCL = "Reports excluded (other)"
_REASONS_HELP = (
    ": [separate reasons and numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]"
)

# data, node, box, description, boxtext, tooltips, url: the package template, in its order.
TEMPLATE: list[tuple[str, str, str, str, str, str, str]] = [
    (NA, "node4", "prevstud", "Grey title box; Previous studies", "Previous studies",
     "Grey title box; Previous studies", "prevstud.html"),
    ("previous_studies", "node5", "box1", "Studies included in previous version of review",
     "Studies included in previous version of review",
     "Studies included in previous version of review", "previous_studies.html"),
    ("previous_reports", NA, "box1", "Reports of studies included in previous version of review",
     "Reports of studies included in previous version of review", NA, "previous_reports.html"),
    (NA, "node6", "newstud",
     "Yellow title box; Identification of new studies via databases and registers",
     "Identification of new studies via databases and registers",
     "Yellow title box; Identification of new studies via databases and registers",
     "newstud.html"),
    ("database_results", "node7", "box2", "Records identified from: Databases", "Databases",
     "Records identified from: Databases and Registers", "database_results.html"),
    ("database_specific_results", NA, "box2", "Records identified from: specific databases",
     "Specific Databases", NA, "database_results.html"),
    ("register_results", NA, "box2", "Records identified from: Registers", "Registers", NA, NA),
    ("register_specific_results", NA, "box2", "Records identified from: specific registers",
     "Specific Registers", NA, "database_results.html"),
    (NA, "node16", "othstud", "Grey title box; Identification of new studies via other methods",
     "Identification of new studies via other methods",
     "Grey title box; Identification of new studies via other methods", "othstud.html"),
    ("website_results", "node17", "box11", "Records identified from: Websites", "Websites",
     "Records identified from: Websites, Organisations and Citation Searching",
     "website_results.html"),
    ("organisation_results", "", "box11", "Records identified from: Organisations",
     "Organisations", NA, NA),
    ("citations_results", NA, "box11", "Records identified from: Citation searching",
     "Citation searching", NA, NA),
    ("duplicates", "node8", "box3", "Duplicate records", "Duplicate records",
     "Duplicate records", "duplicates.html"),
    ("excluded_automatic", NA, "box3", "Records marked as ineligible by automation tools",
     "Records marked as ineligible by automation tools", NA, NA),
    ("excluded_other", NA, "box3", "Records removed for other reasons",
     "Records removed for other reasons", NA, NA),
    ("records_screened", "node9", "box4", "Records screened (databases and registers)",
     "Records screened", "Records screened (databases and registers)", "records_screened.html"),
    ("records_excluded", "node10", "box5", "Records excluded (databases and registers)",
     "Records excluded", "Records excluded (databases and registers)", "records_excluded.html"),
    ("dbr_sought_reports", "node11", "box6",
     "Reports sought for retrieval (databases and registers)", "Reports sought for retrieval",
     "Reports sought for retrieval (databases and registers)", "dbr_sought_reports.html"),
    ("dbr_notretrieved_reports", "node12", "box7",
     "Reports not retrieved (databases and registers)", "Reports not retrieved",
     "Reports not retrieved (databases and registers)", "dbr_notretrieved_reports.html"),
    ("other_sought_reports", "node18", "box12", "Reports sought for retrieval (other)",
     "Reports sought for retrieval", "Reports sought for retrieval (other)",
     "other_sought_reports.html"),
    ("other_notretrieved_reports", "node19", "box13", "Reports not retrieved (other)",
     "Reports not retrieved", "Reports not retrieved (other)", "other_notretrieved_reports.html"),
    ("dbr_assessed", "node13", "box8",
     "Reports assessed for eligibility (databases and registers)",
     "Reports assessed for eligibility",
     "Reports assessed for eligibility (databases and registers)", "dbr_assessed.html"),
    ("dbr_excluded", "node14", "box9", _DBR_EXCL + _REASONS_HELP, "Reports excluded",
     _DBR_EXCL, "dbrexcludedrecords.html"),
    ("other_assessed", "node20", "box14", "Reports assessed for eligibility (other)",
     "Reports assessed for eligibility", "Reports assessed for eligibility (other)",
     "other_assessed.html"),
    ("other_excluded", "node21", "box15", _OTHER_EXCL + _REASONS_HELP, "Reports excluded",
     _OTHER_EXCL, "other_excluded.html"),
    ("new_studies", "node15", "box10", "New studies included in review",
     "New studies included in review", "New studies included in review", "new_studies.html"),
    ("new_reports", NA, "box10", "Reports of new included studies",
     "Reports of new included studies", NA, NA),
    ("total_studies", "node22", "box16", "Total studies included in review",
     "Total studies included in review", "Total studies included in review",
     "total_studies.html"),
    ("total_reports", NA, "box16", "Reports of total included studies",
     "Reports of total included studies", NA, NA),
    ("identification", "node1", "identification", "Blue identification box", "Identification",
     "Blue identification box", "identification.html"),
    ("screening", "node2", "screening", "Blue screening box", "Screening",
     "Blue screening box", "screening.html"),
    ("included", "node3", "included", "Blue included box", "Included", "Blue included box",
     "included.html"),
]  # fmt: skip
# The two rows PRISMA2020 1.1.4 added at the end of its template (box17, meta-analysis).
META_ANALYSIS_ROWS: list[tuple[str, str, str, str, str, str, str]] = [
    ("total_studies_ma", "node23", "box17", "Total studies included in meta-analysis",
     "Total studies included in meta-analysis", "Total studies included in meta-analysis",
     "total_studies_meta_analysis.html"),
    ("total_reports_ma", NA, "box17", "Reports of total included studies in meta-analysis",
     "Reports of total included studies in meta-analysis", NA, NA),
]  # fmt: skip
# What the template holds in a list slot that was not filled in.
PLACEHOLDERS = {
    "database_specific_results": "Database 1, xxx; Database 2, xxx; Database 3, xxx",
    "register_specific_results": "Register 1, xxx; Register 2, xxx; Register 3, xxx",
}

_SLOTS = {
    "citations_results": re.compile(r"citation|reference|snowball|cited", re.IGNORECASE),
    "website_results": re.compile(r"web|google|internet|online", re.IGNORECASE),
}


def other_method_slot(name: str) -> str:
    """The package slot (website/organisation/citations_results) for an other-method name."""
    for slot, pattern in _SLOTS.items():
        if pattern.search(name):
            return slot
    return "organisation_results"


def _list_item(name: str) -> str:
    return " ".join(re.sub(r"[,;]", " ", name).split())


def _pairs(items: Sequence[tuple[str, int]]) -> str:
    """The package's list form: ``Name, n; Name, n``."""
    return "; ".join(f"{_list_item(name)}, {n}" for name, n in items)


def prisma_csv_frame(rows: Sequence[Box], meta_analysis_rows: bool = True) -> pd.DataFrame:
    """The PRISMA2020 package table for the counts of counts.csv.

    ``meta_analysis_rows``: the 34-row template of 1.1.4 (True) or the 32 rows of 1.1.1.
    """
    n = {b.key: b.n for b in rows}

    def detail(prefix: str) -> list[tuple[str, int]]:
        return [(b.label, b.n) for b in rows if b.key.startswith(prefix + ":")]

    values: dict[str, str] = {key: str(value) for key, value in n.items()}
    for data, prefix in (
        ("database_specific_results", "database_specific"),
        ("register_specific_results", "register_specific"),
    ):
        values[data] = _pairs(detail(prefix)) or PLACEHOLDERS[data]
    for data, prefix in (
        ("dbr_excluded", "dbr_excluded_reason"),
        ("other_excluded", "other_excluded_reason"),
    ):
        values[data] = _pairs(detail(prefix)) or str(n.get(data, 0))
    slot_names: dict[str, list[str]] = {}
    slot_totals: dict[str, int] = {}
    for name, count in detail("other_specific"):
        slot = other_method_slot(name)
        slot_names.setdefault(slot, []).append(name)
        slot_totals[slot] = slot_totals.get(slot, 0) + count
    table = []
    template = TEMPLATE + (META_ANALYSIS_ROWS if meta_analysis_rows else [])
    for data, node, box, description, boxtext, tooltips, url in template:
        if data in ("website_results", "organisation_results", "citations_results"):
            value = str(slot_totals.get(data, 0))
            if data in slot_names:
                boxtext = ", ".join(slot_names[data])
        elif data in values:
            value = values[data]
            if data == "records_excluded" and n.get("records_excluded_automation"):
                # the template's ** footnote: by a human and by automation tools
                boxtext = (
                    f"Records excluded (by a human, {n.get('records_excluded_human', 0)}; "
                    f"by automation tools, {n['records_excluded_automation']})"
                )
        else:
            value = "0"
        table.append((data, node, box, description, boxtext, tooltips, url, value))
    return pd.DataFrame(table, columns=PRISMA_CSV_COLUMNS)


def write_prisma_csv(
    rows: Sequence[Box], path: str | os.PathLike, v111_path: str | os.PathLike | None = None
) -> None:
    """PRISMA.csv for PRISMA2020 1.1.4 and the web app; ``v111_path`` for 1.1.1 and older.

    Plain UTF-8 without a byte-order mark: R's ``read.csv`` would glue a BOM to the first
    column name, and the package looks that column up by name.
    """
    write_table(prisma_csv_frame(rows), path)
    if v111_path is not None:
        write_table(prisma_csv_frame(rows, meta_analysis_rows=False), v111_path)
