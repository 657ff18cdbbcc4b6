"""The build as a whole: outputs, incremental rebuilds, byte-identical DOCX, and nothing half-written."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from pypdf import PdfReader

from pipeline.run import build
from pipeline.outcome import compute_outcome
from pipeline.errors import ConversionError, InputErrors, PipelineError, TemplateError

# Runs LibreOffice (pytest.ini: `make test-quick` leaves it out).
pytestmark = pytest.mark.integration

QUIET = lambda msg: None  # noqa: E731


def tree_hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, object]:
    """The sample's forms and score sheets, built once for the module."""
    root = tmp_path_factory.mktemp("build")
    campaign = root / "campaign"
    shutil.copytree(Path(__file__).resolve().parent.parent / "inputs", campaign)
    out = root / "out"
    lines: list[str] = []
    report = build(campaign, out, ["forms", "scoresheets", "bundles"], log=lines.append)
    report.log = lines
    return campaign, out, report


def test_the_wait_line_counts_every_piece_handed_to_the_converters(built):
    """It said 0 when the last pieces of each family were still waiting to be handed over."""
    _, _, report = built
    waits = [line for line in report.log if line.startswith("正在等待 PDF 转换完成：")]
    assert len(waits) == 1 and not waits[0].startswith("正在等待 PDF 转换完成：0 ")


def test_every_applicant_gets_a_form_in_docx_and_pdf(built):
    campaign, out, report = built
    wb = openpyxl.load_workbook(campaign / "报名信息.xlsx", read_only=True)
    names = [r[1] for r in wb["报名信息"].iter_rows(min_row=2, values_only=True) if r[0]]
    forms = sorted((out / "03-报名登记表").glob("*.pdf"))
    assert len(names) == 30
    assert len(forms) == 31  # one per applicant and the blank one
    for name in names:
        hits = list((out / "03-报名登记表").glob(f"报名登记表-*-{name}.docx"))
        assert len(hits) == 1, name
        body = "\n".join(c.text for t in Document(hits[0]).tables for row in t.rows for c in row.cells)
        assert name in body, name


def test_split_pdfs_match_their_own_documents(built):
    """Each PDF cut from a merged family holds exactly its own paper, page numbers from 1."""
    _, out, report = built
    for pdf in sorted((out / "05-评分表").glob("评分表-*.pdf"))[:5]:
        judge_name = pdf.stem.split("-")[-1]
        reader = PdfReader(pdf)
        text = "".join(page.extract_text() for page in reader.pages)
        assert judge_name in text
        assert report.pages[str(pdf.relative_to(out).with_suffix(""))] == len(reader.pages)


def test_bundle_has_one_bookmark_per_judge_and_duplex_padding(built):
    _, out, report = built
    reader = PdfReader(out / "bundles" / "评委评分表.pdf")
    sheets = sorted((out / "05-评分表").glob("评分表-*.pdf"))
    assert len(reader.outline) == len(sheets) == 56
    padded = sum(n + n % 2 for n in (len(PdfReader(p).pages) for p in sheets))
    assert len(reader.pages) == padded
    for entry in reader.outline:
        assert reader.get_destination_page_number(entry) % 2 == 0  # 0-based even = a right-hand page


def copies(built, tmp_path: Path) -> tuple[Path, Path]:
    """Private copies of the built campaign and its outputs, for a test that changes them."""
    campaign, out, _ = built
    campaign2, out2 = tmp_path / "c", tmp_path / "o"
    shutil.copytree(campaign, campaign2)
    shutil.copytree(out, out2)
    return campaign2, out2


def test_nothing_changed_means_nothing_rebuilt(built):
    campaign, out, _ = built
    before = tree_hashes(out)
    again = build(campaign, out, ["forms", "scoresheets", "bundles"], log=QUIET)
    assert again.built == []
    assert tree_hashes(out) == before


def test_docx_is_byte_identical_across_clean_builds(built, tmp_path):
    campaign, out, _ = built
    other = tmp_path / "again"
    build(campaign, other, ["forms"], log=QUIET)
    for docx in sorted((other / "03-报名登记表").glob("*.docx")):
        assert docx.read_bytes() == (out / "03-报名登记表" / docx.name).read_bytes(), docx.name


