"""The layout pass over a sheet's XML, on parts written the ways writers other than openpyxl and LibreOffice do:
a namespace prefix, rows and cells without r="…", an absolute relationship target."""
from __future__ import annotations

import io
import zipfile

from pipeline.campaign.sheet_layout import Merge, scan_layout

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORKBOOK = (f'<x:workbook xmlns:x="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<x:sheets><x:sheet name="说明" sheetId="1" r:id="rId1"/><x:sheet name="评委名单" sheetId="2" r:id="rId2"/>'
            '</x:sheets></x:workbook>')
RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>')
# Rows 1–4 without r: row 2 hidden; in row 3, B (second cell, no r) has a formula with an empty <v/> (no
# result), C a formula whose result is the empty string (t="str", a real blank), D a formula with result 0.
SHEET = (f'<x:worksheet xmlns:x="{MAIN}"><x:cols><x:col min="5" max="99999" hidden="true"/></x:cols><x:sheetData>'
         '<x:row><x:c t="inlineStr"><x:is><x:t>评委编号</x:t></x:is></x:c></x:row>'
         '<x:row hidden="1"><x:c><x:v>1</x:v></x:c></x:row>'
         '<x:row><x:c><x:v>2</x:v></x:c><x:c><x:f>A3*2</x:f><x:v/></x:c>'
         '<x:c t="str"><x:f>""</x:f><x:v></x:v></x:c><x:c><x:f>0</x:f><x:v>0</x:v></x:c></x:row>'
         '<x:row hidden="false"><x:c><x:v>3</x:v></x:c></x:row>'
         '</x:sheetData><x:mergeCells><x:mergeCell ref="A5:B6"/></x:mergeCells></x:worksheet>')


def archive(**parts: str) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return zipfile.ZipFile(buffer)


def test_prefixed_parts_without_row_or_cell_references():
    z = archive(**{"xl/workbook.xml": WORKBOOK, "xl/_rels/workbook.xml.rels": RELS,
                   "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}"/>', "xl/worksheets/sheet2.xml": SHEET})
    layout = scan_layout(z, "评委名单")
    assert layout.hidden_rows == {2}
    assert layout.uncached == {(3, 2)}
    assert layout.merges == [Merge("A5:B6", 5, 1, 6, 2)]
    assert layout.hidden_columns == set(range(5, 16385))  # a max past XFD (16384) is not believed
