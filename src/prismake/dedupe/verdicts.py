"""The team's verdicts on record pairs (data/screening/duplicates.csv), read and checked.

The sheet has ``record_id_a, record_id_b, verdict, note`` (workflow/schemas/
duplicates.schema.yaml); verdict is ``same`` or ``different``. Extra columns are ignored,
so rows copied from results/dedupe/to_check.csv can be pasted in whole; a row whose
verdict is still empty is not decided yet. Every problem of the sheet is reported at once.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from prismake.errors import Problem, SheetError, did_you_mean
from prismake.screening.sheets import read_sheet

REQUIRED_COLUMNS = ("record_id_a", "record_id_b", "verdict")
VERDICT_WORDS = {
    "same": "same",
    "duplicate": "same",
    "dup": "same",
    "yes": "same",
    "different": "different",
    "distinct": "different",
    "diff": "different",
    "not duplicate": "different",
    "not same": "different",
    "no": "different",
}


@dataclass
class Verdicts:
    """Pairs of record ids the team judged, each with its sheet row (for messages)."""

    same: list[tuple[str, str, int]] = field(default_factory=list)
    different: list[tuple[str, str, int]] = field(default_factory=list)

    def decided(self) -> set[frozenset[str]]:
        return {frozenset((a, b)) for a, b, _ in self.same + self.different}


def read_verdicts(
    path: str | Path | None, known_ids: Container[str] | Mapping[str, str]
) -> Verdicts:
    """Read and check the verdict sheet; a missing file means no verdicts yet.

    ``known_ids`` may map every id a person may have typed (a record's former ids too,
    prismake.ids.record_id_lookup) to the record's current id: verdicts use that.
    """
    verdicts = Verdicts()
    if path is None or not Path(path).exists():
        return verdicts
    file = str(path)
    # the one reader of human sheets: BOM, ';' or tab, CRLF, UTF-16, quotes, as saved
    sheet = read_sheet(path, required=REQUIRED_COLUMNS, known=("note",))
    if sheet.problems:
        raise SheetError(f"{file} cannot be read as it is", list(sheet.problems))
    problems: list[Problem] = []
    seen: dict[frozenset[str], tuple[str, int]] = {}
    for row, cells in sheet.rows:
        a, b, raw = (sheet.cell(cells, c) for c in REQUIRED_COLUMNS)
        a, b, word = a.strip(), b.strip(), raw.strip().lower()
        if not word:
            continue  # blank line, or a pair not decided yet
        bad = False
        for column, rid in (("record_id_a", a), ("record_id_b", b)):
            if not rid:
                problems.append(Problem(file, "record id is empty", row, column))
                bad = True
            elif rid not in known_ids:
                problems.append(
                    Problem(
                        file,
                        "unknown record id",
                        row,
                        column,
                        rid,
                        "Copy ids from results/dedupe/to_check.csv or data/processed/records.csv",
                    )
                )
                bad = True
        if not bad and isinstance(known_ids, Mapping):
            a, b = known_ids[a], known_ids[b]  # an id from before the id rule changed
        if a and a == b:
            problems.append(Problem(file, "a record is paired with itself", row, "record_id_b", b))
            bad = True
        verdict = VERDICT_WORDS.get(word)
        if verdict is None:
            problems.append(
                Problem(
                    file,
                    "verdict must be 'same' or 'different'",
                    row,
                    "verdict",
                    raw,
                    did_you_mean(raw, ["same", "different"]).strip() or None,
                )
            )
            bad = True
        if bad:
            continue
        key = frozenset((a, b))
        if key in seen and seen[key][0] != verdict:
            problems.append(
                Problem(
                    file,
                    f"this pair is also marked '{seen[key][0]}' on row {seen[key][1]}",
                    row,
                    "verdict",
                    raw,
                    "Keep one verdict per pair",
                )
            )
            continue
        seen[key] = (verdict, row)
        (verdicts.same if verdict == "same" else verdicts.different).append((a, b, row))
    if problems:
        raise SheetError(f"{file} has mistakes", problems)
    return verdicts
