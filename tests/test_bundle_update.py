"""A bundle whose few changed members are replaced in place (pipeline/engine/bundle.py update_bundle) equals the
bundle merged whole, page for page and bookmark for bookmark, and stays PDF/A-2b; a bundle for posting is
always merged whole; after MAX_REVISIONS revisions the bundle is merged whole again, dropping the old pages."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from pipeline.engine.bundle import MAX_REVISIONS, merge_bundle, outline_starts, revisions
from pipeline.engine.pdf_check import pdf_pages_text
from pipeline.engine.pdfa import bundle_info
from tests.pdfa_check import findings
from tests.test_pdfa import LIBREOFFICE_TYPE1_FINDINGS, failed_rules

ARCHIVE, POSTED = "bundles/归档.pdf", "bundles/公示.pdf"


def set_cell(campaign: Path, header: str, value: str, row: int = 2) -> None:
    wb = openpyxl.load_workbook(campaign / "报名信息.xlsx")
    ws = wb["报名信息"]
    ws.cell(row=row, column=[c.value for c in ws[1]].index(header) + 1).value = value
    wb.save(campaign / "报名信息.xlsx")


def same_bundle(updated: Path, merged: Path) -> None:
    assert len(PdfReader(updated).pages) == len(PdfReader(merged).pages)
    assert outline_starts(updated) == outline_starts(merged)
    assert pdf_pages_text(updated) == pdf_pages_text(merged)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from pipeline.run import build
    from tests.conftest import SAMPLE

    root = tmp_path_factory.mktemp("bundle-update")
    campaign, out = root / "campaign", root / "out"
    shutil.copytree(SAMPLE, campaign)
    build(campaign, out, ["all"], log=lambda msg: None)
    return campaign, out


def archive_members(campaign: Path, out: Path) -> list[tuple[str, Path]]:
    from pipeline.run import plan_campaign
    from tests.conftest import TEMPLATES

    plan = plan_campaign(campaign, ["all"], TEMPLATES)[1]
    members = next(m for name, m, _ in plan.bundles if name == ARCHIVE)
    return [(title, out / f"{rel}.pdf") for title, rel in members]


@pytest.mark.integration
def test_one_changed_row_replaces_its_pages_and_equals_a_whole_merge(built, tmp_path):
    from pipeline.run import build

    campaign, out = built
    assert revisions(out / ARCHIVE) == 1
    posted_before = (out / POSTED).read_bytes()
    set_cell(campaign, "联系电话", "13900001111")
    report = build(campaign, out, ["all"], log=lambda msg: None)
    assert ARCHIVE in report.built and POSTED not in report.built
    assert (out / POSTED).read_bytes() == posted_before
    assert revisions(out / ARCHIVE) == 2  # updated in place, not merged whole
    merged = tmp_path / "whole.pdf"
    merge_bundle(archive_members(campaign, out), merged, bundle_info(ARCHIVE, "x", "y"), duplex=True)
    same_bundle(out / ARCHIVE, merged)
    assert "13900001111" in "".join(pdf_pages_text(out / ARCHIVE))
    assert findings(out / ARCHIVE) == []
    # The validator finds in the updated file only what it finds in every LibreOffice PDF (tests/test_pdfa.py).
    assert failed_rules(out / ARCHIVE) <= LIBREOFFICE_TYPE1_FINDINGS


@pytest.mark.integration
def test_a_bundle_for_posting_is_merged_whole_and_revisions_are_capped(built, tmp_path):
    from pipeline.run import build

    campaign, out = built
    toml = campaign / "campaign.toml"
    toml.write_text(toml.read_text("utf-8").replace('"0512-58880000"', '"0512-58880001"'), "utf-8")  # 受理电话
    report = build(campaign, out, ["all"], log=lambda msg: None)
    assert POSTED in report.built
    assert revisions(out / POSTED) == 1  # a 公示 carries no superseded page
    assert "0512-58880001" in "".join(pdf_pages_text(out / POSTED))
    seen = [revisions(out / ARCHIVE)]
    for phone in ("13900002222", "13900003333", "13900004444"):
        set_cell(campaign, "联系电话", phone)
        build(campaign, out, ["all"], log=lambda msg: None)
        seen.append(revisions(out / ARCHIVE))
    assert max(seen) == MAX_REVISIONS and seen[-1] < MAX_REVISIONS  # merged whole again at the cap
    text = "".join(pdf_pages_text(out / ARCHIVE))
    assert "13900004444" in text and "13900003333" not in text
    raw = (out / ARCHIVE).read_bytes()
    merged = tmp_path / "whole.pdf"
    merge_bundle(archive_members(campaign, out), merged, bundle_info(ARCHIVE, "x", "y"), duplex=True)
    same_bundle(out / ARCHIVE, merged)
    assert findings(out / ARCHIVE) == []
    assert raw.count(b"startxref") == seen[-1]
