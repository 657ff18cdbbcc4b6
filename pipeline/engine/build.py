"""The build: a plan of papers in, OUT out — rendered, converted and bundled only where stale, committed atomically.

What the papers are is the caller's business (pipeline.run plans them from the campaign); this module knows only
documents, files, bundles, the manifest and the staging folder. Nothing reaches OUT until the whole run succeeded.
"""
from __future__ import annotations

import contextlib
import hashlib
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from pipeline import __version__
from pipeline.errors import PipelineError
from pipeline.engine.converters import Server, UnoPool
from pipeline.engine.faults import kill_point
from pipeline.engine.jobs import DocJob, Plan, Skipped
from pipeline.engine.manifest import Manifest, context_hash, sha256_bytes, sha256_file
from pipeline.engine.safe_paths import UnsafePath, resolve_inside
from pipeline.engine.staging import Staging

if TYPE_CHECKING:
    from pipeline.engine.convert import ProfilePool

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the plan's notes, said before the summary
    pages: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # stage → seconds (for the benchmark)

    def summary(self) -> str:
        docs = sum(1 for p in self.built if p.endswith(".docx"))
        return (f"完成：新生成 {docs} 份文书（共 {len(self.built)} 个文件），"
                f"{self.unchanged} 份未变化未重建，用时 {self.seconds:.1f} 秒。")


def code_version() -> str:
    """The version that outputs depend on besides their data: the pipeline's code and the fonts in fonts/.

    A changed converter or a licensed font dropped into fonts/ must rebuild every paper.
    """
    from pipeline.engine.fonts import FONTS_DIR

    package = ROOT / "pipeline"  # the runtime package only: authoring/ and devtools/ do not change a paper
    files = [(p.relative_to(ROOT).as_posix(), p) for p in sorted(package.rglob("*.py"))]
    if FONTS_DIR.is_dir():
        files += [(p.name, p) for p in sorted(FONTS_DIR.rglob("*")) if p.is_file() and p.name != "README.md"]
    h = hashlib.sha256(__version__.encode())
    for name, p in files:
        h.update(f"{name}:{sha256_file(p)}".encode())
    return h.hexdigest()


def fingerprint(campaign_dir: Path, templates_dir: Path, targets: Sequence[str],
                code: str) -> tuple[str, dict, dict]:
    """Hash of every input file, every template, the code version and the targets."""
    inputs = {p.name: sha256_file(p) for p in sorted(campaign_dir.iterdir())
              if p.is_file() and not p.name.startswith(("~$", ".~"))}
    # The .toml tables beside the templates (单位类型.toml, docs/reference.md 单位类型) feed the papers' words too.
    tables = [*templates_dir.glob("*.docx"), *templates_dir.glob("*.toml")]
    templates = {p.name: sha256_file(p) for p in sorted(tables)}
    h = hashlib.sha256()
    for part in (inputs, templates, code, sorted(targets)):
        h.update(repr(part).encode("utf-8"))
    return h.hexdigest(), inputs, templates


def job_key(job: DocJob, templates: dict[str, str], code: str) -> str:
    """What a paper depends on: its template, its context and the code version (docs/reference.md, 构建)."""
    return sha256_bytes(f"{code}|{templates.get(job.template, '')}|{context_hash(job.context)}".encode())


def _up_to_date(job: DocJob, key: str, old: Manifest, out_dir: Path) -> bool:
    rec = old.documents.get(job.path)
    return (rec is not None and rec.get("key") == key
            and old.file_intact(out_dir, job.path + ".docx") and old.file_intact(out_dir, job.path + ".pdf"))


