"""Papers sharing their body (every judge's 评分表) are laid out once and personalised per judge; each PDF must
be indistinguishable, in text and in the place of every word, from converting that judge's sheet alone.

The reference for every comparison is LibreOffice converting the judge's own DOCX by itself
(pipeline.engine.convert.convert_to_pdf), as a build did before; positions come from `pdftotext -bbox`.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from pipeline.engine import personalise as ps

SHEETS = "05-评分表"
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def words(pdf: Path) -> list[tuple[int, str, tuple[float, ...]]]:
    """Every word of the PDF with its page and box, as pdftotext -bbox reads them."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    out = []
    for page, chunk in enumerate(xml.split("<page ")[1:]):
        out += [(page, m[4], tuple(float(v) for v in m[:4])) for m in WORD.findall(chunk)]
    return out


def assert_same_paper(made: Path, alone: Path) -> None:
    a, b = words(made), words(alone)
    assert [(p, w) for p, w, _ in a] == [(p, w) for p, w, _ in b], made.name
    for (_, w, box_a), (_, _, box_b) in zip(a, b):
        assert max(abs(x - y) for x, y in zip(box_a, box_b)) < 0.01, (made.name, w, box_a, box_b)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The sample's 评分表 built, one judge renamed to a long name with a middle dot."""
    from pipeline.run import build
    from tests.conftest import SAMPLE

    root = tmp_path_factory.mktemp("personalise")
    campaign = root / "campaign"
    shutil.copytree(SAMPLE, campaign)
    wb = openpyxl.load_workbook(campaign / "评委名单.xlsx")
    ws = wb.active
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("姓名") + 1).value = "阿依古丽·买买提"
    wb.save(campaign / "评委名单.xlsx")
    build(campaign, root / "out", ["scoresheets"], log=lambda msg: None)
    return root / "out" / SHEETS


def convert_alone(docs: list[Path], out: Path) -> dict[Path, Path]:
    """Each DOCX converted by itself, laid out as the build lays out any paper (long tables cut, for_layout)."""
    from pipeline.engine.batches import for_layout
    from pipeline.engine.convert import convert_to_pdf

    laid = out / "docx"
    laid.mkdir(parents=True)
    copies = {d: laid / d.name for d in docs}
    for d, copy in copies.items():
        copy.write_bytes(for_layout(d.read_bytes()))
    made = convert_to_pdf(list(copies.values()), out)
    return {d: made[copy] for d, copy in copies.items()}


def run_family(stage_dir: Path, blobs: list[tuple[str, bytes]]):
    """Convert blobs as one family with the build's Converter; return it and the staging folder's PDFs."""
    from pipeline.engine.jobs import DocJob
    from pipeline.engine.pdfs import Converter
    from pipeline.engine.staging import Staging

    stage = Staging(stage_dir)
    stage.__enter__()
    converter = Converter(stage, workers=2)
    for name, blob in blobs:
        path = f"{SHEETS}/{name}"
        stage.write(path + ".docx", blob)
        converter.add(DocJob(path, "评分表.docx", {}, batch="scoresheet", title=name, shared_body=True), blob)
    converter.finish()
    return converter, stage


@pytest.mark.integration
def test_every_judges_sheet_is_the_same_as_converting_it_alone(built, tmp_path):
    """The build's 评分表 PDFs (personalised) against each DOCX converted alone: same words at the same places,
    the long name 阿依古丽·买买提 included; and the Converter did personalise all but the prototype."""
    docs = sorted(built.glob("评分表-*.docx"))
    assert len(docs) >= 10
    chosen = docs[:4] + [d for d in docs if "阿依古丽" in d.name]
    assert len(chosen) == 5
    alone = convert_alone(chosen, tmp_path / "alone")
    for docx, pdf in alone.items():
        assert_same_paper(docx.with_suffix(".pdf"), pdf)

    blobs = [(d.stem, d.read_bytes()) for d in docs]
    converter, stage = run_family(tmp_path / "again", blobs)
    try:
        assert converter.personalised == len(docs) - 1
        for d in chosen:
            assert_same_paper(stage.dir / SHEETS / f"{d.stem}.pdf", alone[d])
    finally:
        stage.__exit__(None, None, None)


def _edit_document(blob: bytes, edit) -> bytes:
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/document.xml"] = edit(parts["word/document.xml"].decode()).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    return out.getvalue()


