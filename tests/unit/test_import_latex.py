"""LaTeX symbol commands in BibTeX become their characters; none vanishes unseen."""

from __future__ import annotations

import pytest

from prismake.importers import read_file
from prismake.importers.latex import latex_to_text


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"$\alpha$-synuclein", "α-synuclein"),
        (r"IL-1$\beta$ and TNF-$\alpha$", "IL-1β and TNF-α"),
        (r"{\textgreater}65 years, p {\textless} 0.05", ">65 years, p < 0.05"),
        (r"5 {\textpm} 2 at 37{\textdegree}C", "5 ± 2 at 37°C"),
        (r"Parkinson{\textquoteright}s", "Parkinson’s"),
        (r"$\geq$ 18 years, $\leq$ 65, $\neq$ 0", "≥ 18 years, ≤ 65, ≠ 0"),
        (r"\ensuremath{\beta}-blockers and $\mathrm{CO}_2$", "β-blockers and CO_2"),
        (r"$\Delta$, $\Omega$, $\varepsilon$, $\varphi$", "Δ, Ω, ε, φ"),
        (r"$a \times b \approx c$, $\infty$", "a × b ≈ c, ∞"),
        (r"\textquotedblleft{}care\textquotedblright{} 1990\textendash{}2000", "“care” 1990–2000"),
        (
            r"Brand\textregistered{} and Name\texttrademark{} \textcopyright{} 2020",
            "Brand® and Name™ © 2020",
        ),
        (r"10 \textmu{}g, a\textperiodcentered{}b, \textbullet{} item", "10 µg, a·b, • item"),
        (r"\emph{in vivo} and {\it in vitro}", "in vivo and in vitro"),
    ],
)
def test_latex_symbols_become_their_characters(latex, text):
    assert latex_to_text(latex) == text


def test_a_command_no_table_knows_is_kept_as_written():
    assert latex_to_text(r"the \zzfoo{} effect") == r"the \zzfoo effect"


def test_a_bibtex_title_keeps_its_greek_letters(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(
        "@article{a,\n  title = {$\\alpha$-Synuclein and IL-1$\\beta$ in {\\textgreater}65 "
        "year olds},\n  author = {Smith, A},\n  year = {2020}\n}\n",
        encoding="utf-8",
    )
    (record,) = read_file(path).records
    assert record["title"] == "α-Synuclein and IL-1β in >65 year olds"


@pytest.mark.shared
@pytest.mark.parametrize(
    "name", ["scopus-bibtex/scopus_bib.bib", "wos-bibtex/web_of_science_bib.bib"]
)
def test_real_bibtex_exports_keep_text_without_commands_as_it_was(shared_dir, name):
    """Their values hold no LaTeX symbol commands: decoding must leave them as plain
    text with no backslash left over."""
    result = read_file(shared_dir / "corpus" / "exports" / name)
    assert result.records
    assert not any("\\" in str(v) for r in result.records for v in r.values())
