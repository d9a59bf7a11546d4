"""Data files are parsed once: the plain tree of a file is cached by the hash of its bytes,
and a cached tree reads back as the file does."""

from __future__ import annotations

import pytest

from beautycity.io import parsecache, yamlfile
from beautycity.problems import BeautycityError
from beautycity.resources import default_scheme_path
from beautycity.scheme.load import _load

TEXT = "id: x\ntargets:\n  2027: 25.5\n  2035: .inf\nlist: [1, 'two', null, true]\n"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BEAUTYCITY_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache" / "yaml"


def test_a_cached_tree_is_the_parsed_tree(tmp_path, cache):
    path = tmp_path / "a.yaml"
    path.write_text(TEXT, encoding="utf-8")
    parsed = yamlfile._load_fast(path)
    assert parsed["targets"] == {2027: 25.5, 2035: float("inf")}  # int keys stay ints
    [kept] = cache.iterdir()
    path.write_text("id: changed\n", encoding="utf-8")  # other bytes: another key
    assert yamlfile._load_fast(path) == {"id": "changed"}
    path.write_text(TEXT, encoding="utf-8")
    kept.write_bytes(b"\x00garbage")  # a damaged entry is parsed again, not trusted
    assert yamlfile._load_fast(path) == parsed
    assert len(list(cache.iterdir())) == 2


def test_the_scheme_reads_the_same_from_the_cache(cache):
    content = default_scheme_path().read_bytes()
    first = _load(str(default_scheme_path()), content, None)
    assert any(cache.iterdir())
    assert _load(str(default_scheme_path()), content, None) == first


def test_no_cache_when_turned_off_and_faults_still_located(tmp_path, monkeypatch):
    monkeypatch.setenv("BEAUTYCITY_CACHE", "")
    path = tmp_path / "bad.yaml"
    path.write_text("a: [1, 2\n", encoding="utf-8")
    assert parsecache._cache_file("a: 1") is None
    with pytest.raises(BeautycityError) as caught:
        yamlfile.located(lambda parse: parse(path))
    assert caught.value.problems[0].location.line is not None
