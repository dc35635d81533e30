"""A job whose inputs, parameters and code have not changed gets its last outputs back.

Snakemake reruns every job downstream of an edited sheet; prismake.reuse puts back the
outputs of those whose inputs came out byte for byte the same (prismake.runner.run_step).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from prismake.errors import PrismakeError
from prismake.runner import run_step

calls: list[str] = []


def draw(*, source: str, target: str, scale: int) -> None:
    """A stand-in for a rendering step: reads one file, writes one, logs a line."""
    import logging

    calls.append(source)
    text = Path(source).read_text(encoding="utf-8")
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    Path(target).write_text(text * scale, encoding="utf-8")
    logging.getLogger("prismake").warning("2 records await a decision")


def fails(**_: object) -> None:
    calls.append("fails")
    raise PrismakeError("the sheet has mistakes")


def job(tmp_path: Path, scale: int = 2, rule: str = "prisma_diagram") -> SimpleNamespace:
    return SimpleNamespace(
        rule=rule,
        wildcards={},
        input=["results/counts.csv"],
        output=["results/diagram.txt"],
        params={"scale": scale, "code": "abc"},
        log=["logs/diagram.log"],
    )


def run(smk: SimpleNamespace, function=draw) -> None:
    run_step(
        smk,
        function,
        reuse=True,
        source=smk.input[0],
        target=smk.output[0],
        scale=smk.params["scale"],
    )


@pytest.fixture
def review(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PRISMAKE_REUSE", raising=False)
    (tmp_path / "results").mkdir()
    (tmp_path / "logs").mkdir()  # Snakemake makes the log folder before the job
    (tmp_path / "results" / "counts.csv").write_text("key,n\nscreened,179\n", encoding="utf-8")
    calls.clear()
    return tmp_path


def test_a_rerun_with_the_same_inputs_gets_the_same_bytes_back_without_computing(review, capsys):
    run(job(review))
    made = (review / "results" / "diagram.txt").read_bytes()
    (review / "results" / "diagram.txt").unlink()  # Snakemake removes outputs first
    capsys.readouterr()

    run(job(review))

    assert calls == ["results/counts.csv"], "the second run did not compute"
    assert (review / "results" / "diagram.txt").read_bytes() == made
    log = (review / "logs" / "diagram.log").read_text(encoding="utf-8")
    assert "WARNING 2 records await a decision" in log, "the first run's messages are kept"
    assert "outputs were reused" in log
    assert "WARNING 2 records await a decision" in capsys.readouterr().err


def test_a_changed_input_byte_is_computed_again(review):
    run(job(review))
    (review / "results" / "counts.csv").write_text("key,n\nscreened,180\n", encoding="utf-8")

    run(job(review))

    assert len(calls) == 2
    assert "180" in (review / "results" / "diagram.txt").read_text(encoding="utf-8")


def test_a_changed_parameter_is_computed_again(review):
    run(job(review, scale=2))
    run(job(review, scale=3))

    assert len(calls) == 2
    assert (review / "results" / "diagram.txt").read_text().count("screened") == 3


def test_another_job_with_the_same_inputs_keeps_its_own_outputs(review):
    run(job(review, rule="prisma_diagram"))
    run(job(review, rule="thematic_figures"))

    assert len(calls) == 2


def test_a_failed_run_is_not_kept_so_the_next_run_computes(review):
    with pytest.raises(SystemExit):
        run(job(review), function=fails)

    run(job(review))

    assert calls == ["fails", "results/counts.csv"]


def test_prismake_reuse_0_always_computes(review, monkeypatch):
    monkeypatch.setenv("PRISMAKE_REUSE", "0")
    run(job(review))
    run(job(review))

    assert len(calls) == 2


def test_a_function_named_as_module_and_name_is_imported_when_the_job_computes(review):
    smk = job(review)
    run_step(
        smk,
        "prismake.csvio:write_table",
        reuse=True,
        frame=__import__("pandas").DataFrame({"a": ["1"]}),
        path=smk.output[0],
    )

    assert (review / "results" / "diagram.txt").read_text(encoding="utf-8").startswith("a")
