"""The render's shortcuts around docxtpl (pipeline/engine/render.py _Template) give docxtpl's own result: its table
grid pass and its listing pass are skipped only where they change nothing, and run where they do."""
from __future__ import annotations

import copy
import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

from pipeline.engine.render import make_render_environment, render_template


def template(rows: list[list[str]], grid_columns: int | None = None, span: int | None = None) -> bytes:
    """A DOCX with one paragraph of tags and a table; grid_columns rewrites its w:tblGrid to that many columns,
    span makes the first cell span that many."""
    doc = Document()
    doc.add_paragraph("{{ who }}：{{ note }}")
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for r, texts in enumerate(rows):
        for c, text in enumerate(texts):
            table.cell(r, c).text = text
    grid = table._tbl.tblGrid
    if grid_columns is not None:
        cols = grid.findall(qn("w:gridCol"))
        for col in cols[grid_columns:]:
            grid.remove(col)
        for _ in range(grid_columns - len(cols)):
            grid.append(copy.deepcopy(cols[-1]))
    if span is not None:
        tc_pr = table._tbl.tr_lst[0].tc_lst[0].get_or_add_tcPr()
        tc_pr.append(tc_pr.makeelement(qn("w:gridSpan"), {qn("w:val"): str(span)}))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docxtpl_alone(blob: bytes, context: dict) -> str:
    tpl = DocxTemplate(io.BytesIO(blob))
    tpl.render(dict(context), jinja_env=make_render_environment(), autoescape=True)
    return tpl.docx.element.xml


def ours(blob: bytes, context: dict) -> str:
    return render_template("t.docx", blob, context, make_render_environment()).docx.element.xml


CONTEXT = {"who": "临江镇", "note": "无"}


@pytest.mark.parametrize("case, blob, grid_pass_runs", [
    ("the grid fits", template([["姓名", "{{ who }}"], ["备注", "{{ note }}"]]), False),
    ("a span fills the grid", template([["姓名", "{{ who }}"], ["备注", "{{ note }}"]], span=2, grid_columns=3), False),
    ("rows wider than the grid", template([["姓名", "{{ who }}", "x"], ["备注", "{{ note }}", "y"]], grid_columns=2), True),
    ("a grid wider than every row", template([["姓名", "{{ who }}"], ["备注", "{{ note }}"]], grid_columns=4), True),
])
def test_the_table_grid_is_docxtpls(case, blob, grid_pass_runs, monkeypatch):
    runs = []
    real = DocxTemplate.fix_tables
    monkeypatch.setattr(DocxTemplate, "fix_tables", lambda self, xml: runs.append(case) or real(self, xml))
    expected = docxtpl_alone(blob, CONTEXT)
    runs.clear()
    assert ours(blob, CONTEXT) == expected
    assert bool(runs) == grid_pass_runs


@pytest.mark.parametrize("note", ["第一行\n第二行", "甲\t乙", "无"])
def test_line_breaks_and_tabs_in_the_data_are_docxtpls(note):
    blob = template([["备注", "{{ note }}"]])
    context = {"who": "临江镇", "note": note}
    assert ours(blob, context) == docxtpl_alone(blob, context)
    if "\n" in note:
        assert "<w:br/>" in ours(blob, context)
