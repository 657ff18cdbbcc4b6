"""`make bench`: time a whole campaign at seed 1's scale against bare LibreOffice baselines.

Prints one table: documents, pages, render, conversion and total time of the pipeline; the same DOCX
files converted by two parallel `soffice` batches (separate profiles), and by one `soffice` per file
(timed on a sample and scaled per document); a rebuild with nothing changed and after one changed row;
peak memory; the same build through a pool of two unoserver servers on loopback (started and
stopped here) and its ratio to the local build. Each build runs in a process of its own, as `make all`
does (devtools/bench_build.py). Nothing here is asserted: the numbers go into the closing notes of the issues.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import openpyxl

TARGETS = ("forms", "eligibility", "scoresheets", "bundles")


def _soffice(files: list[Path], outdir: Path, profile: Path) -> subprocess.Popen:
    return subprocess.Popen(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(outdir), *map(str, files)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _batch_in_calls(files: list[Path], outdir: Path, profile: Path) -> None:
    # One soffice call stops after 246 files here (pipeline/engine/convert.py MAX_FILES_PER_CALL): cut the batch.
    for i in range(0, len(files), 100):
        _soffice(files[i:i + 100], outdir, profile).wait()


def two_batches(files: list[Path], work: Path) -> float:
    """Baseline: the same DOCX files in two parallel soffice batches, each with its own profile."""
    from concurrent.futures import ThreadPoolExecutor

    halves = [files[0::2], files[1::2]]
    t = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda ih: _batch_in_calls(ih[1], work / f"b{ih[0]}", work / f"p{ih[0]}"), enumerate(halves)))
    seconds = time.perf_counter() - t
    made = len(list(work.glob("b*/*.pdf")))
    if made != len(files):
        raise SystemExit(f"baseline incomplete: {made} of {len(files)} PDFs")
    return seconds


def one_per_file(files: list[Path], work: Path, sample: int) -> float:
    """Baseline: one soffice process per file, in turn, timed on a sample and scaled per document."""
    chosen = random.Random(7).sample(files, min(sample, len(files)))
    t = time.perf_counter()
    for i, f in enumerate(chosen):
        _soffice([f], work / "single", work / f"s{i}").wait()
    return (time.perf_counter() - t) / len(chosen) * len(files)


def merged_family(files: list[Path], work: Path) -> float:
    """The same files merged into two pieces and converted in parallel, as the pipeline does for a family."""
    from concurrent.futures import ThreadPoolExecutor

    from pipeline.engine.convert import convert_to_pdf
    from pipeline.engine.batches import merge_batch

    t = time.perf_counter()
    pieces = []
    for i, half in enumerate((files[: len(files) // 2], files[len(files) // 2:])):
        pieces.append(work / f"merged{i}.docx")
        pieces[-1].write_bytes(merge_batch([f.read_bytes() for f in half]))
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda p: convert_to_pdf([p], work / "merged", workers=1), pieces))
    return time.perf_counter() - t


def build(campaign: Path, out: Path, targets, converters: str | None = None) -> SimpleNamespace:
    """One build as `make all` runs it: a process of its own (devtools/bench_build.py); its report."""
    cmd = [sys.executable, "-m", "devtools.bench_build", str(campaign), str(out), *targets]
    done = subprocess.run(cmd + (["--converters", converters] if converters else []), capture_output=True,
                          text=True, cwd=Path(__file__).resolve().parent.parent)
    if done.returncode != 0:
        raise SystemExit(f"build failed:\n{done.stderr}")
    return SimpleNamespace(**json.loads(done.stdout.splitlines()[-1]))


def pool_build(campaign: Path, out: Path, targets) -> tuple[float, str, float]:
    """The same build through a pool of two unoserver servers on loopback, started and stopped here: its
    seconds, the papers each server made, and how long the servers took to answer."""
    from collections import Counter

    from pipeline.engine.converters import local_servers
    from pipeline.engine.manifest import Manifest

    t = time.perf_counter()
    with local_servers(2) as started:
        start = time.perf_counter() - t
        report = build(campaign, out, targets, ",".join(str(server) for server, _ in started))
    made = Counter(Manifest.load(out).converters().values())
    return report.seconds, ", ".join(f"{by}: {n}" for by, n in sorted(made.items())), start


def change_one_row(campaign: Path) -> None:
    """Edit one applicant's phone number, as a clerk correcting a typo would."""
    path = campaign / "报名信息.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["报名信息"]
    header = [c.value for c in ws[1]]
    col = header.index("联系电话") + 1
    ws.cell(row=2, column=col).value = "13900001111"
    wb.save(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--posts", type=int, default=81)
    ap.add_argument("--principal", type=int, default=28)
    ap.add_argument("--applicants", type=int, default=600)
    ap.add_argument("--judges", type=int, default=60)
    ap.add_argument("--sample", type=int, default=40, help="files timed one soffice per file")
    ap.add_argument("--work", type=Path, default=Path("bench-out"))
    ap.add_argument("--campaign", type=Path, default=None,
                    help="time a copy of this campaign folder (e.g. examples/township, every round typed) with all "
                         "its papers, instead of an invented one without scores")
    args = ap.parse_args(argv)

    from devtools.synth import generate_campaign

    args.work = args.work.resolve()  # LibreOffice's profile is named by a file URI, which needs an absolute path
    shutil.rmtree(args.work, ignore_errors=True)
    campaign, out = args.work / "campaign", args.work / "out"
    if args.campaign is not None:
        shutil.copytree(args.campaign, campaign)
        targets: tuple[str, ...] = ("all",)
    else:
        generate_campaign(campaign, posts=args.posts, principal=args.principal,
                          applicants=args.applicants, judges=args.judges, seed=1)
        targets = TARGETS
    full = build(campaign, out, targets)
    docs = sorted(out.rglob("*.docx"))
    pages = sum(p for p in full.pages.values() if p)
    again = build(campaign, out, targets)
    change_one_row(campaign)
    one = build(campaign, out, targets)
    me, kids = full.peak_mb, full.children_peak_mb
    pool_seconds, pool_made, pool_start = pool_build(campaign, args.work / "out-pool", targets)

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base2 = two_batches(docs, work)
        base1 = one_per_file(docs, work, args.sample)
        forms = sorted((out / "03-报名登记表").glob("报名登记表-*.docx"))
        forms_apart = two_batches(forms, work / "forms")
        forms_merged = merged_family(forms, work / "forms")

    rows = [
        ("documents (DOCX → PDF)", f"{len(docs)}"),
        ("pages", f"{pages}"),
        ("pipeline: plan (read, validate, review, score, check templates)", f"{full.timings.get('plan', 0):.1f} s"),
        ("pipeline: render (conversion of finished pieces runs alongside)", f"{full.timings.get('render', 0):.1f} s"),
        ("pipeline: render + conversion, until the last PDF", f"{full.timings.get('render+convert', 0):.1f} s"),
        ("pipeline: bundles", f"{full.timings.get('bundle', 0):.1f} s"),
        ("pipeline: full build, total", f"{full.seconds:.1f} s"),
        ("baseline: 2 parallel soffice batches, same DOCX", f"{base2:.1f} s"),
        (f"baseline: 1 soffice per file (sample {min(args.sample, len(docs))}, scaled)", f"{base1:.1f} s"),
        ("full build / 2-batch baseline", f"{full.seconds / base2:.2f} ×  (goal ≤ 0.5)"),
        ("1-per-file baseline / full build", f"{base1 / full.seconds:.1f} ×  (goal ≥ 12)"),
        ("rebuild, nothing changed", f"{again.seconds:.2f} s = {100 * again.seconds / full.seconds:.1f} % (goal ≤ 2 %)"),
        ("rebuild, one applicant row changed", f"{one.seconds:.1f} s ({len([p for p in one.built if p.endswith('.docx')])} documents rebuilt; goal ≤ 3 s)"),
        (f"one family, {len(forms)} 报名登记表: 2 batches of separate files", f"{forms_apart:.1f} s"),
        (f"one family, {len(forms)} 报名登记表: merged into 2 pieces, 2 processes", f"{forms_merged:.1f} s ({forms_apart / forms_merged:.1f} × faster)"),
        ("pool: 2 unoserver servers on loopback, start until both answer", f"{pool_start:.1f} s"),
        ("pool: full build through them, total", f"{pool_seconds:.1f} s ({pool_made})"),
        ("pool / local full build", f"{pool_seconds / full.seconds:.2f} ×  (goal ≤ 1.15)"),
        ("peak memory: pipeline process", f"{me:.0f} MB"),
        ("peak memory: largest LibreOffice process", f"{kids:.0f} MB (goal ≤ 1.5 GB)"),
    ]
    width = max(len(r[0]) for r in rows)
    if args.campaign is not None:
        from pipeline.campaign.load import load_campaign_folder

        data = load_campaign_folder(campaign)
        print(f"Benchmark: {args.campaign} — {len(data.posts)} posts, {len(data.applicants)} applicants, "
              f"{len(data.judges)} judges, targets: all")
    else:
        print(f"Benchmark: {args.posts} posts, {args.applicants} applicants, {args.judges} judges")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
