"""The vectorised MinHash and banding of dedup give datasketch's own values and candidates."""

import random

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from briefing.events import dedup
from briefing.events.dedup import _candidate_pairs, shingles, signatures
from briefing.text import joined_words, words
from tests.conftest import DEMO

TEXTS = [
    "",
    "Short.",
    "one two three four five",
    "one two three four five six",
    "Ünïcode Straße ΣΊΣΥΦΟΣ café naïve: the end of it all, here and now, ﬁne.",
    "İSTANBUL ŉ ǅ Ⅻ ½ 45,000 1.5 don’t ΌΣΟΣ ﬃ ᾼ a b c d e f g h i j",
    *(p.read_text(encoding="utf-8") for p in sorted(DEMO.glob("*.txt"))),
]


def datasketch_minhash(text: str) -> MinHash:
    m = MinHash(num_perm=128, seed=1)
    for sh in sorted(shingles(text)):
        m.update(sh.encode("utf-8"))
    return m


@pytest.mark.parametrize("batch", [1 << 15, 7])
def test_signatures_equal_datasketch_minhash(monkeypatch, batch):
    monkeypatch.setattr(dedup, "_BATCH_SHINGLES", batch)  # 7: many flushes mid-corpus

    sigs = signatures(TEXTS)

    assert sigs.shape == (len(TEXTS), 128)
    for text, row in zip(TEXTS, sigs, strict=True):
        assert np.array_equal(datasketch_minhash(text).hashvalues, row)


def test_worker_processes_give_the_same_signatures_in_order(monkeypatch):
    monkeypatch.setattr(dedup, "_CHUNK", 3)  # 13 texts: five chunks over two processes
    texts = [*TEXTS, *(t.upper() + " coda" for t in TEXTS[6:])]

    assert dedup.default_workers(len(texts)) == 1  # few texts: one process by default
    parallel = signatures(texts, workers=2)

    assert np.array_equal(parallel, signatures(texts, workers=1))
    assert not np.array_equal(parallel[:6], parallel[6:12])  # rows stay with their texts


@pytest.mark.parametrize("text", TEXTS)
def test_joined_words_are_the_words_joined(text):
    assert joined_words(text) == " ".join(words(text))


def test_candidates_equal_datasketch_lsh_queries():
    rng = random.Random(0)
    texts = []
    for t in TEXTS[6:]:
        tokens = t.split()
        texts.append(t)
        for edits in (1, 5, 40):  # near copies, looser copies, barely related
            copy = list(tokens)
            for _ in range(edits):
                copy[rng.randrange(len(copy))] = "zzz"
            texts.append(" ".join(copy))
    sigs = signatures(texts)
    lsh = MinHashLSH(threshold=0.6, num_perm=128)
    expected = set()
    for i, text in enumerate(texts):
        m = datasketch_minhash(text)
        expected |= {(j, i) for j in lsh.query(m)}
        lsh.insert(i, m)

    assert _candidate_pairs(sigs, 0.6) == expected
    assert len(expected) > len(TEXTS[6:])  # the near copies are found
