"""A blank line inside a MEDLINE record: one record, every field kept, and the count
agrees (it counted PMC lines by blank-line blocks and failed the import as a fault)."""

from __future__ import annotations

import pytest

from prismake.importers import read_file

_PUBMED = (
    "PMID- 3000000{n}\nOWN - NLM\nTI  - Study {n}\nFAU - Smith, Anna\nAU  - Smith A\n"
    "AD  - University {n}\nPMC - PMC900000{n}\nDP  - 2020 Jan\nTA  - J Test\n"
    "SO  - J Test. 2020 Jan;{n}(1):1-2.\n"
)
_PMC = "PMC - PMC800000{n}\nPMID- 2000000{n}\nTI  - Central study {n}\nDP  - 2019\n"


def _file(tmp_path, text: str, newline: str):
    path = tmp_path / "export.nbib"
    path.write_bytes(text.replace("\n", newline).encode())
    return path


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("before", ["AD  -", "PMC -"])
def test_a_blank_line_inside_a_medline_record_keeps_one_record_with_all_its_fields(
    tmp_path, newline, before
):
    records = [_PUBMED.format(n=n) for n in (1, 2, 3)]
    records[1] = records[1].replace(before, "\n" + before)
    result = read_file(_file(tmp_path, "\n".join(records), newline))
    assert [(r["pmid"], r["year"], r["journal"]) for r in result.records] == [
        (f"3000000{n}", "2020", "J Test") for n in (1, 2, 3)
    ]
    assert not result.skipped_records
    assert result.count.n == 3
    (note,) = result.notes
    blank = 17 if before == "AD  -" else 18
    assert note.line == blank and "blank line inside a record" in note.reason


def test_pubmed_central_records_start_at_their_pmc_line_even_after_a_pubmed_record(tmp_path):
    pubmed_without_pmc = _PUBMED.format(n=1).replace("PMC - PMC9000001\n", "")
    text = "\n".join([pubmed_without_pmc, _PMC.format(n=2), _PMC.format(n=3)])
    result = read_file(_file(tmp_path, text, "\n"))
    assert [(r["pmid"], r["title"]) for r in result.records] == [
        ("30000001", "Study 1"),
        ("20000002", "Central study 2"),
        ("20000003", "Central study 3"),
    ]
    assert result.count.n == 3


@pytest.mark.shared
def test_a_blank_line_in_a_real_pubmed_export_changes_no_record(shared_dir, tmp_path):
    source = shared_dir / "corpus" / "exports" / "pubmed-medline" / "pubmed-balloongui-set.nbib"
    data = source.read_bytes()
    edited = tmp_path / "edited.nbib"
    # the AD line before the first PMC line: a record PubMed Central also holds
    at = data.rindex(b"\r\nAD  -", 0, data.index(b"\r\nPMC - "))
    edited.write_bytes(data[:at] + b"\r\n" + data[at:])
    before, after = read_file(source).records, read_file(edited).records

    def fields(records):
        return [{k: v for k, v in r.items() if k != "source_line"} for r in records]

    assert fields(after) == fields(before)
