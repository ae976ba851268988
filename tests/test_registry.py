"""The registry of studies and source texts: complete, consistent with the audits, and validated."""

from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import pytest
import yaml

from book_tools import build_inputs
from sarcoma_review import dashboard, datapackage, registry
from sarcoma_review.audits import all_audits
from sarcoma_review.datapackage import DataError, validate_package
from sarcoma_review.ledger import citation_keys

DATA = Path(__file__).resolve().parent.parent / "data"


def test_every_study_and_source_has_a_label_and_the_two_tables_agree() -> None:
    studies = registry.studies()
    sources = registry.sources()
    listed = {(source, row.study_key) for row in studies.itertuples() for source in row.sources.split("; ")}
    assert listed == set(zip(sources["source_file"], sources["study_key"]))
    assert set(studies["study_key"]) <= citation_keys()
    assert all(label.strip() for label in [*studies["label"], *sources["label"]])


def test_every_source_an_audit_reads_is_registered() -> None:
    audited = {source for audit in all_audits() for source in getattr(audit, "SOURCES", ())}
    assert audited == set(registry.sources()["source_file"])


def test_labels_are_looked_up_and_an_unknown_key_names_the_table() -> None:
    assert registry.study_label("li2025aice") == "Li et al. 2025 (AICE cohort)"
    assert registry.source_label("004_13266a4e37850657.txt") == "Li et al. 2025 (AICE cohort), PubMed abstract page"
    with pytest.raises(KeyError, match=r"data/evidence_overview/sources.csv: no row with source_file 'x.txt'"):
        registry.source_label("x.txt")


def test_a_source_of_an_unknown_study_is_refused_with_file_line_and_column(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    monkeypatch.chdir(tmp_path)
    path = data / "evidence_overview" / "sources.csv"
    text = path.read_text(encoding="utf-8")
    assert "003_9e5745cdb1230c39.txt,cancerimaging2013tacerfa," in text
    path.write_text(text.replace("003_9e5745cdb1230c39.txt,cancerimaging2013tacerfa,",
                                 "003_9e5745cdb1230c39.txt,nosuchstudy,"), encoding="utf-8")
    datapackage._validated.cache_clear()
    with pytest.raises(DataError) as caught:
        validate_package(data)
    problems = [str(problem) for problem in caught.value.problems]
    line = next(n for n, row in enumerate(path.read_text().splitlines(), start=1) if "nosuchstudy" in row)
    assert problems == [f"data/evidence_overview/sources.csv:{line}:study_key: 'nosuchstudy' is not a study_key "
                        "of the table studies; expected a value that the study_key column of studies lists"]


# The registry drives the ledger, the dashboard, the overview, the descriptor and the table of
# contents: each of these is checked against it here, so that none can drift from it.

def _study_audits():
    return [(row, importlib.import_module(f"sarcoma_review.audits.{row.audit_module}"))
            for row in registry.studies().itertuples() if row.audit_module]


def test_each_study_s_audit_module_names_the_study_as_its_registry_row_does() -> None:
    found = _study_audits()
    assert len(found) == len(registry.studies())
    for row, audit in found:
        assert (audit.STUDY, audit.CITATION_KEY, audit.CLAIM_PREFIX, tuple(audit.SOURCES)) == (
            row.data_folder, row.study_key, row.claim_prefix, registry.study_sources(row.study_key)), row.study_key


def test_the_ledger_runs_the_registry_s_audits_in_its_order_and_the_cross_study_audit_last() -> None:
    names = [audit.__name__.rsplit(".", 1)[1] for audit in all_audits()]
    assert names == [*registry.studies()["audit_module"], "comparators"]


def test_every_claim_prefix_has_its_chapter_and_every_study_its_folder_and_page() -> None:
    chapters = registry.chapter_of_prefix()
    studies = registry.studies()
    assert chapters == {**dict(zip(studies["claim_prefix"], studies["chapter"])), "comp": "evidence_overview"}
    for row in studies.itertuples():
        assert (DATA / row.data_folder).is_dir(), row.data_folder
        assert (DATA.parent / "chapters" / f"{row.chapter}.md").is_file(), row.chapter
        assert dashboard.chapter_of(f"{row.claim_prefix}.x.rule") == row.chapter
    with pytest.raises(KeyError, match=r"no chapter is known for the prefix 'nope'.*claim_prefix"):
        dashboard.chapter_of("nope.x.rule")


def test_every_published_row_belongs_to_a_registered_study_by_its_prefix() -> None:
    from sarcoma_review.ledger import build_ledger

    studies = registry.studies().set_index("claim_prefix")
    for row in build_ledger():
        prefix = row.claim_id.split(".", 1)[0]
        assert prefix in registry.chapter_of_prefix(), row.claim_id
        if prefix in studies.index:
            assert row.study == studies.loc[prefix, "study_key"], row.claim_id
            assert row.source in registry.study_sources(row.study), row.claim_id


def test_no_enum_of_the_descriptor_repeats_the_registry_s_chapters() -> None:
    # A new study adds a registry row and edits no shared descriptor: the chapter column is
    # checked by its pattern and by the table of contents (a chapter with no page is refused).
    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["path"] == "evidence_overview/studies.csv")
    field = next(f for f in resource["schema"]["fields"] if f["name"] == "chapter")
    assert "enum" not in field["constraints"]


