"""A rebuild's head start (ProfilePool.head_start) is only a way to go faster: it never makes a rebuild fail that
would otherwise have succeeded or have said what is wrong with the inputs."""
from __future__ import annotations

import shutil

import openpyxl
import pytest

from pipeline.errors import InputErrors
from pipeline.run import build
from tests.test_convert_lifetime import ROOT

# Runs LibreOffice for the first build (pytest.ini: `make test-quick` leaves it out).
pytestmark = pytest.mark.integration


@pytest.fixture
def rebuilt_without_libreoffice(tmp_path, monkeypatch):
    campaign, out = tmp_path / "campaign", tmp_path / "out"
    shutil.copytree(ROOT / "inputs", campaign)
    build(campaign, out, ["plan"], log=lambda msg: None)
    empty = tmp_path / "no-soffice"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # this machine has no LibreOffice (any more)
    return campaign, out


def test_a_rebuild_refused_at_planning_names_the_input_even_without_libreoffice(rebuilt_without_libreoffice):
    campaign, out = rebuilt_without_libreoffice
    wb = openpyxl.load_workbook(campaign / "报名信息.xlsx")
    wb["报名信息"]["F2"] = "123"  # 身份证号 too short
    wb.save(campaign / "报名信息.xlsx")
    with pytest.raises(InputErrors):
        build(campaign, out, ["plan"], log=lambda msg: None)
    assert not list(out.glob(".staging-*"))
