"""The generated fontconfig file: one match per Windows name, checked with fontconfig's own fc-match."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from pipeline.engine.fonts import (FALLBACKS, SUBSTITUTES, dropin_families, fold, font_report, fontconfig_env,
                            fontconfig_xml, write_fontconfig)

KAI_FILE = Path("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf")
HANAMIN_B = Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf")


def matched_names(conf_text: str) -> list[str]:
    """Return the family names that the conf's substituting <match> elements (mode assign) test for."""
    root = etree.fromstring(conf_text.encode())
    return [m.findtext("test/string") for m in root.iter("match") if m.find("edit").get("mode") == "assign"]


def sorted_families(conf: Path, pattern: str) -> list[str]:
    """The families fontconfig tries for pattern, best first (fc-match -s), each once."""
    names = fc(conf, "fc-match", "-s", "--format", "%{family[0]}\n", pattern).splitlines()
    return list(dict.fromkeys(names))


def fc(conf: Path, *args: str) -> str:
    """Run an fc-* tool under the given config."""
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    return subprocess.run(list(args), capture_output=True, text=True, env=env, check=True).stdout


@pytest.mark.parametrize(("windows", "postscript"), [
    ("方正小标宋简体", "NotoSerifCJKsc-Bold"),  # GB/T 9704-2012 7.3.1 title style: bold serif
    ("仿宋_GB2312", "NotoSerifCJKsc-Regular"),
    ("仿宋", "NotoSerifCJKsc-Regular"),
    ("宋体", "NotoSerifCJKsc-Regular"),
    ("黑体", "NotoSansCJKsc-Regular"),
    ("楷体_GB2312", "GBZenKai-Medium"),  # AR PL KaitiM GB
    ("楷体", "GBZenKai-Medium"),
])
def test_each_windows_name_resolves_to_its_substitute(tmp_path, windows, postscript):
    conf = write_fontconfig(tmp_path, tmp_path / "cache")  # an empty drop-in folder
    assert fc(conf, "fc-match", "--format", "%{postscriptname}", windows) == postscript


def test_one_match_per_name_and_system_config_included(tmp_path):
    text = fontconfig_xml(tmp_path, set())
    assert matched_names(text) == list(SUBSTITUTES)
    root = etree.fromstring(text.encode())
    assert root.findtext("include") == "/etc/fonts/fonts.conf"
    assert root.findtext("dir") == str(tmp_path.resolve())


def test_a_family_the_dropin_folder_provides_is_not_substituted(tmp_path):
    shutil.copy(KAI_FILE, tmp_path / "kai.ttf")
    provided = dropin_families(tmp_path)
    assert {fold("AR PL KaitiM GB"), fold("文鼎ＰＬ简中楷")} <= provided  # every localised name, via fc-scan
    # An office's licensed 楷体_GB2312 file reports that family name; pretend ours does.
    text = fontconfig_xml(tmp_path, provided | {fold("楷体_GB2312")})
    names = matched_names(text)
    assert "楷体_GB2312" not in names
    assert "楷体" in names and len(names) == len(SUBSTITUTES) - 1


def test_dropin_folder_is_scanned_by_fontconfig(tmp_path):
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy(KAI_FILE, fonts / "kai.ttf")
    conf = write_fontconfig(fonts, tmp_path / "cache")
    files = fc(conf, "fc-list", "--format", "%{file}\n", "AR PL KaitiM GB").split()
    assert str(fonts.resolve() / "kai.ttf") in files


def test_conf_path_is_keyed_by_content(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    cache = tmp_path / "cache"
    first = fontconfig_env(tmp_path / "a", cache)["FONTCONFIG_FILE"]
    assert fontconfig_env(tmp_path / "a", cache)["FONTCONFIG_FILE"] == first
    assert fontconfig_env(tmp_path / "b", cache)["FONTCONFIG_FILE"] != first  # another <dir>, another file
    assert len(list(cache.iterdir())) == 2


def test_font_report_tells_the_clerk_what_prints(tmp_path):
    report = font_report(tmp_path)
    assert report[0] == "方正小标宋简体：fonts/ 中没有，以 Noto Serif CJK SC（粗体）代替"
    assert "楷体_GB2312：fonts/ 中没有，以 AR PL KaitiM GB 代替" in report
    assert len(report) == len(SUBSTITUTES)


@pytest.mark.parametrize(("windows", "free"), [("仿宋_GB2312", "Noto Serif CJK SC"), ("方正小标宋简体", "Noto Serif CJK SC"),
                                              ("黑体", "Noto Sans CJK SC"), ("楷体_GB2312", "AR PL KaitiM GB")])
def test_rare_character_fonts_come_right_after_the_substitute(tmp_path, windows, free):
    """A character the substitute lacks (U+2A6A5, CJK Extension B) is looked up in BabelStone Han first."""
    conf = write_fontconfig(tmp_path, tmp_path / "cache")
    assert sorted_families(conf, windows)[:4] == [free, *FALLBACKS]


def test_a_dropin_font_wins_for_rare_characters_too(tmp_path):
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "HanaMinB.ttf").symlink_to(HANAMIN_B)  # stands in for an office's own font covering Extension B
    conf = write_fontconfig(fonts, tmp_path / "cache")
    assert sorted_families(conf, "仿宋_GB2312")[:3] == ["Noto Serif CJK SC", "HanaMinB", "BabelStone Han"]
