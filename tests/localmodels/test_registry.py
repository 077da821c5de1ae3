"""The model store with a fake model: part packages in tmp_path, a fake converter."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli.models import models_group
from briefing.errors import ModelError
from briefing.localmodels import integrity, registry

PARTS = (b"GGUF" + b"a" * 1000, b"b" * 700, b"c" * 5)
FAKE_SHA = hashlib.sha256(b"".join(PARTS)).hexdigest()
SIZE = 1709


@pytest.fixture
def fake_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[registry.KnownModel]:
    """Install three fake part packages and register them as the known model ``fake``."""
    site = tmp_path / "site"
    for i, data in enumerate(PARTS, start=1):
        package = site / f"fakepart{i}"
        (package / "data").mkdir(parents=True)
        (package / "data" / f"part{i:02d}.bin").write_bytes(data)
        (package / "__init__.py").write_text(
            "import os\n"
            "def get_part_path():\n"
            f"    return os.path.join(os.path.dirname(__file__), 'data', 'part{i:02d}.bin')\n"
        )
    monkeypatch.syspath_prepend(str(site))
    model = registry.KnownModel(
        name="fake",
        packages=("fakepart1", "fakepart2", "fakepart3"),
        version="0.1",
        sha256=FAKE_SHA,
        size=SIZE,
        description="a fake model",
    )
    monkeypatch.setattr(registry, "KNOWN_MODELS", {"fake": model})
    yield model
    for name in model.modules:
        sys.modules.pop(name, None)


@pytest.fixture
def conversions(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Replace the GGUF conversion with one that writes a tiny config; record its inputs."""
    seen: list[Path] = []

    def convert(gguf: Path, dest: Path, *, progress: object = None) -> None:
        seen.append(gguf)
        (dest / "config.json").write_text(json.dumps({"model_type": "qwen2"}))
        (dest / "copy.bin").write_bytes(gguf.read_bytes())

    monkeypatch.setattr(registry, "convert_gguf", convert)
    return seen


def test_assemble_joins_parts_and_returns_the_sha(tmp_path: Path) -> None:
    parts = []
    for i, data in enumerate(PARTS):
        parts.append(tmp_path / f"p{i}")
        parts[-1].write_bytes(data)
    progress: list[tuple[str, int, int]] = []
    dest = tmp_path / "out.gguf"
    sha = registry.assemble(
        parts, dest, expected_sha256=FAKE_SHA, progress=lambda *a: progress.append(a)
    )
    assert sha == FAKE_SHA
    assert dest.read_bytes() == b"".join(PARTS)
    assert progress[-1] == ("assemble", SIZE, SIZE)


def test_assemble_refuses_a_mismatch_naming_both_hashes(tmp_path: Path) -> None:
    part = tmp_path / "p"
    part.write_bytes(b"tampered")
    dest = tmp_path / "out.gguf"
    with pytest.raises(ModelError) as info:
        registry.assemble([part], dest, expected_sha256=FAKE_SHA)
    assert FAKE_SHA in str(info.value)
    assert hashlib.sha256(b"tampered").hexdigest() in str(info.value)
    assert not dest.exists()


def test_prepare_builds_a_marked_checkpoint_and_drops_the_gguf(
    tmp_path: Path, fake_model: registry.KnownModel, conversions: list[Path]
) -> None:
    cache = tmp_path / "cache"
    path = registry.prepare_model("fake", cache_dir=cache)
    assert path == cache / "models" / "fake"
    assert registry.is_prepared(path)
    assert (path / "copy.bin").read_bytes() == b"".join(PARTS)
    assert json.loads((path / registry.MARKER).read_text()) == {"source_sha256": FAKE_SHA}
    assert list((cache / "gguf").iterdir()) == []
    assert registry.prepare_model("fake", cache_dir=cache) == path
    assert len(conversions) == 1  # prepared once


def test_prepare_can_keep_the_gguf(
    tmp_path: Path, fake_model: registry.KnownModel, conversions: list[Path]
) -> None:
    registry.prepare_model("fake", cache_dir=tmp_path, keep_gguf=True)
    assert (tmp_path / "gguf" / "fake.gguf").read_bytes() == b"".join(PARTS)