@pytest.mark.integration
def test_a_sheet_whose_opening_lays_out_differently_is_converted_whole(built, tmp_path):
    """One judge's line made three lines long (a long group name, say): its first page holds fewer rows, so its
    first page is not the prototype's. It is converted alone; the others are still personalised."""
    docs = sorted(built.glob("评分表-*.docx"))[:5]
    long_line = "评委组：" + "特别邀请的具有高级职称的业务专家评委代表" * 6
    blobs = [(d.stem, d.read_bytes()) for d in docs]
    blobs[2] = (blobs[2][0], _edit_document(blobs[2][1], lambda xml: xml.replace("评委组：", long_line, 1)))
    assert ps.family([b for _, b in blobs]) is not None
    converter, stage = run_family(tmp_path / "stage", blobs)
    try:
        assert converter.personalised == len(docs) - 2
        odd = tmp_path / "odd.docx"
        odd.write_bytes(blobs[2][1])
        alone = convert_alone([odd, docs[3]], tmp_path / "alone")
        assert_same_paper(stage.dir / SHEETS / f"{blobs[2][0]}.pdf", alone[odd])
        assert_same_paper(stage.dir / SHEETS / f"{docs[3].stem}.pdf", alone[docs[3]])
    finally:
        stage.__exit__(None, None, None)


def test_a_template_naming_the_judge_below_the_table_or_in_the_footer_is_not_personalised(built):
    """A clerk's template that prints the judge's name after the table (or in a footer) makes every page
    personal: the family is refused and every sheet is converted as before."""
    docs = sorted(built.glob("评分表-*.docx"))[:3]
    blobs = [d.read_bytes() for d in docs]
    assert ps.family(blobs) is not None
    names = [d.stem.split("-", 2)[2] for d in docs]
    signed = [_edit_document(b, lambda xml, n=n: xml.replace("评委签名：", f"评委签名：{n}", 1))
              for b, n in zip(blobs, names)]
    assert ps.family(signed) is None

    def footer(blob: bytes, name: str) -> bytes:
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        parts["word/footer1.xml"] = parts["word/footer1.xml"].replace(b"\xe2\x80\x94 </w:t>",
                                                                      f"{name} — </w:t>".encode())
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for n, data in parts.items():
                z.writestr(n, data)
        return out.getvalue()

    footed = [footer(b, n) for b, n in zip(blobs, names)]
    assert footed[0] != blobs[0]
    assert ps.family(footed) is None
    assert ps.family(blobs[:1]) is None  # one judge: nothing to share
    assert ps.family([blobs[0], blobs[0]]) is None  # identical papers: nothing personal


def test_rows_on_a_page_and_the_first_page_comparison():
    rows = ["1张三综合办主任", "2李四综合办主任", "3王五党政办副主任"]
    assert ps.rows_on_page("标题\n1 张三 综合办主任\n2 李四 综合办主任\n— 1 —", rows) == 2
    assert ps.rows_on_page("标题", rows) == 0
    assert ps.rows_on_page("2 李四 综合办主任 1 张三 综合办主任", rows) == 1  # rows count only in the table's order
    proto = "标题\n评委：张三　　评委组：专家\n1 王五"
    assert ps.same_first_page("标题 评委：李四　评委组：专家 1 王五", "评委：李四评委组：专家",
                              proto, "评委：张三评委组：专家")
    assert not ps.same_first_page("标题 评委：李四　评委组：专家", "评委：李四评委组：专家",
                                  proto, "评委：张三评委组：专家")  # a row fewer on the page


@pytest.mark.integration
def test_the_township_sheets_with_a_table_cut_in_pieces_are_the_same_as_alone(tmp_path):
    """examples/township: 208 interview candidacies on every sheet, a table the build cuts at 200 rows
    (pipeline/engine/batches.py for_layout), 13 pages; the first, a middle and the last judge checked."""
    from pipeline.run import build

    root = Path(__file__).resolve().parent.parent
    campaign = tmp_path / "township"
    shutil.copytree(root / "examples" / "township", campaign)
    build(campaign, tmp_path / "out", ["scoresheets"], log=lambda msg: None)
    docs = sorted((tmp_path / "out" / SHEETS).glob("评分表-*.docx"))
    assert len(docs) == 21
    chosen = [docs[0], docs[10], docs[-1]]
    alone = convert_alone(chosen, tmp_path / "alone")
    for d in chosen:
        assert len(words(alone[d])) > 800
        assert_same_paper(d.with_suffix(".pdf"), alone[d])