def test_one_changed_row_rebuilds_only_its_papers(built, tmp_path):
    campaign2, out2 = copies(built, tmp_path)
    wb = openpyxl.load_workbook(campaign2 / "报名信息.xlsx")
    ws = wb["报名信息"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("联系电话") + 1).value = "13900001111"
    number, name = ws.cell(row=2, column=1).value, ws.cell(row=2, column=2).value
    wb.save(campaign2 / "报名信息.xlsx")
    report = build(campaign2, out2, ["forms", "scoresheets", "bundles"], log=QUIET)
    rebuilt_docs = sorted(p for p in report.built if p.endswith(".docx"))
    # The phone number is on the applicant's own form only: the score sheets do not show it.
    assert rebuilt_docs == [f"03-报名登记表/报名登记表-{number}-{name}.docx"]
    assert "13900001111" in "".join(c.text for t in Document(out2 / rebuilt_docs[0]).tables
                                    for r in t.rows for c in r.cells)


def test_bad_input_writes_nothing_and_keeps_earlier_outputs(built, tmp_path):
    campaign2, out2 = copies(built, tmp_path)
    wb = openpyxl.load_workbook(campaign2 / "报名信息.xlsx")
    wb["报名信息"]["F2"] = "123"  # 身份证号 too short
    wb.save(campaign2 / "报名信息.xlsx")
    before = tree_hashes(out2)
    with pytest.raises(InputErrors):
        build(campaign2, out2, ["forms"], log=QUIET)
    assert tree_hashes(out2) == before


def test_broken_template_writes_nothing(built, tmp_path):
    campaign, out, _ = built
    templates = tmp_path / "templates"
    shutil.copytree(Path(__file__).resolve().parent.parent / "templates", templates)
    doc = Document(templates / "报名登记表.docx")
    doc.paragraphs[0].add_run("{{ a.no_such_field }}")
    doc.save(templates / "报名登记表.docx")
    out2 = tmp_path / "o"
    shutil.copytree(out, out2)
    before = tree_hashes(out2)
    with pytest.raises(TemplateError) as err:
        build(campaign, out2, ["forms"], templates_dir=templates, log=QUIET)
    assert "报名登记表.docx" in str(err.value)
    assert tree_hashes(out2) == before


def test_failed_conversion_leaves_earlier_outputs_and_no_staging(built, tmp_path, monkeypatch):
    campaign2, out2 = copies(built, tmp_path)
    (campaign2 / "campaign.toml").write_text(
        (campaign2 / "campaign.toml").read_text("utf-8").replace("2026年中层干部竞争上岗", "2026年中层干部竞争上岗（第二轮）"),
        "utf-8")
    before = tree_hashes(out2)

    def broken(*args, **kwargs):
        raise ConversionError("以下 1 个文档未能转换为 PDF：测试")

    monkeypatch.setattr("pipeline.engine.convert.convert_to_pdf", broken)
    with pytest.raises(ConversionError):
        build(campaign2, out2, ["forms"], log=QUIET)
    assert tree_hashes(out2) == before
    assert not [p for p in out2.iterdir() if p.name.startswith(".staging")]


def test_withdrawn_applicant_loses_their_papers(built, tmp_path):
    campaign2, out2 = copies(built, tmp_path)
    wb = openpyxl.load_workbook(campaign2 / "报名信息.xlsx")
    ws = wb["报名信息"]
    number, name = ws.cell(row=31, column=1).value, ws.cell(row=31, column=2).value
    ws.delete_rows(31)
    wb.save(campaign2 / "报名信息.xlsx")
    # Withdrawn before the speeches: the sample's typed scores and decisions do not apply to this story.
    (campaign2 / "评分录入.xlsx").unlink()
    (campaign2 / "任职决定.xlsx").unlink()
    report = build(campaign2, out2, ["forms", "scoresheets", "bundles"], log=QUIET)
    gone = f"03-报名登记表/报名登记表-{number}-{name}"
    assert {gone + ".docx", gone + ".pdf"} <= set(report.removed)
    assert not (out2 / (gone + ".pdf")).exists()
    # The archive bundle is rebuilt without them, although no remaining paper changed.
    titles = [entry.title for entry in PdfReader(out2 / "bundles" / "归档.pdf").outline if not isinstance(entry, list)]
    assert f"报名登记表 {number} {name}" not in titles
    assert f"报名登记表 {ws.cell(row=2, column=1).value} {ws.cell(row=2, column=2).value}" in titles


