"""safe_paths: data never adds a folder level, and no relative path leaves its folder."""
from __future__ import annotations

import os

import pytest

from pipeline.engine.safe_paths import UnsafePath, check_relative, component, resolve_inside, unsafe_characters


@pytest.mark.parametrize("text, expected", [
    ("../../../../../逃逸/邵明哲", "_.._.._.._.._逃逸_邵明哲"),  # separators gone: one component, no climbing
    ("韩立川/子目录", "韩立川_子目录"),
    ("..", "_"),
    (".hidden", "hidden"),  # never a dot-file that `rm -rf OUT/*` would skip
    ("a\\b:c*?", "a_b_c__"),
    ("李\x00明\n", "李_明_"),
    ("", "_"),
])
def test_component_is_one_harmless_name(text, expected):
    assert component(text) == expected
    assert "/" not in component(text) and not component(text).startswith(".")


def test_component_is_bounded():
    assert len(component("张" * 500)) == 120


def test_unsafe_characters_lists_each_once_in_order():
    assert unsafe_characters("a/b/c\\d\u200b") == ["/", "\\", "\u200b"]  # U+200B is a format character (Cf)


@pytest.mark.parametrize("rel", ["../x", "/etc/passwd", "a/../../b", "a\\b", "a//b", "./a", "a/\x00b", ""])
def test_check_relative_refuses(rel):
    with pytest.raises(UnsafePath):
        check_relative(rel)


def test_resolve_inside_accepts_ordinary_paths(tmp_path):
    assert resolve_inside(tmp_path, "03-报名登记表/报名登记表-001-李明.pdf") == tmp_path.resolve() / "03-报名登记表/报名登记表-001-李明.pdf"


def test_resolve_inside_refuses_a_link_that_points_outside(tmp_path):
    root, outside = tmp_path / "out", tmp_path / "elsewhere"
    root.mkdir()
    outside.mkdir()
    os.symlink(outside, root / "link")
    with pytest.raises(UnsafePath):
        resolve_inside(root, "link/报名登记表.pdf")
