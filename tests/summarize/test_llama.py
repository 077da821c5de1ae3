"""The llama backend (llama.cpp on the model's Q4_K_M GGUF): errors without the extra
or with the wrong model, and a whole demo build through the CLI (``model``).

Its digests are tested with hf's in ``test_hf.py`` (the ``chat`` fixture runs both).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from briefing.cli.main import cli
from briefing.errors import BriefingError, ModelError
from briefing.localmodels.registry import DEFAULT_MODEL, KNOWN_MODELS, is_installed
from briefing.summarize.backends.llamacpp import find_gguf
from briefing.summarize.backends.prefix import common_prefix
from briefing.summarize.registry import available, get_summarizer
from tests.conftest import DEMO


def test_llama_is_a_known_backend_even_without_its_extra() -> None:
    assert "llama" in available()


def test_without_llama_cpp_the_backend_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # import llama_cpp now fails
    with pytest.raises(BriefingError, match=r"pip install 'briefing\[llama\]'.*GGML_NATIVE=OFF"):
        get_summarizer("llama")


def test_a_checkpoint_folder_is_not_a_gguf_model(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelError, match=rf"not a GGUF model: {tmp_path}.*a \.gguf file"):
        find_gguf(str(tmp_path), cache_dir=tmp_path)


def test_a_gguf_file_is_used_where_it_is(tmp_path: Path) -> None:
    gguf = tmp_path / "mine.Q4_K_M.gguf"
    gguf.write_bytes(b"GGUF")
    assert find_gguf(str(gguf), cache_dir=tmp_path / "cache") == gguf
    assert not (tmp_path / "cache").exists()  # nothing copied or converted


@pytest.mark.model
def test_a_demo_build_with_the_llama_backend(tmp_path: Path) -> None:
    if not is_installed(KNOWN_MODELS[DEFAULT_MODEL]):
        pytest.skip(f"model parts not installed: {KNOWN_MODELS[DEFAULT_MODEL].pip_command}")
    pytest.importorskip("llama_cpp", reason="the llama extra is not installed")
    out = tmp_path / "out"
    args = ["build", str(DEMO), "--date", "2022-12-21", "--out", str(out), "--backend", "llama",
            "--max-words", "45", "--format", "json"]  # fmt: skip
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads((out / "2022-12-21.json").read_text())
    events = data["events"]
    assert len(events) == 4
    for event in events:
        assert event["backend"] == "llama", event
        assert event["sentences"], event
        for sentence in event["sentences"]:
            assert sentence["citations"], sentence


def test_threads_follow_omp_num_threads_like_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    from briefing.summarize.backends.llamacpp import default_threads

    monkeypatch.setenv("OMP_NUM_THREADS", "1")  # what Ray gives an actor of one CPU
    assert default_threads() == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "")
    assert default_threads() == len(os.sched_getaffinity(0))


@pytest.fixture(scope="module")
def llama() -> Any:
    if not is_installed(KNOWN_MODELS[DEFAULT_MODEL]):
        pytest.skip(f"model parts not installed: {KNOWN_MODELS[DEFAULT_MODEL].pip_command}")
    pytest.importorskip("llama_cpp", reason="the llama extra is not installed")
    from briefing.summarize.backends.llamacpp import LlamaSummarizer

    return LlamaSummarizer()


@pytest.mark.model
def test_each_sequence_of_a_llama_batch_stops_on_its_own(llama: Any) -> None:
    prompts = ["Answer with one word: is water wet?", "Count from one to forty in words."]
    tokens = [llama._tokens(p, 24) for p in prompts]
    replies, stats = llama._decoder(2).generate(tokens, budget=24, stop=lambda new: False)
    short, long = (llama._decode(r) for r in replies)
    assert len(replies[0]) < 6 and re.search(r"\byes\b", short, re.I), short  # its end of turn
    assert len(replies[1]) == 24 and re.search(r"one.+two.+three", long, re.I | re.S), long
    shared = common_prefix(*tokens)
    assert shared > 10  # the chat header, computed once for both sequences
    assert stats.cached_tokens == shared and stats.batch == 2
    assert stats.new_tokens == len(replies[0]) + len(replies[1])


@pytest.mark.model
def test_a_llama_batch_decodes_the_text_of_one_at_a_time(llama: Any) -> None:
    prompts = ["Name three rivers of Europe.", "Say where Paris is, in one sentence."]
    tokens = [llama._tokens(p, 20) for p in prompts]
    together, _ = llama._decoder(2).generate(tokens, budget=20, stop=lambda new: False)
    alone = [llama._generate([p], max_words=200, budget=20)[0] for p in prompts]
    assert [llama._decode(r) for r in together] == alone