def test_a_judge_removed_leaves_the_judges_bundle(built, tmp_path):
    """No remaining paper changes when a judge is struck off, yet the 评委评分表 bundle must lose their sheet."""
    campaign2, out2 = copies(built, tmp_path)
    (campaign2 / "评分录入.xlsx").unlink()  # typed for the old panel
    (campaign2 / "任职决定.xlsx").unlink()
    wb = openpyxl.load_workbook(campaign2 / "评委名单.xlsx")
    ws = wb["评委名单"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=3).value == "中层干部")
    number, name = ws.cell(row=row, column=1).value, ws.cell(row=row, column=2).value
    ws.delete_rows(row)
    wb.save(campaign2 / "评委名单.xlsx")
    build(campaign2, out2, ["forms", "scoresheets", "bundles"], log=QUIET)
    titles = [entry.title for entry in PdfReader(out2 / "bundles" / "评委评分表.pdf").outline]
    assert len(titles) == 55
    assert not any(f"评分表 {number} {name}" in t for t in titles)
    assert not (out2 / "05-评分表" / f"评分表-{number}-{name}.pdf").exists()


def test_a_font_dropped_into_fonts_rebuilds_every_paper(built, tmp_path, monkeypatch):
    campaign2, out2 = copies(built, tmp_path)
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "仿宋_GB2312.ttf").write_bytes(b"not really a font, but a new file in fonts/")
    monkeypatch.setattr("pipeline.engine.fonts.FONTS_DIR", fonts)
    report = build(campaign2, out2, ["forms"], log=QUIET)
    assert len([p for p in report.built if p.endswith(".pdf")]) == 31  # 30 applicants and the blank form


def test_papers_of_removed_scores_are_removed_too(built, tmp_path):
    """Take the typed scores away: results, notices and letters made from them leave OUT and the bundles."""
    campaign2, out2 = copies(built, tmp_path)
    assert (out2 / "06-成绩汇总" / "成绩汇总表.pdf").exists() and (out2 / "results.csv").exists()
    (campaign2 / "评分录入.xlsx").unlink()
    report = build(campaign2, out2, ["bundles"], log=QUIET)
    assert ("成绩汇总表", ) == tuple(s.paper for s in report.skipped if s.paper == "成绩汇总表")
    for gone in ("06-成绩汇总", "07-公示", "08-任职", "results.csv", "results.xlsx"):
        assert not (out2 / gone).exists(), gone
    assert (out2 / "05-评分表" / "评分录入.xlsx").exists()  # what the clerk types into stays
    titles = [entry.title for entry in PdfReader(out2 / "bundles" / "归档.pdf").outline]
    assert "成绩汇总表" not in titles and "任职通知" not in titles


def _planner_adding(path: str):
    """The real planner, plus one paper at `path` (as if a hostile name had slipped past the readers)."""
    import dataclasses

    from pipeline.papers.registry import plan_outputs

    def planner(data, outcome, targets):
        plan = plan_outputs(data, outcome, targets)
        plan.docs.append(dataclasses.replace(plan.docs[0], path=path))
        return plan

    return planner


@pytest.mark.parametrize("how", ["climbs", "absolute", "link"])
def test_a_path_leaving_out_is_refused_and_nothing_is_written(built, tmp_path, how):
    campaign2, out2 = copies(built, tmp_path)
    outside = tmp_path / "逃逸"
    path = {"climbs": "../../../逃逸/邵明哲", "absolute": f"{outside}/邵明哲", "link": "链接/邵明哲"}[how]
    if how == "link":
        outside.mkdir()
        (out2 / "链接").symlink_to(outside, target_is_directory=True)
    # The depth of "../../../" is from the staging folder: OUT/.staging-x/../../../ is one above tmp_path.
    climbed = tmp_path.parent / "逃逸"
    before = tree_hashes(out2)
    with pytest.raises(PipelineError) as err:
        build(campaign2, out2, ["forms"], planner=_planner_adding(path), log=QUIET)
    assert "会写到输出文件夹" in str(err.value) and "之外，未生成任何文件" in str(err.value)
    assert repr(path + ".docx") in str(err.value)
    assert tree_hashes(out2) == before
    assert not [p for p in out2.iterdir() if p.name.startswith(".staging")]
    assert not (climbed.exists() or (outside.exists() and any(outside.iterdir())))


