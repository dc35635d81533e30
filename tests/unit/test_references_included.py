"""BibTeX and RIS of the included studies parse back, keyed by the tables' citation labels."""

from __future__ import annotations

import bibtexparser
import pandas as pd
import pytest
import rispy
from extraction_review import run_extract

from prismake.extraction.citations import citation_key
from prismake.references import bibtex_entry, reference_type, write_included_references


def export(tmp_path):
    outputs = run_extract(tmp_path)
    bib, ris = tmp_path / "included.bib", tmp_path / "included.ris"
    write_included_references(included_path=outputs["included"], bib_out=bib, ris_out=ris)
    included = pd.read_csv(outputs["included"], dtype=str, keep_default_na=False)
    return included, bib, ris


def test_bibtex_parses_back_with_one_entry_per_study_keyed_by_its_label(tmp_path):
    included, bib, _ = export(tmp_path)
    library = bibtexparser.parse_string(bib.read_text(encoding="utf-8"))
    assert not library.failed_blocks
    keys = [entry.key for entry in library.entries]
    assert keys == [citation_key(label) for label in included["citation_label"]]
    labels = [e["citationlabel"].replace("\\&", "&") for e in library.entries]
    assert labels == list(included["citation_label"])


def test_bibtex_escapes_latex_in_titles_and_keeps_dois_verbatim(tmp_path):
    _, bib, _ = export(tmp_path)
    library = bibtexparser.parse_string(bib.read_text(encoding="utf-8"))
    entry = library.entries_dict["vanderBergEtAl2020"]
    assert (
        entry["title"] == "Managing expectations in local government: 50\\% of plans \\{revised\\}"
    )
    assert entry["doi"] == "10.1000/eeeeeeeeee"
    assert entry["pages"] == "10--20"
    assert entry["author"] == "van der Berg, Anouk and de Vries, Pim and Smith, Tom and Wu, Li"
    assert entry.entry_type == "techreport" and entry["institution"]


def test_ris_parses_back_with_the_same_labels_and_ids(tmp_path):
    included, bib, ris = export(tmp_path)
    references = rispy.loads(ris.read_text(encoding="utf-8"))
    assert [r["label"] for r in references] == list(included["citation_label"])
    library = bibtexparser.parse_string(bib.read_text(encoding="utf-8"))
    assert [r["id"] for r in references] == [e.key for e in library.entries]
    chapter = next(r for r in references if r["label"] == "O'Brien (2018)")
    assert chapter["type_of_reference"] == "CHAP"
    assert (chapter["start_page"], chapter["end_page"]) == ("10", "20")
    assert not ris.read_text(encoding="utf-8").startswith("1.")


def test_exports_are_the_same_bytes_every_run(tmp_path):
    _, bib1, ris1 = export(tmp_path / "one")
    _, bib2, ris2 = export(tmp_path / "two")
    assert bib1.read_bytes() == bib2.read_bytes()
    assert ris1.read_bytes() == ris2.read_bytes()


@pytest.mark.parametrize(
    ("typed", "journal", "expected"),
    [
        ("JOUR", "", ("article", "JOUR")),
        ("Journal Article", "", ("article", "JOUR")),
        ("Book Chapter", "", ("incollection", "CHAP")),
        ("Conference Paper", "", ("inproceedings", "CPAPER")),
        ("Report", "", ("techreport", "RPRT")),
        ("", "BMJ", ("article", "JOUR")),
        ("", "", ("misc", "GEN")),
    ],
)
def test_record_types_map_to_bibtex_and_ris_types(typed, journal, expected):
    assert reference_type(typed, journal) == expected


def test_no_included_studies_give_empty_but_valid_files(tmp_path):
    included = tmp_path / "included.csv"
    included.write_text("study_id,citation_label,title\n", encoding="utf-8")
    bib, ris = tmp_path / "a.bib", tmp_path / "a.ris"
    write_included_references(included_path=included, bib_out=bib, ris_out=ris)
    assert bib.read_text() == "" and rispy.loads(ris.read_text()) == []


def test_accented_names_are_accent_commands_in_bibtex_and_utf8_in_ris(tmp_path):
    # BibTeX styles abbreviate and sort {\'E}mile as one letter; raw UTF-8 they cut in half
    study = {"study_id": "S-1", "authors": "Öztürk, Özge; Durand ÉM; Nowak, Łukasz"}
    study |= {"year": "2020", "title": "Évaluation", "citation_label": "Öztürk et al. (2020)"}
    pd.DataFrame([study]).to_csv(tmp_path / "included.csv", index=False)
    bib, ris = tmp_path / "included.bib", tmp_path / "included.ris"
    write_included_references(included_path=tmp_path / "included.csv", bib_out=bib, ris_out=ris)
    (entry,) = bibtexparser.parse_string(bib.read_text(encoding="utf-8")).entries
    assert entry["author"] == (
        '{\\"O}zt{\\"u}rk, {\\"O}zge and Durand, {\\\'E}. M. and Nowak, {\\L}ukasz'
    )
    (reference,) = rispy.loads(ris.read_text(encoding="utf-8"))
    assert reference["authors"] == ["Öztürk, Özge", "Durand ÉM", "Nowak, Łukasz"]


def test_a_proceedings_paper_gives_its_volume_not_also_a_number():
    # bibtex's standard styles warn "can't use both volume and number fields" for
    # proceedings and books (Scopus gives a series code, "AISC", as the issue)
    paper = {"type": "CONF", "title": "A logic framework", "journal": "Advances in "
             "Intelligent Systems and Computing", "volume": "294", "issue": "AISC"}  # fmt: skip
    fields = {f.key: f.value for f in bibtex_entry(paper, "Santos2014").fields}
    assert fields["volume"] == "294" and "number" not in fields
    article = {**paper, "type": "JOUR", "journal": "Journal of Social Policy", "issue": "2"}
    fields = {f.key: f.value for f in bibtex_entry(article, "Santos2014").fields}
    assert fields["volume"] == "294" and fields["number"] == "2"