def build(inputs_dir: Path, out_dir: Path, targets: Sequence[str], *, make_plan: Callable[[bool], Plan],
          templates_dir: Path, workers: int = 2, log: Callable[[str], None] | None = None,
          convert_timeout: float | None = None, converters: Sequence[Server] | None = None) -> BuildReport:
    """Write what make_plan() lists into out_dir, making only what is stale; nothing reaches OUT unless all succeeds.

    make_plan reads and checks the inputs; it is not called at all when no input, template or code changed, and
    is told True when the templates and code are those of the last build (which checked the templates in full).
    converters: a pool of unoserver servers instead of the local lanes (docs/reference.md, 转换服务器).
    """
    t0 = time.perf_counter()
    log = log or _default_log
    report = BuildReport()
    old = Manifest.load(out_dir)
    code = code_version()
    fp, inputs, templates = fingerprint(inputs_dir, templates_dir, targets, code)
    if old.fingerprint == fp and old.files and all(old.file_intact(out_dir, rel) for rel in old.files):
        report.unchanged = len(old.documents)
        report.seconds = time.perf_counter() - t0
        return report

    with contextlib.ExitStack() as scope:
        early = profiles = None
        if out_dir.is_dir() and not converters:
            from pipeline.engine.pdfs import build_profiles

            # A rebuild: this machine's LibreOffice starts in one of the build's profiles while the build plans, and its
            # first conversion takes a fifth of the time (ProfilePool.head_start). Staging removes them either way.
            early = scope.enter_context(Staging(out_dir))
            profiles = build_profiles(early)
            scope.callback(profiles.end_head_starts)
            profiles.head_start(1)  # a one-row fix converts one paper; a larger rebuild gains a second at most
        checked = sha256_bytes(repr((templates, code)).encode("utf-8"))
        plan = make_plan(old.templates_checked == checked)  # InputErrors, TemplateError: nothing written
        report.skipped = plan.skipped
        report.notes = plan.notes
        report.removed = _obsolete(plan, old)
        _check_paths(plan, report.removed, out_dir)
        kill_point("plan")

        keys = {job.path: job_key(job, templates, code) for job in plan.docs}
        stale = [job for job in plan.docs if not _up_to_date(job, keys[job.path], old, out_dir)]
        bundles = _stale_bundles(plan, old, out_dir, keys)
        stale += _unverified_members(bundles, plan, stale, old, out_dir)
        report.unchanged = len(plan.docs) - len(stale)

        new = Manifest(version=__version__, fingerprint=fp, inputs=inputs, templates=templates,
                       documents=dict(old.documents), files=dict(old.files), bundles=dict(old.bundles),
                       bundle_members=dict(old.bundle_members), templates_checked=checked)
        report.timings["plan"] = time.perf_counter() - t0
        pool = None
        if stale and converters:  # ask the servers before anything is rendered or staged
            pool = UnoPool(converters, log)
            pool.check()
        made_by: dict[str, str] = {}
        with contextlib.nullcontext(early) if early is not None else Staging(out_dir) as stage:
            t = time.perf_counter()
            report.pages.update(_render_and_convert(stale, stage, templates_dir, workers, log, report.timings,
                                                    convert_timeout, pool, made_by, profiles))
            report.timings["render+convert"] = time.perf_counter() - t
            for fj in plan.files:
                if not old.file_intact(out_dir, fj.path) or old.files[fj.path]["sha256"] != sha256_bytes(fj.content):
                    stage.write(fj.path, fj.content)
            t = time.perf_counter()
            _bundle(bundles, stage, out_dir, new, keys, plan, old)
            report.timings["bundle"] = time.perf_counter() - t
            # The new manifest is complete before the first move: the commit journal carries it.
            for rel in stage.written:
                new.record_file(stage.dir, rel)
            for job in stale:
                new.documents[job.path] = {"key": keys[job.path], "template": job.template, "title": job.title,
                                           "pages": report.pages.get(job.path), "converter": made_by.get(job.path)}
            for rel in report.removed:
                new.files.pop(rel, None)
                new.documents.pop(rel.rsplit(".", 1)[0], None)
            report.built = stage.commit(report.removed, new)
    report.seconds = time.perf_counter() - t0
    return report


