"""Map the Windows font names in the templates to free CJK fonts, unless fonts/ provides the real ones."""
from __future__ import annotations

import hashlib
import os
import threading
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

FONTS_DIR = Path(__file__).resolve().parents[2] / "fonts"
SYSTEM_CONF = Path("/etc/fonts/fonts.conf")
CACHE_DIR = Path(tempfile.gettempdir()) / "pipeline-fontconfig"

# Windows family → (free family, forced weight). GB/T 9704-2012 7.2/7.3 names the type styles:
# title 小标宋, body 仿宋, headings 黑体 and 楷体. Substitutes chosen by eye (docs/reference.md, 字体).
SUBSTITUTES: dict[str, tuple[str, str | None]] = {
    "方正小标宋简体": ("Noto Serif CJK SC", "bold"),
    "方正小标宋_GBK": ("Noto Serif CJK SC", "bold"),
    "仿宋_GB2312": ("Noto Serif CJK SC", None),
    "仿宋": ("Noto Serif CJK SC", None),
    "FangSong": ("Noto Serif CJK SC", None),
    "宋体": ("Noto Serif CJK SC", None),
    "SimSun": ("Noto Serif CJK SC", None),
    "黑体": ("Noto Sans CJK SC", None),
    "SimHei": ("Noto Sans CJK SC", None),
    "楷体_GB2312": ("AR PL KaitiM GB", None),
    "楷体": ("AR PL KaitiM GB", None),
    "KaiTi": ("AR PL KaitiM GB", None),
}


# Fonts for the characters the substitutes lack (names such as 罗䶮𪚥), tried in this order right after
# the font a run asks for. Debian 12 packages: fonts-babelstone-han covers CJK Extensions A–G
# (U+4DAE, U+2A6A5, U+2B740, U+2CEB0, U+30EDD measured), fonts-hanazono covers A, B, D, F.
FALLBACKS = ("BabelStone Han", "HanaMinA", "HanaMinB")


def fold(family: str) -> str:
    """Normalise a family name the way fontconfig compares them (case and spaces ignored)."""
    return "".join(family.split()).casefold()


def _scan(fonts_dir: Path) -> list[list[str]]:
    """Every family name (localised ones too) of each font file in fonts_dir, as fc-scan reads them."""
    files = [p for p in sorted(fonts_dir.rglob("*")) if p.suffix.lower() in {".ttf", ".otf", ".ttc", ".otc"}]
    if not files:
        return []
    out = subprocess.run(["fc-scan", "--format", "%{family}\n", *map(str, files)],
                         capture_output=True, text=True, check=False).stdout
    return [[name.strip() for name in line.split(",") if name.strip()] for line in out.splitlines()]


def dropin_families(fonts_dir: Path) -> set[str]:
    """Return the folded family names (every localised name) of the font files in fonts_dir."""
    return {fold(name) for names in _scan(fonts_dir) for name in names}


def fallback_families(fonts_dir: Path) -> list[str]:
    """The fonts/ drop-ins first (an office's own font wins for a rare character too), then FALLBACKS."""
    dropins = [names[0] for names in _scan(fonts_dir)] if fonts_dir.is_dir() else []
    return list(dict.fromkeys(dropins + list(FALLBACKS)))


def _match(windows: str, free: str, weight: str | None) -> str:
    """One <match> per name: an <alias> listing several names half-fails on fontconfig 2.14 (docs/reference.md, 字体)."""
    edits = f'    <edit name="family" mode="assign" binding="strong"><string>{escape(free)}</string></edit>\n'
    if weight:
        edits += f'    <edit name="weight" mode="assign" binding="strong"><const>{weight}</const></edit>\n'
    return (f'  <match target="pattern">\n'
            f'    <test qual="any" name="family"><string>{escape(windows)}</string></test>\n'
            f"{edits}  </match>\n")


def _fallback_match(family: str, fallbacks: list[str]) -> str:
    """Put the fallback fonts right after family, so a character it lacks is drawn from them, in order."""
    edits = "".join(f"<string>{escape(name)}</string>" for name in fallbacks)
    return (f'  <match target="pattern">\n'
            f'    <test qual="any" name="family"><string>{escape(family)}</string></test>\n'
            f'    <edit name="family" mode="append" binding="strong">{edits}</edit>\n'
            f"  </match>\n")


def fontconfig_xml(fonts_dir: Path, provided: set[str], fallbacks: list[str] | None = None) -> str:
    """Build a fonts.conf: the system config, the drop-in folder, a substitute for each name it lacks,
    and the fallback fonts after every name and substitute."""
    matches = "".join(_match(name, free, weight) for name, (free, weight) in SUBSTITUTES.items()
                      if fold(name) not in provided)
    families = list(dict.fromkeys(list(SUBSTITUTES) + [free for free, _ in SUBSTITUTES.values()]))
    matches += "".join(_fallback_match(family, fallbacks) for family in families) if fallbacks else ""
    return ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
            f'  <include ignore_missing="yes">{escape(str(SYSTEM_CONF))}</include>\n'
            f"  <dir>{escape(str(fonts_dir.resolve()))}</dir>\n"
            f"{matches}</fontconfig>\n")


def write_fontconfig(fonts_dir: Path = FONTS_DIR, cache_dir: Path = CACHE_DIR) -> Path:
    """Write the generated fonts.conf into a cache folder keyed by its content and return its path."""
    text = fontconfig_xml(fonts_dir, dropin_families(fonts_dir) if fonts_dir.is_dir() else set(),
                          fallback_families(fonts_dir))
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    path = cache_dir / digest / "fonts.conf"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return path


def fontconfig_env(fonts_dir: Path = FONTS_DIR, cache_dir: Path = CACHE_DIR) -> dict[str, str]:
    """Return the environment variables that make soffice use the mapping."""
    return {"FONTCONFIG_FILE": str(write_fontconfig(fonts_dir, cache_dir))}


def font_report(fonts_dir: Path = FONTS_DIR) -> list[str]:
    """Say, per Windows font name, whether fonts/ provides it or which free font prints in its place."""
    provided = dropin_families(fonts_dir) if fonts_dir.is_dir() else set()
    return [f"{name}：使用 fonts/ 中的字体" if fold(name) in provided
            else f"{name}：fonts/ 中没有，以 {free}{'（粗体）' if weight else ' '}代替"
            for name, (free, weight) in SUBSTITUTES.items()]
