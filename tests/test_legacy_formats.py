"""The LibreOffice conversion of .xls/.et workbooks on its own: a call that takes too long is stopped and named."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from pipeline.campaign.legacy_formats import NotConverted, to_xlsx

FIXTURES = Path(__file__).resolve().parent / "workbooks"
SAVE_AS = "请用 Excel 或 WPS 打开它，去掉打开密码，点“文件→另存为”，保存类型选“Excel 工作簿（*.xlsx）”，再把新文件放进 campaign 文件夹"


@pytest.mark.integration
def test_a_conversion_that_takes_too_long_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    data = (FIXTURES / "评委名单-隐藏行列.xls").read_bytes()
    with pytest.raises(NotConverted) as info:
        to_xlsx(data, "评委名单.xls", timeout=0.01)  # LibreOffice cannot even start in 10 ms
    assert str(info.value) == (
        f"LibreOffice 在 0.01 秒内没有读完 评委名单.xls（文件可能已损坏或设置了打开密码）；{SAVE_AS}")
    assert list(tmp_path.iterdir()) == []  # profile, copy and scratch files removed