def _check_paths(plan: Plan, removals: Sequence[str], out_dir: Path) -> None:
    """Refuse, before anything is written, every output path that would land outside OUT (links followed)."""
    rels = [job.path + ext for job in plan.docs for ext in (".docx", ".pdf")]
    rels += [fj.path for fj in plan.files] + [name for name, _, _ in plan.bundles] + list(removals)
    unsafe = []
    for rel in rels:
        try:
            resolve_inside(out_dir, rel)
        except UnsafePath as exc:
            unsafe.append(str(exc))
    if unsafe:
        # The readers refuse such names with the cell named; reaching here means a bug or a hostile link in OUT.
        raise PipelineError(f"有 {len(unsafe)} 个输出路径会写到输出文件夹 {out_dir} 之外，未生成任何文件：\n"
                            + "\n".join(f"  {line}" for line in unsafe)
                            + "\n请检查输出文件夹中是否有指向别处的链接，并把这条信息告诉维护人员。")


def _render_and_convert(jobs: Sequence[DocJob], stage: Staging, templates_dir: Path, workers: int,
                        log, timings: dict[str, float], convert_timeout: float | None = None,
                        pool: UnoPool | None = None, made_by: dict[str, str] | None = None,
                        profiles: ProfilePool | None = None) -> dict[str, int]:
    """Render every paper to DOCX; converter threads turn finished pieces into PDFs meanwhile.

    made_by is filled with the converter that made each paper's PDF ("local" or a pool's host:port).
    """
    from pipeline.engine.convert import DEFAULT_TIMEOUT
    from pipeline.engine.pdfs import Converter
    from pipeline.engine.render import document_meta, make_render_environment, render_docx

    if not jobs:
        return {}
    env = make_render_environment()
    t = time.perf_counter()
    timeout = DEFAULT_TIMEOUT if convert_timeout is None else DEFAULT_TIMEOUT.at_most(convert_timeout)
    converter = Converter(stage, workers, timeout=timeout, log=log, pool=pool, profiles=profiles)
    bar = Progress("正在生成 Word 文书并转换 PDF", len(jobs), log)
    try:
        # A batch's papers together, so its pieces fill up; the largest batches first, so their conversion starts
        # while the rest renders and no long piece is left for the end with one converter idle.
        size = Counter(job.batch for job in jobs)
        for job in sorted(jobs, key=lambda j: (-size[j.batch], j.batch)):
            blob = render_docx(templates_dir / job.template, job.context, env, meta=document_meta(job))
            stage.write(job.path + ".docx", blob)
            converter.add(job, blob)
            bar.step()
    except BaseException:
        converter.close()
        raise
    bar.done()
    timings["render"] = time.perf_counter() - t
    pages = converter.finish()
    if made_by is not None:
        made_by.update(converter.made_by)
    return pages


class Progress:
    """A one-line progress bar on a terminal; a single line in a log file."""

    def __init__(self, label: str, total: int, log: Callable[[str], None]) -> None:
        self.label, self.total, self.count, self.log = label, total, 0, log
        self.live = sys.stderr.isatty() and log is _default_log
        if total and not self.live:
            log(f"{label}：{total} 份……")

    def step(self) -> None:
        self.count += 1
        if self.live and (self.count == self.total or self.count % 10 == 0):
            filled = 30 * self.count // self.total
            sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {self.count}/{self.total}")
            sys.stderr.flush()

    def done(self) -> None:
        if self.live and self.total:
            sys.stderr.write("\n")


def _default_log(msg: str) -> None:
    print(msg, file=sys.stderr)


def bundle_key(members: Sequence[tuple[str, str]], keys: dict[str, str], duplex: bool) -> str:
    """What a bundle depends on: which papers, in which order, under which titles, and their own keys."""
    return sha256_bytes(repr((duplex, [(title, rel, keys.get(rel)) for title, rel in members])).encode())


def _stale_bundles(plan: Plan, old: Manifest, out_dir: Path, keys: dict[str, str]):
    """The bundles whose member list or any member changed (an applicant withdrew, a row was fixed …)."""
    return [(name, members, duplex) for name, members, duplex in plan.bundles
            if not (old.bundles.get(name) == bundle_key(members, keys, duplex) and old.file_intact(out_dir, name))]