def test_the_study_part_of_the_table_of_contents_is_the_registry_s_chapters_in_order() -> None:
    toc = build_inputs.table_of_contents(DATA.parent)
    part = next(p for p in toc["parts"] if p["caption"] == "The studies")
    assert [c["file"] for c in part["chapters"]] == ["chapters/evidence_overview",
                                                     *(f"chapters/{c}" for c in registry.study_chapters())]
    assert "registry_chapters" not in part
    # No committed table of contents can drift from the registry: there is none.
    assert not (DATA.parent / "_toc.yml").exists()


def test_a_registry_chapter_with_no_page_is_refused_with_its_line(tmp_path) -> None:
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "overview.md").write_text("# Overview\n", encoding="utf-8")
    (tmp_path / "chapters" / "one.md").write_text("# One\n", encoding="utf-8")
    (tmp_path / "studies.csv").write_text("study_key,chapter\na,one\nb,missing\n", encoding="utf-8")
    (tmp_path / "_toc.template.yml").write_text(
        "format: jb-book\nroot: index\nparts:\n  - caption: The studies\n    registry_chapters: studies.csv\n"
        "    chapters:\n      - file: chapters/overview\n", encoding="utf-8")
    with pytest.raises(build_inputs.TocError, match=r"^studies.csv:3:chapter: 'missing' has no page"):
        build_inputs.table_of_contents(tmp_path)
    (tmp_path / "chapters" / "missing.md").write_text("# Missing\n", encoding="utf-8")
    written = build_inputs.write_toc(tmp_path / "_build", tmp_path)
    assert yaml.safe_load(written.read_text(encoding="utf-8"))["parts"][0]["chapters"] == [
        {"file": "chapters/overview"}, {"file": "chapters/one"}, {"file": "chapters/missing"}]


def test_the_overview_plots_the_times_each_registry_row_names_and_hides_the_layout_columns() -> None:
    from sarcoma_review import overview

    times = overview.survival_times()
    for row in registry.studies().itertuples():
        label = registry.study_label(row.study_key)
        plotted = times[times["label"].str.startswith(label)]
        wanted = [endpoint for _, endpoint in (pair.split("=", 1) for pair in row.overview_times.split("; "))]
        assert sorted(plotted["endpoint"]) == sorted(wanted), row.study_key
    assert not set(registry.LAYOUT_COLUMNS) & set(overview.studies().columns)


def test_a_quoted_study_is_shown_by_first_author_and_year(tmp_path):
    from sarcoma_review.registry import quoted_study_label

    # references.bib: Pierce, D. B. and Johnson, G. E. and Monroe, E. and others, 2018.
    assert quoted_study_label("pierce2018embolization") == "Pierce et al. 2018, as quoted"
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{two, author = {van der Graaf, W. and Sch{\\\"u}nemann, H.}, year = {2012}}\n"
                   "@article{one, author = {Huskisson, E. C.}, year = {1974}}\n", encoding="utf-8")
    assert quoted_study_label("two", bib) == "van der Graaf and Schünemann 2012, as quoted"
    assert quoted_study_label("one", bib) == "Huskisson 1974, as quoted"
    with pytest.raises(KeyError, match="no entry 'nosuch'"):
        quoted_study_label("nosuch", bib)


def test_the_ledger_grid_shows_no_citation_key_as_a_study():
    import pandas as pd
    from claimcheck.ledger import LEDGER_COLUMNS

    from sarcoma_review import render

    # A comparator row names the quoted study by its citation key, as claims.csv publishes it.
    row = dict.fromkeys(LEDGER_COLUMNS, "")
    row.update(claim_id="comp.aice-ref25-doxorubicin.cited_reference_topic", study="li2011osteosarcoma",
               source="001_b310b963ff8f79a5.txt", verdict="ambiguous")
    html = render.ledger_table(pd.DataFrame([row]))._repr_html_()
    assert "<td>Li et al. 2011, as quoted</td>" in html
    assert "<td>li2011osteosarcoma</td>" not in html