def test_a_planted_manifest_record_cannot_remove_a_file_outside_out(built, tmp_path):
    campaign2, out2 = copies(built, tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("not ours", "utf-8")
    manifest = json.loads((out2 / "manifest.json").read_text("utf-8"))
    manifest["files"]["03-报名登记表/../../victim.txt"] = {"sha256": "0", "size": 1, "mtime_ns": 0}
    (out2 / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    build(campaign2, out2, ["forms"], log=QUIET)
    assert victim.read_text("utf-8") == "not ours"


def test_a_member_copied_in_with_its_size_and_mtime_is_made_anew_for_the_bundle(built, tmp_path):
    """cp -p / rsync -t of another paper keeps size and mtime: only the content hash tells it is not ours."""
    campaign2, out2 = copies(built, tmp_path)
    forms = sorted((out2 / "03-报名登记表").glob("报名登记表-*.pdf"))
    sizes = {p: p.stat().st_size for p in forms}
    ours, other = min(((a, b) for a in forms for b in forms if sizes[a] > sizes[b]),
                      key=lambda pair: sizes[pair[0]] - sizes[pair[1]])
    st = ours.stat()
    ours.write_bytes(other.read_bytes() + b"\n" * (sizes[ours] - sizes[other]))  # trailing lines after %%EOF
    os.utime(ours, ns=(st.st_atime_ns, st.st_mtime_ns))
    (out2 / "bundles" / "归档.pdf").unlink()  # the archive bundle must be made again
    build(campaign2, out2, ["forms", "scoresheets", "bundles"], log=QUIET)
    name, other_name = ours.stem.split("-")[-1], other.stem.split("-")[-1]
    reader = PdfReader(out2 / "bundles" / "归档.pdf")
    number = ours.stem.split("-")[1]
    entry = next(e for e in reader.outline if not isinstance(e, list) and e.title == f"报名登记表 {number} {name}")
    page = reader.pages[reader.get_destination_page_number(entry)].extract_text()
    assert name in page and other_name not in page
    assert name in PdfReader(ours).pages[0].extract_text()


def test_clean_removes_what_we_made_and_keeps_the_rest(built, tmp_path):
    from pipeline.cli import main

    _, out2 = copies(built, tmp_path)
    (out2 / "README.md").write_text("这个文件夹放生成的文书。", "utf-8")
    killed = out2 / ".staging-k1l2" / "03-报名登记表"  # what a killed build leaves: forms with ID numbers
    killed.mkdir(parents=True)
    shutil.copy(next((out2 / "03-报名登记表").glob("*.pdf")), killed)
    (out2 / ".manifest.json.tmp").write_text("{", "utf-8")
    assert main(["--out", str(out2), "clean"]) == 0
    assert sorted(str(p.relative_to(out2)) for p in out2.rglob("*")) == ["README.md"]


def test_removing_the_last_output_keeps_out_itself_when_out_is_relative(tmp_path, monkeypatch):
    """remove_outputs climbs only to OUT: with OUT given as a relative path it must not remove OUT itself."""
    from pipeline.engine.staging import remove_outputs

    monkeypatch.chdir(tmp_path)
    (tmp_path / "out" / "03-报名登记表").mkdir(parents=True)
    (tmp_path / "out" / "03-报名登记表" / "a.pdf").write_bytes(b"%PDF-")
    remove_outputs(Path("out"), ["03-报名登记表/a.pdf"])
    assert (tmp_path / "out").is_dir() and not any((tmp_path / "out").iterdir())


def test_templates_the_last_build_checked_in_full_are_not_rendered_by_the_check_again(built, tmp_path, monkeypatch):
    """The check's example render is most of a one-row rebuild's planning; an unchanged template with unchanged
    code passed it already. An edited template is checked in full again."""
    from pipeline.papers import template_check

    campaign2, out2 = copies(built, tmp_path)
    rendered: list[str] = []
    real = template_check.check_render
    monkeypatch.setattr(template_check, "check_render", lambda name, *a: rendered.append(name) or real(name, *a))
    wb = openpyxl.load_workbook(campaign2 / "报名信息.xlsx")
    ws = wb["报名信息"]
    ws.cell(row=2, column=[c.value for c in ws[1]].index("联系电话") + 1).value = "13900001111"
    wb.save(campaign2 / "报名信息.xlsx")
    assert build(campaign2, out2, ["forms"], log=QUIET).built  # a real rebuild: the plan was made
    assert rendered == []
    templates = tmp_path / "templates"
    shutil.copytree(Path(__file__).resolve().parent.parent / "templates", templates)
    doc = Document(templates / "报名登记表.docx")
    doc.add_paragraph("（本表一式两份）")
    doc.save(templates / "报名登记表.docx")
    build(campaign2, out2, ["forms"], templates_dir=templates, log=QUIET)
    assert "报名登记表.docx" in rendered
