"""Excel 97-2003 (.xls) and WPS (.et) workbooks: read through a private copy converted to .xlsx by LibreOffice.

Both are OLE2 compound documents holding a BIFF8 workbook (the WPS 表格 .et format is the same container),
so LibreOffice's "MS Excel 97" import reads them. The clerk's file is never handed to LibreOffice: its bytes
(already read once) are copied into a temporary folder of our own, together with LibreOffice's profile
and its scratch files (TMPDIR), and that folder is removed whatever happens.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from pipeline.engine.convert import DEFAULT_TIMEOUT, run_soffice
from pipeline.errors import ConversionError

SUFFIXES = (".xlsx", ".xls", ".et")  # what a clerk may hand in, .xlsx first
CONVERTED = (".xls", ".et")
# The first bytes of an OLE2 compound document: .xls, .et, and an .xlsx protected by an opening password.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
# Force the BIFF importer: without it LibreOffice would read a text file as CSV and "succeed".
XLS_FILTER = "MS Excel 97"
XLSX_FILTER = "xlsx:Calc Office Open XML"
SAVE_AS_XLSX = "请用 Excel 或 WPS 打开它，去掉打开密码，点“文件→另存为”，保存类型选“Excel 工作簿（*.xlsx）”，再把新文件放进 campaign 文件夹"


# A copy's folder is named after the process that made it: pipeline-xls-<pid>-<random>.
COPY_PREFIX = "pipeline-xls-"


def sweep_stale_copies(temp: Path | None = None) -> list[Path]:
    """Remove the copies a killed run left behind (its process is gone); return what was removed.

    A copy holds the clerk's 报名信息 (ID numbers, addresses): a kill -9, a closed terminal or a CI timeout
    during the conversion skips `finally`, so every run that reads a workbook sweeps what the dead left.
    """
    removed = []
    for folder in Path(temp or tempfile.gettempdir()).glob(f"{COPY_PREFIX}*-*"):
        pid = folder.name.removeprefix(COPY_PREFIX).split("-", 1)[0]
        if pid.isdigit() and folder.is_dir() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive, and not ours to sweep
        return True
    return True


class NotConverted(Exception):
    """LibreOffice gave no .xlsx; the message (Chinese) says why and what to do."""


def to_xlsx(data: bytes, name: str, timeout: float | None = None) -> bytes:
    """The .xlsx bytes of an .xls/.et workbook given as bytes; name is the clerk's file, for messages.

    timeout: seconds LibreOffice may take; by default the engine's scale for the file's size.
    """
    sweep_stale_copies()
    folder = Path(tempfile.mkdtemp(prefix=f"{COPY_PREFIX}{os.getpid()}-"))
    try:
        source = folder / "workbook.xls"
        source.write_bytes(data)
        # Converting a workbook is far less work than laying out a document: the engine's scale is generous.
        timeout = DEFAULT_TIMEOUT.for_weight(len(data)) if timeout is None else timeout
        code = _convert(source, folder, timeout, name)
        result = folder / "out" / "workbook.xlsx"
        if code is None:
            raise NotConverted(f"LibreOffice 在 {timeout:g} 秒内没有读完 {name}（文件可能已损坏或设置了打开密码）；{SAVE_AS_XLSX}")
        if not result.is_file():
            raise NotConverted(f"LibreOffice 未能读取 {name}（文件可能设置了打开密码、已损坏，或不是 Excel/WPS 表格）；{SAVE_AS_XLSX}")
        return result.read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _convert(source: Path, folder: Path, timeout: float, name: str) -> int | None:
    profile = folder / "profile"
    command = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nologo",
               "--nodefault", "--nolockcheck", f"--infilter={XLS_FILTER}", "--convert-to", XLSX_FILTER,
               "--outdir", str(folder / "out"), str(source)]
    try:
        return run_soffice(command, {**os.environ, "TMPDIR": str(folder)}, timeout)
    except ConversionError:
        raise NotConverted(f"读取 {name} 需要 LibreOffice，本机没有找到；请先运行 make sysdeps 安装，"
                           f"或者{SAVE_AS_XLSX.removeprefix('请')}") from None
