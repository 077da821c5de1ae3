"""``--executor ray`` against a real local Ray cluster, and ``--device``.

The cluster is a real ``ray start --head --block`` on 127.0.0.1 with two CPUs (so two
worker actors), in its own process group, stopped by the fixture's finalizer.
Select these tests with ``-m ray``; the extractive backend keeps them quick.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from briefing.cli.config import load_config
from briefing.cli.main import cli
from briefing.errors import BriefingError, ConfigError
from briefing.events.cluster import group_events
from briefing.ingest.readers import ingest
from briefing.localmodels.device import check_device, cuda_count, resolve_device
from briefing.summarize.executors import (
    BackendSpec,
    DigestJob,
    LocalExecutor,
    cache_options,
    with_device,
)
from tests.conftest import DEMO, ROOT

RAY = Path(sys.executable).parent / "ray"
NO_GPU = pytest.mark.skipif(cuda_count() > 0, reason="this machine has a CUDA GPU")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def ray_address() -> Iterator[str]:
    """Start a two-CPU Ray head on 127.0.0.1; yield its address; stop its process group."""
    if not RAY.exists():
        pytest.skip("ray is not installed: pip install 'briefing[ray]'")
    port = free_port()
    temp = tempfile.mkdtemp(prefix="bray", dir="/tmp")  # Ray's socket paths must stay short
    # No token authentication on either side: a ~/.ray/auth_token left on this machine
    # would turn it on for the head only.
    mode = os.environ.get("RAY_AUTH_MODE")
    os.environ["RAY_AUTH_MODE"] = "disabled"
    env = dict(os.environ, RAY_USAGE_STATS_ENABLED="0",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    log = open(Path(temp) / "head.log", "w+")  # noqa: SIM115 - closed in the finalizer
    head = subprocess.Popen(
        [str(RAY), "start", "--head", "--block", "--node-ip-address", "127.0.0.1",
         "--port", str(port), "--num-cpus", "2", "--disable-usage-stats",
         "--include-dashboard=false", "--temp-dir", temp],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while "Ray runtime started" not in Path(log.name).read_text():
            if head.poll() is not None or time.monotonic() > deadline:
                pytest.fail("ray start failed:\n" + Path(log.name).read_text()[-3000:])
            time.sleep(0.5)
        yield f"127.0.0.1:{port}"
    finally:
        for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 30)):  # Ray drains for 30 s
            try:
                os.killpg(head.pid, sig)
                head.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
            except ProcessLookupError:
                break
        try:
            os.killpg(head.pid, signal.SIGKILL)  # the group's remaining raylet/gcs processes
        except ProcessLookupError:
            pass
        log.close()
        shutil.rmtree(temp, ignore_errors=True)
        if mode is None:
            os.environ.pop("RAY_AUTH_MODE", None)
        else:
            os.environ["RAY_AUTH_MODE"] = mode


def build(out: Path, *args: str, env: dict[str, str] | None = None) -> object:
    argv = ["build", str(DEMO), "--date", "2022-12-21", "--backend", "extractive",
            "--out", str(out), "--db", str(out.with_suffix(".db")), "--format", "json,md", *args]
    return CliRunner().invoke(cli, argv, env=env)


def briefing_json(out: Path) -> dict:
    doc = json.loads((out / "2022-12-21.json").read_text())
    doc.pop("generated_at", None)
    return doc


@pytest.mark.ray
def test_ray_executor_writes_the_same_briefing_as_the_local_one(
    ray_address: str, tmp_path: Path
) -> None:
    local = build(tmp_path / "local", env={"BRIEFING_DEVICE": "auto"})
    assert local.exit_code == 0, local.output
    ray = build(tmp_path / "ray", "--executor", "ray", "--ray-address", ray_address,
                "--workers", "2", "--device", "auto")
    assert ray.exit_code == 0, ray.output
    assert "4 events" in ray.output
    expected, got = briefing_json(tmp_path / "local"), briefing_json(tmp_path / "ray")
    assert len(got["events"]) == 4 and all(e["sentences"] for e in got["events"])
    assert got == expected  # events, headlines, sentences, citations, evidence


@pytest.mark.ray
def test_digests_and_embeddings_are_computed_in_the_workers(ray_address: str) -> None:
    from briefing.events.embed import ARTICLE_TOKENS, embedding_text
    from briefing.summarize.ray_executor import RayExecutor

    articles = list(ingest([DEMO]).articles)
    texts = [embedding_text(a) for a in articles]  # cut as a build embeds them
    local = LocalExecutor(BackendSpec("extractive"))
    vectors = local.embedder().encode(texts, max_tokens=ARTICLE_TOKENS)
    jobs = [DigestJob(f"k{n}", e, 60) for n, e in enumerate(group_events(articles, vectors))]
    executor = RayExecutor(BackendSpec("extractive"), address=ray_address, workers=2,
                           device="auto")
    try:
        assert executor.device == "cpu" and executor.backend == BackendSpec("extractive")
        remote = executor.embedder().encode(texts, max_tokens=ARTICLE_TOKENS)
        assert remote.shape == vectors.shape
        assert np.allclose(remote, vectors, atol=1e-5)
        done = {job.key: summary for job, summary, _ in executor.summarize(jobs)}
        update = executor.update(articles[:1])
    finally:
        executor.close()
    assert len(jobs) == 4 and done == {j.key: s for j, s, _ in local.summarize(jobs)}
    assert update == local.update(articles[:1])
    assert len(executor.pids) == 2 and os.getpid() not in executor.pids  # both workers


@pytest.mark.ray
@NO_GPU
def test_ray_device_cuda_without_a_gpu_in_the_cluster_is_an_error(
    ray_address: str, tmp_path: Path
) -> None:
    result = build(tmp_path / "out", "--executor", "ray", "--ray-address", ray_address,
                   "--device", "cuda")
    assert result.exit_code == 1
    assert "--device cuda: the Ray cluster has no GPU" in result.output


def test_an_unreachable_ray_address_is_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("ray")
    address = f"127.0.0.1:{free_port()}"  # nothing listens there
    result = build(tmp_path / "out", "--executor", "ray", "--ray-address", address)
    assert result.exit_code == 1
    assert f"Error: cannot reach the Ray cluster at {address}" in result.output
    assert not (tmp_path / "out" / "2022-12-21.json").exists()


def test_a_missing_ray_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from briefing.summarize.ray_executor import RayExecutor

    monkeypatch.setitem(sys.modules, "ray", None)  # import ray raises ImportError
    with pytest.raises(BriefingError, match=r"pip install 'briefing\[ray\]'"):
        RayExecutor(BackendSpec("extractive"))


@NO_GPU
def test_device_cuda_without_a_gpu_is_a_clear_error(tmp_path: Path) -> None:
    result = build(tmp_path / "out", "--device", "cuda")
    assert result.exit_code == 1
    assert "Error: --device cuda: this machine has no CUDA GPU" in result.output
    summarize = CliRunner().invoke(cli, ["summarize", str(DEMO / "004_73618bbe9da81c3f.txt"),
                                         "--backend", "extractive", "--device", "cuda"])
    assert summarize.exit_code == 1 and "no CUDA GPU" in summarize.output


@NO_GPU
def test_device_auto_and_cpu_run_on_the_cpu(tmp_path: Path) -> None:
    assert resolve_device("auto") == "cpu" and resolve_device("CPU") == "cpu"
    result = CliRunner().invoke(cli, ["summarize", str(DEMO / "004_73618bbe9da81c3f.txt"),
                                      "--backend", "extractive", "--device", "auto", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["sentences"]


def test_unknown_devices_and_executors_are_refused(tmp_path: Path) -> None:
    for bad in ("gpu", "cuda:x", "cpu:0", ""):
        with pytest.raises(ConfigError, match="unknown device"):
            check_device(bad)
    assert check_device("cuda:1") == "cuda:1"
    result = build(tmp_path / "out", "--device", "tpu")
    assert result.exit_code == 1 and "unknown device 'tpu'" in result.output
    result = build(tmp_path / "out", "--executor", "dask")
    assert result.exit_code == 2 and "'dask' is not one of 'local', 'ray'" in result.output
    config = tmp_path / "config.toml"
    config.write_text('device = "gpu"\n')
    with pytest.raises(ConfigError, match=f"config file {config}: device must be auto"):
        load_config(config)
    config.write_text('executor = "dask"\nworkers = 0\n')
    with pytest.raises(ConfigError, match="executor must be one of local, ray"):
        load_config(config)
    config.write_text('executor = "ray"\nray_address = "head:6379"\nworkers = 3\n'
                      'device = "cuda"\n')
    loaded = load_config(config)
    assert (loaded.executor, loaded.ray_address, loaded.workers, loaded.device) == (
        "ray", "head:6379", 3, "cuda")


def test_only_the_hf_backend_gets_the_device_and_only_a_gpu_enters_the_cache_key() -> None:
    assert with_device(BackendSpec("extractive"), "cuda") == BackendSpec("extractive")
    hf_cpu = with_device(BackendSpec("hf", (("model", "m"),)), "cpu")
    hf_gpu = with_device(BackendSpec("hf", (("model", "m"),)), "cuda")
    assert dict(hf_cpu.options)["device"] == "cpu" and dict(hf_gpu.options)["device"] == "cuda"
    assert cache_options(hf_cpu) == (("model", "m"),)  # keys made before --device still hit
    assert cache_options(hf_gpu) == (("model", "m"), ("device", "cuda"))