def _unverified_members(bundles, plan: Plan, stale: Sequence[DocJob], old: Manifest, out_dir: Path) -> list[DocJob]:
    """Members a bundle would take from OUT whose bytes are not the ones the manifest recorded: make them anew.

    Size and mtime survive a copy of another campaign's paper (cp -p, rsync -t), so only the content hash
    proves the page is ours; a bundle must never carry someone else's pages.
    """
    fresh = {job.path for job in stale}
    used = {rel for _, members, _ in bundles for _, rel in members} - fresh
    return [job for job in plan.docs
            if job.path in used and not old.file_intact(out_dir, job.path + ".pdf", by_content=True)]


# A bundle is updated in place (pipeline/engine/bundle.py update_bundle) when at most this share of its
# members changed; beyond it a whole merge costs about the same.
UPDATE_SHARE = 0.1


def _bundle(bundles, stage: Staging, out_dir: Path, new: Manifest, keys: dict[str, str], plan: Plan,
            old: Manifest) -> None:
    """Merge the stale bundles from the papers staged now and the verified papers already in OUT; where only a
    few members changed, replace just their pages in the bundle the last build made."""
    from pipeline.engine.bundle import merge_bundle, update_bundle
    from pipeline.engine.pdfa import bundle_info

    public = {job.path for job in plan.docs if job.public}
    wanted = []
    for name, members, duplex in bundles:
        items = []
        for title, rel in members:
            staged = stage.dir / (rel + ".pdf")
            items.append((title, staged if staged.exists() else resolve_inside(out_dir, rel + ".pdf")))
        wanted.append(items)
    readers = _SharedReaders(p for items in wanted for _, p in items)
    for (name, members, duplex), items in zip(bundles, wanted):
        listed = [[title, rel, keys.get(rel, "")] for title, rel in members]
        info = bundle_info(name, plan.title, plan.author)
        pages = None
        before = old.bundle_members.get(name)
        # A bundle for posting (every member a 公示) is always written whole: it must not keep a superseded page
        # inside its file. The archive and the judges' bundle are the office's own.
        posted = all(rel in public for _, rel in members)
        if (before and [m[:2] for m in before] == [m[:2] for m in listed] and not posted
                and old.bundles.get(name) == bundle_key([(t, r) for t, r, _ in before], dict((r, k) for _, r, k in before), duplex)
                and old.file_intact(out_dir, name, by_content=True)):
            changed = [i for i, (was, now) in enumerate(zip(before, listed)) if was[2] != now[2]]
            if changed and len(changed) <= UPDATE_SHARE * len(listed):
                pages = update_bundle(resolve_inside(out_dir, name), items, changed, stage.path(name), info,
                                      duplex=duplex)
        if pages is None:
            merge_bundle(items, stage.path(name), info, duplex=duplex, sources=readers.source, readers=readers.open)
        readers.done(p for _, p in items)
        stage.add(name)
        new.bundles[name] = bundle_key(members, keys, duplex)
        new.bundle_members[name] = listed


class _SharedReaders:
    """Each member PDF read once for all the bundles merged now (the 评分表 are in the judges' bundle and the
    归档, every 公示 in the posted bundle and the 归档), and let go after the last bundle that holds it, so at
    most the members of the bundles still to merge are held."""

    def __init__(self, uses) -> None:
        from pypdf import PdfReader

        from pipeline.engine import rawpdf
        from pipeline.engine.bundle import Once

        self.left = Counter(uses)
        self.source, self.open = Once(rawpdf.Source), Once(PdfReader)

    def done(self, pdfs) -> None:
        for pdf in pdfs:
            self.left[pdf] -= 1
            if self.left[pdf] <= 0:
                self.source.drop(pdf)
                self.open.drop(pdf)


def _obsolete(plan: Plan, old: Manifest) -> list[str]:
    """Outputs of the folders built now that the data no longer produces (an applicant withdrew …)."""
    folders = ({job.path.split("/", 1)[0] for job in plan.docs} | {f.path.split("/", 1)[0] for f in plan.files}
                | plan.retired)
    keep = {j.path + ext for j in plan.docs for ext in (".docx", ".pdf")} | {f.path for f in plan.files}
    keep |= {b[0] for b in plan.bundles}
    return [rel for rel in old.files if rel.split("/", 1)[0] in folders and rel not in keep]
