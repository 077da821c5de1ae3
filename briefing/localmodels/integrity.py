"""Checking a known model: re-hash its parts, and see that its checkpoint loads.

``briefing models verify`` runs this; ``localmodels.registry`` prepares, this module only reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError
from .registry import MARKER, assemble, checkpoint_dir, get_known_model, is_prepared, part_paths


@dataclass(frozen=True, slots=True)
class Verification:
    """What ``verify_model`` found: the parts' sha256 and any problems."""

    name: str
    sha256: str | None
    checkpoint: Path | None
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Return whether no problem was found."""
        return not self.problems


def _check_checkpoint(path: Path, sha256: str) -> list[str]:
    problems = []
    marker = json.loads((path / MARKER).read_text())
    if marker.get("source_sha256") != sha256:
        problems.append(f"{path} was built from a different GGUF ({marker.get('source_sha256')})")
    try:
        from safetensors import safe_open
        from transformers import AutoConfig

        AutoConfig.from_pretrained(str(path))
        for weights in sorted(path.glob("*.safetensors")):
            with safe_open(str(weights), framework="pt") as f:
                f.keys()
    except Exception as e:  # noqa: BLE001 - any failure is a problem to report
        problems.append(f"{path} does not load: {e}")
    return problems


def verify_model(name: str, *, cache_dir: Path) -> Verification:
    """Re-hash a known model's parts and check that its prepared checkpoint loads."""
    model = get_known_model(name)
    final = checkpoint_dir(name, cache_dir)
    checkpoint = final if is_prepared(final) else None
    try:
        sha256: str | None = assemble(part_paths(model), None, expected_sha256=model.sha256)
        problems: list[str] = []
    except ModelError as e:
        sha256, problems = None, [str(e)]
    if checkpoint is not None:
        problems += _check_checkpoint(checkpoint, model.sha256)
    return Verification(name=name, sha256=sha256, checkpoint=checkpoint, problems=tuple(problems))
