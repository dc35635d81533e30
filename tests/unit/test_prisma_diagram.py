"""The PRISMA 2020 diagram: every number in the SVG, boxes that hold their text, templates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from defusedxml import ElementTree
from matplotlib.patches import Patch
from matplotlib.text import Text
from prisma_review import SCREENING, Study, expected_counts, random_review, search, write_review

from prismake.errors import ConfigError
from prismake.prisma import write_prisma_counts, write_prisma_diagram
from prismake.prisma.counts import Box
from prismake.prisma.diagram import Counts, choose_template, render_diagram

NUMBER = re.compile(r"\(n = ([\d,]+)\)")
TEMPLATE_CASES = [
    ("databases", False, False),
    ("databases_other", True, False),
    ("updated", False, True),
    ("updated_other", True, True),
]


def build(tmp_path: Path, searches, studies, prisma=None) -> Path:
    prisma = {"template": "auto", "dpi": 72, "previous_review": None, **(prisma or {})}
    paths = write_review(tmp_path, searches, studies)
    write_prisma_counts(
        records_path=paths["records"],
        studies_path=paths["studies"],
        dedupe_counts_path=paths["dedupe_counts"],
        decisions_paths=[paths["title_abstract"], paths["full_text"]],
        searches=searches,
        screening=SCREENING,
        prisma=prisma,
        counts_out=str(tmp_path / "counts.csv"),
        prisma_csv_out=str(tmp_path / "PRISMA.csv"),
    )
    svg = tmp_path / "prisma.svg"
    write_prisma_diagram(
        counts_path=str(tmp_path / "counts.csv"),
        prisma=prisma,
        svg_out=str(svg),
        pdf_out=str(tmp_path / "prisma.pdf"),
        png_out=str(tmp_path / "prisma.png"),
    )
    return svg


def svg_boxes(svg: Path) -> dict[str, str]:
    """Text of each box of the SVG (its lines joined), keyed by box name."""
    tree = ElementTree.parse(svg)
    boxes: dict[str, list[str]] = {}
    for group in tree.iter("{http://www.w3.org/2000/svg}g"):
        gid = group.get("id", "")
        match = re.fullmatch(r"text-(.+)-(\d+)", gid)
        if match:
            text = "".join(group.itertext()).strip()
            boxes.setdefault(match.group(1), []).append(text)
    return {key: " ".join(lines) for key, lines in boxes.items()}


def numbers_of(text: str) -> list[int]:
    return [int(n.replace(",", "")) for n in NUMBER.findall(text)]


def expected_boxes(searches, studies, other: bool, updated: bool, previous=None) -> dict:
    """Box -> the numbers it must show, in order, from the independent count."""
    exp = expected_counts(searches, studies, previous)
    n, d = exp["n"], exp["detail"]
    boxes = {
        "identified": [
            n["database_results"],
            *d["database"].values(),
            n["register_results"],
            *d["register"].values(),
        ],
        "removed": [n["duplicates"], n["excluded_automatic"], n["excluded_other"]],
        "screened": [n["records_screened"]],
        "records_excluded": [n["records_excluded"]]
        + ([n["records_awaiting"]] if n["records_awaiting"] else []),
        "dbr_sought": [n["dbr_sought_reports"]],
        "dbr_notretrieved": [n["dbr_notretrieved_reports"]],
        "dbr_assessed": [n["dbr_assessed"]],
        "included": [n["new_studies"], n["new_reports"]],
    }
    reasons_order = ["Not co-production", "Wrong participants"]

    def reasons(counter) -> list[int]:
        names = [r for r in reasons_order if counter[r]]
        names += sorted(r for r in counter if r not in reasons_order and r != "Reason not given")
        names += ["Reason not given"] if counter["Reason not given"] else []
        return [counter[r] for r in names]

    boxes["dbr_excluded"] = [n["dbr_excluded"], *reasons(d["dbr_reason"])] + (
        [n["dbr_awaiting"]] if n["dbr_awaiting"] else []
    )
    if other:
        boxes["other_identified"] = list(d["other"].values())
        boxes["other_sought"] = [n["other_sought_reports"]]
        boxes["other_notretrieved"] = [n["other_notretrieved_reports"]]
        boxes["other_assessed"] = [n["other_assessed"]]
        boxes["other_excluded"] = [n["other_excluded"], *reasons(d["other_reason"])] + (
            [n["other_awaiting"]] if n["other_awaiting"] else []
        )
    if updated:
        boxes["previous"] = [n["previous_studies"], n["previous_reports"]]
        boxes["total"] = [n["total_studies"], n["total_reports"]]
    return {"boxes": boxes, "n": n}


@pytest.mark.parametrize(("name", "other", "updated"), TEMPLATE_CASES)
@pytest.mark.parametrize("seed", [1, 2])
def test_every_number_in_the_svg_matches_an_independent_count(tmp_path, name, other, updated, seed):
    searches, studies = random_review(seed, other=other, updated=updated)
    svg = build(tmp_path, searches, studies)
    shown = svg_boxes(svg)
    expected = expected_boxes(searches, studies, other, updated)
    for box, numbers in expected["boxes"].items():
        assert numbers_of(shown[box]) == numbers, f"{name}: box {box} shows {shown[box]!r}"
    boxes_with_numbers = {k for k, text in shown.items() if NUMBER.search(text)}
    notes = {k for k in boxes_with_numbers if k.startswith("note")}
    assert boxes_with_numbers - notes == set(expected["boxes"]), (
        "a box shows numbers nobody checked"
    )
    note_numbers = [x for k in sorted(notes) for x in numbers_of(shown[k])]
    other_duplicates = expected["n"]["other_duplicates"] if other else 0
    assert note_numbers == ([other_duplicates] if other_duplicates else [])


@pytest.mark.parametrize(("name", "other", "updated"), TEMPLATE_CASES)
def test_the_template_has_its_official_headers_and_side_labels(tmp_path, name, other, updated):
    searches, studies = random_review(4, other=other, updated=updated)
    shown = svg_boxes(build(tmp_path, searches, studies))
    new = "new " if updated else ""
    assert shown["header_dbr"] == f"Identification of {new}studies via databases and registers"
    assert ("header_other" in shown) is other
    if other:
        assert shown["header_other"] == f"Identification of {new}studies via other methods"
    assert ("header_prev" in shown) is updated
    assert {shown[f"phase-{p}"] for p in ("identification", "screening", "included")} == {
        "Identification",
        "Screening",
        "Included",
    }
    assert shown["included"].startswith("New studies" if updated else "Studies included")


def test_a_hand_counted_review_shows_the_numbers_a_reviewer_would_count(tmp_path):
    searches = [search("scopus", "Scopus"), search("pubmed", "PubMed")]
    studies = [
        Study("A", ["scopus", "pubmed"], ta="include", ft="include"),
        Study("B", ["scopus"], ta="include", ft="exclude", reason="Wrong participants"),
        Study("C", ["pubmed", "pubmed"], ta="exclude"),
        Study("D", ["scopus"], ta="maybe", ft="not_retrieved"),
        Study("E", ["pubmed"], ta="removed_automation"),
    ]
    shown = svg_boxes(build(tmp_path, searches, studies))
    assert shown["identified"] == (
        "Records identified from*: Databases (n = 7) Scopus (n = 3) PubMed (n = 4) "
        "Registers (n = 0)"
    )
    assert numbers_of(shown["removed"]) == [2, 1, 0]
    assert shown["screened"] == "Records screened (n = 4)"
    assert shown["records_excluded"] == "Records excluded** (n = 1)"
    assert shown["dbr_sought"] == "Reports sought for retrieval (n = 3)"
    assert shown["dbr_notretrieved"] == "Reports not retrieved (n = 1)"
    assert numbers_of(shown["dbr_assessed"]) == [2]
    assert shown["dbr_excluded"] == "Reports excluded (n = 1): Wrong participants (n = 1)"
    assert numbers_of(shown["included"]) == [1, 1]


def six_digit_rows(reasons: int) -> list[Box]:
    """Counts with six-digit numbers and a long list of long reasons and database names."""
    long = "with a very long explanation that a reviewer typed into the reason column"
    rows = [
        Box("database_results", "Databases", 987_654),
        Box("database_specific:An extraordinarily long database name, Ovid edition", "x", 0),
        Box("register_results", "Registers", 123_456),
        Box("register_specific:ClinicalTrials.gov", "ClinicalTrials.gov", 23_456),
        Box("register_specific:WHO-International-Clinical-Trials-Registry-Platform", "x", 100_000),
        Box("other_results", "Other methods", 555_555),
        Box("other_specific:Citation searching", "Citation searching", 455_555),
        Box(
            "other_specific:https://www.example.org/grey-literature/search?q=co-production",
            "",
            100_000,
        ),
        Box("duplicates", "", 444_444),
        Box("excluded_automatic", "", 111_111),
        Box("excluded_other", "", 22_222),
        Box("records_screened", "", 533_333),
        Box("records_excluded", "", 433_333),
        Box("records_awaiting", "", 100_000),
        Box("other_duplicates", "", 999_999),
        Box("latest_round", "", 2),
        Box("previous_studies", "", 100_000),
        Box("previous_reports", "", 100_000),
    ]
    for prefix in ("dbr", "other"):
        rows += [
            Box(f"{prefix}_sought_reports", "", 888_888),
            Box(f"{prefix}_notretrieved_reports", "", 777_777),
            Box(f"{prefix}_assessed", "", 666_666),
            Box(f"{prefix}_excluded", "", 654_321),
            Box(f"{prefix}_awaiting", "", 100_000),
        ]
        rows += [
            Box(f"{prefix}_excluded_reason:Reason {i} {long}", f"Reason {i} {long}", 100_000 + i)
            for i in range(reasons)
        ]
    rows += [
        Box(k, "", 999_999)
        for k in ("new_studies", "new_reports", "total_studies", "total_reports")
    ]
    return [Box(b.key, b.key.split(":", 1)[-1], b.n) if ":" in b.key else b for b in rows]


@pytest.mark.parametrize(("name", "other", "updated"), TEMPLATE_CASES)
@pytest.mark.parametrize("reasons", [0, 3, 25])
def test_long_reason_lists_and_six_digit_counts_stay_inside_their_boxes(
    name, other, updated, reasons
):
    rows = six_digit_rows(reasons)
    if not other:
        rows = [b for b in rows if not b.key.startswith("other_specific")]
        rows = [Box(b.key, b.label, 0) if b.key == "other_results" else b for b in rows]
    if not updated:
        rows = [Box(b.key, b.label, 1) if b.key == "latest_round" else b for b in rows]
    fig = render_diagram(rows, {"template": name})
    fig.set_dpi(300)  # measure as the PNG is drawn
    renderer = fig.canvas.get_renderer()
    figure_box = fig.bbox
    patches = {
        p.get_gid(): p.get_window_extent(renderer)
        for p in fig.axes[0].patches
        if isinstance(p, Patch) and p.get_gid()
    }
    texts = [t for t in fig.axes[0].texts if isinstance(t, Text)]
    assert texts
    for text in texts:
        extent = text.get_window_extent(renderer)
        gid = text.get_gid()
        owner = re.fullmatch(r"text-(.+)-\d+", gid)
        assert owner, gid
        key = owner.group(1)
        if key.startswith("note"):
            box = figure_box
        else:
            box = patches[key if key.startswith("phase") else f"box-{key}"]
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1, (
            f"{text.get_text()!r} sticks out sideways"
        )
        assert box.y0 <= extent.y0 and extent.y1 <= box.y1, (
            f"{text.get_text()!r} sticks out vertically"
        )
    boxes = [(gid, b) for gid, b in patches.items() if gid.startswith("box-")]
    for i, (gid_a, a) in enumerate(boxes):
        assert figure_box.x0 <= a.x0 and a.x1 <= figure_box.x1 and figure_box.y0 <= a.y0
        for gid_b, b in boxes[i + 1 :]:
            assert not a.overlaps(b), f"{gid_a} overlaps {gid_b}"


def test_auto_picks_the_template_from_the_searches_and_the_previous_review():
    def counts(other: int, latest: int) -> Counts:
        return Counts([Box("other_results", "", other), Box("latest_round", "", latest)])

    assert choose_template({"template": "auto"}, counts(0, 1)).name == "databases"
    assert choose_template({"template": "auto"}, counts(3, 1)).name == "databases_other"
    assert choose_template({"template": "auto"}, counts(0, 2)).name == "updated"
    previous = {"template": "auto", "previous_review": {"studies": 4}}
    assert choose_template(previous, counts(3, 1)).name == "updated_other"


def test_a_template_that_would_hide_counted_records_is_refused():
    counts = Counts([Box("other_results", "", 12), Box("latest_round", "", 2)])
    with pytest.raises(ConfigError) as error:
        choose_template({"template": "databases"}, counts)
    message = str(error.value)
    assert "prisma.template" in message and "12 records" in message and "round 2" in message


def test_the_same_counts_give_byte_identical_svg_pdf_and_png(tmp_path):
    searches, studies = random_review(5, other=True, updated=True)
    first = build(tmp_path / "a", searches, studies)
    second = build(tmp_path / "b", searches, studies)
    for suffix in (".svg", ".pdf", ".png"):
        assert first.with_suffix(suffix).read_bytes() == second.with_suffix(suffix).read_bytes()
    assert b"<text" in first.read_bytes()  # text kept as text, editable
    assert b"Records screened" in first.read_bytes()
    assert b"/FontFile2" in first.with_suffix(".pdf").read_bytes()  # TrueType text in the PDF


def test_the_png_is_drawn_at_the_configured_dpi(tmp_path):
    searches, studies = random_review(6, other=False, updated=False)
    low = build(tmp_path / "low", searches, studies, {"dpi": 72})
    high = build(tmp_path / "high", searches, studies, {"dpi": 144})

    def width(png: Path) -> int:
        return int.from_bytes(png.read_bytes()[16:20], "big")

    assert width(high.with_suffix(".png")) == 2 * width(low.with_suffix(".png"))
