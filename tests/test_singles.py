"""Papers alone in their batch (the plan, the speech, each 公示) are converted together: one LibreOffice call per
converter instead of one per paper, each still its own PDF; a paper LibreOffice refuses is named alone."""
from __future__ import annotations

import pytest
from pypdf import PdfReader

from pipeline.engine import convert
from pipeline.engine.jobs import DocJob
from pipeline.engine.pdfs import Converter
from pipeline.engine.staging import Staging
from tests.test_batches import member, without_content_types


def single_jobs(blobs):
    return [(DocJob(f"07-公示/公示{i}", "任前公示.docx", {}, batch=f"notice-{i}", title=f"公示{i}"), blob)
            for i, blob in enumerate(blobs)]


def count_calls(monkeypatch) -> list[list[str]]:
    """Every soffice command line the build runs (LibreOffice itself still converts)."""
    calls: list[list[str]] = []
    real = convert.run_soffice

    def counted(cmd, env, timeout):
        calls.append(cmd)
        return real(cmd, env, timeout)

    monkeypatch.setattr(convert, "run_soffice", counted)
    return calls


@pytest.mark.integration
def test_single_papers_of_five_batches_take_one_call_per_converter(tmp_path, monkeypatch):
    calls = count_calls(monkeypatch)
    papers = single_jobs([member(f"第{i}号公示", 1 + 40 * (i % 2)) for i in range(5)])  # odd ones run over a page
    with Staging(tmp_path / "out") as stage:
        converter = Converter(stage, workers=2)
        for job, blob in papers:
            stage.write(job.path + ".docx", blob)
            converter.add(job, blob)
        pages = converter.finish()
        assert set(pages) == {job.path for job, _ in papers}
        for i, (job, _) in enumerate(papers):
            reader = PdfReader(stage.dir / f"{job.path}.pdf")
            assert f"第{i}号公示" in "".join(reader.pages[0].extract_text().split())
            assert pages[job.path] == len(reader.pages) and (len(reader.pages) > 1) == bool(i % 2)
    assert len(calls) == 2  # five papers, two converters: two soffice calls, not five


@pytest.mark.integration
def test_a_refused_single_paper_is_named_alone(tmp_path):
    from pipeline.errors import ConversionError

    blobs = [member("甲公示", 1), without_content_types(member("乙公示", 1)), member("丙公示", 1)]
    papers = single_jobs(blobs)
    with Staging(tmp_path / "out") as stage:
        converter = Converter(stage, workers=1)
        for job, blob in papers:
            stage.write(job.path + ".docx", blob)
            converter.add(job, blob)
        with pytest.raises(ConversionError) as info:
            converter.finish()
        assert (stage.dir / f"{papers[0][0].path}.pdf").is_file() and (stage.dir / f"{papers[2][0].path}.pdf").is_file()
    lines = str(info.value).splitlines()
    assert lines[0] == "以下 1 份文书未能转换为 PDF，未生成任何文件："
    assert lines[1].startswith("  07-公示/公示1：")