def test_gguf_path_assembles_once_and_prepare_leaves_it_for_the_llama_backend(
    tmp_path: Path,
    fake_model: registry.KnownModel,
    conversions: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gguf = registry.gguf_path("fake", cache_dir=tmp_path)
    assert gguf == tmp_path / "gguf" / "fake.gguf"
    assert gguf.read_bytes() == b"".join(PARTS)
    assembled: list[object] = []
    monkeypatch.setattr(registry, "assemble", lambda *a, **k: assembled.append(a))
    assert registry.gguf_path("fake", cache_dir=tmp_path) == gguf
    assert assembled == []  # the cached file is used as it is
    registry.prepare_model("fake", cache_dir=tmp_path)
    assert gguf.is_file()  # it was there before: not prepare's to delete


def test_gguf_path_refuses_corrupt_parts_and_leaves_nothing(
    tmp_path: Path, fake_model: registry.KnownModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = "0" * 64
    monkeypatch.setitem(registry.KNOWN_MODELS, "fake", _replace(fake_model, sha256=wrong))
    with pytest.raises(ModelError, match=f"sha256 {FAKE_SHA}, expected {wrong}"):
        registry.gguf_path("fake", cache_dir=tmp_path)
    assert list((tmp_path / "gguf").iterdir()) == []


def test_prepare_refuses_corrupt_parts(
    tmp_path: Path,
    fake_model: registry.KnownModel,
    conversions: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wrong = "0" * 64
    monkeypatch.setitem(registry.KNOWN_MODELS, "fake", _replace(fake_model, sha256=wrong))
    with pytest.raises(ModelError, match=f"sha256 {FAKE_SHA}, expected {wrong}"):
        registry.prepare_model("fake", cache_dir=tmp_path)
    assert conversions == []
    assert not (tmp_path / "models" / "fake").exists()
    assert list((tmp_path / "gguf").iterdir()) == []


def test_failed_conversion_leaves_no_checkpoint(
    tmp_path: Path, fake_model: registry.KnownModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    def convert_then_fail(gguf: Path, dest: Path, *, progress: object = None) -> None:
        (dest / "config.json").write_text("{}")  # looks like a checkpoint ...
        raise KeyboardInterrupt  # ... when the user interrupts the conversion

    monkeypatch.setattr(registry, "convert_gguf", convert_then_fail)
    with pytest.raises(KeyboardInterrupt):
        registry.prepare_model("fake", cache_dir=tmp_path)
    assert not (tmp_path / "models" / "fake").exists()
    assert list((tmp_path / "models").iterdir()) == []  # no temporary folder left either
    assert list((tmp_path / "gguf").iterdir()) == []


def test_resolve_model_accepts_a_checkpoint_folder(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    assert registry.resolve_model(str(tmp_path), cache_dir=tmp_path / "c") == tmp_path


@pytest.mark.parametrize("name", ["nonexistent", "empty-folder", "notes.txt"])
def test_resolve_model_rejects_what_is_not_a_model(tmp_path: Path, name: str) -> None:
    (tmp_path / "empty-folder").mkdir()
    (tmp_path / "notes.txt").write_text("hello")
    target = tmp_path / name
    with pytest.raises(ModelError) as info:
        registry.resolve_model(str(target), cache_dir=tmp_path / "cache")
    assert str(info.value).startswith(f"not a model: {target}; expected a known model name (")
    assert str(info.value).endswith(
        "a Hugging Face checkpoint folder (config.json) or a .gguf file"
    )


def test_resolve_model_rejects_a_gguf_without_the_magic(tmp_path: Path) -> None:
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"not really")
    with pytest.raises(ModelError, match="not a GGUF file"):
        registry.resolve_model(str(fake), cache_dir=tmp_path / "cache")


def test_resolve_model_converts_a_gguf_file_once_keyed_by_sha(
    tmp_path: Path, conversions: list[Path]
) -> None:
    gguf = tmp_path / "mine.gguf"
    gguf.write_bytes(b"".join(PARTS))
    first = registry.resolve_model(str(gguf), cache_dir=tmp_path / "cache")
    again = registry.resolve_model(gguf, cache_dir=tmp_path / "cache")
    assert first == again == tmp_path / "cache" / "models" / f"gguf-{FAKE_SHA[:16]}"
    assert conversions == [gguf]


def test_resolve_model_prepares_a_known_name(
    tmp_path: Path, fake_model: registry.KnownModel, conversions: list[Path]
) -> None:
    assert registry.resolve_model("fake", cache_dir=tmp_path) == tmp_path / "models" / "fake"


def test_missing_parts_name_the_pip_command(tmp_path: Path, monkeypatch) -> None:
    model = registry.KnownModel("gone", ("nopkg-part1", "nopkg-part2"), "1.0", "0" * 64, 1, "")
    monkeypatch.setattr(registry, "KNOWN_MODELS", {"gone": model})
    with pytest.raises(ModelError, match=r"pip install nopkg-part\{1\.\.2\}==1\.0"):
        registry.prepare_model("gone", cache_dir=tmp_path)
    [info] = registry.list_models(cache_dir=tmp_path)
    assert (info.installed, info.prepared, info.path) == (False, False, None)


def test_list_models_reports_prepared_size_and_path(
    tmp_path: Path, fake_model: registry.KnownModel, conversions: list[Path]
) -> None:
    [before] = registry.list_models(cache_dir=tmp_path)
    assert (before.installed, before.prepared, before.size) == (True, False, SIZE)
    path = registry.prepare_model("fake", cache_dir=tmp_path)
    [after] = registry.list_models(cache_dir=tmp_path)
    assert (after.prepared, after.path) == (True, path)
    assert after.size == sum(p.stat().st_size for p in path.iterdir())


def test_verify_rehashes_the_parts(
    tmp_path: Path, fake_model: registry.KnownModel, conversions: list[Path]
) -> None:
    result = integrity.verify_model("fake", cache_dir=tmp_path)
    assert (result.ok, result.sha256, result.checkpoint) == (True, FAKE_SHA, None)
    part = Path(__import__("fakepart2").get_part_path())
    part.write_bytes(b"changed")
    result = integrity.verify_model("fake", cache_dir=tmp_path)
    assert not result.ok
    assert "expected " + FAKE_SHA in result.problems[0]


def test_default_cache_dir_reads_the_environment(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path))
    assert registry.default_cache_dir() == tmp_path
    monkeypatch.delenv("BRIEFING_CACHE_DIR")
    assert registry.default_cache_dir() == Path.home() / ".cache" / "briefing"


def test_cli_list_and_verify(
    tmp_path: Path, fake_model: registry.KnownModel, conversions: list[Path]
) -> None:
    runner = CliRunner()
    args = ["--cache-dir", str(tmp_path)]
    result = runner.invoke(models_group, ["list", *args], catch_exceptions=False)
    assert (result.exit_code, result.output) == (
        0,
        "fake: installed, not prepared yet (2 kB GGUF)\n",
    )
    result = runner.invoke(models_group, ["prepare", "fake", *args], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output.startswith(f"fake: ready in {tmp_path / 'models' / 'fake'} (")
    result = runner.invoke(models_group, ["verify", "fake", *args], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output.startswith(f"fake: OK, sha256 {FAKE_SHA}, checkpoint ")


def test_cli_shows_errors_as_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        models_group, ["prepare", str(tmp_path / "nothing"), "--cache-dir", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: not a model: {tmp_path / 'nothing'};")


def test_the_default_models_parts_match_the_pinned_sha() -> None:
    model = registry.KNOWN_MODELS[registry.DEFAULT_MODEL]
    if not registry.is_installed(model):
        pytest.skip(f"{model.name} is not installed: {model.pip_command}")
    result = integrity.verify_model(model.name, cache_dir=Path("/nonexistent"))
    assert result.sha256 == model.sha256


def _replace(model: registry.KnownModel, **changes: object) -> registry.KnownModel:
    import dataclasses

    return dataclasses.replace(model, **changes)
