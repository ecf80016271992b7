"""Generators of the reference architectures: Trn2-Ultra64, GB200 and GB300 NVL72, GB200
NVL36x2, a DGX SuperPOD GB200 scalable unit, a scale-out pod and a top-of-rack pod.

`SAMPLES` maps a sample's name (as the CLI and the File > New from sample menu show it)
to a function returning a new Site; `build_sample` builds one by name with a clear error
for an unknown name or option.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from model.layout import Site
from model.topologies.nvl72 import build_gb200_nvl36x2, build_gb200_nvl72, build_gb300_nvl72
from model.topologies.scaleout import build_scaleout_pod
from model.topologies.superpod import build_gb200_superpod_su
from model.topologies.tor import build_tor_pod
from model.topologies.trn2 import build_trn2_ultra64

SAMPLES: dict[str, Callable[..., Site]] = {
    "trn2-ultra64": build_trn2_ultra64,
    "gb200-nvl72": build_gb200_nvl72,
    "gb300-nvl72": build_gb300_nvl72,
    "gb200-nvl36x2": build_gb200_nvl36x2,
    "gb200-superpod-su": build_gb200_superpod_su,
    "scaleout-pod": build_scaleout_pod,
    "tor-pod": build_tor_pod,
}


def sample_options(name: str) -> list[str]:
    """The keyword options a sample accepts (e.g. ['accelerators', 'fabric', 'server'] for 'scaleout-pod')."""
    return list(inspect.signature(_builder(name)).parameters)


def _builder(name: str) -> Callable[..., Site]:
    builder = SAMPLES.get(name)
    if builder is None:
        raise ValueError(f"unknown sample {name!r}; the samples are: {', '.join(SAMPLES)}")
    return builder


def build_sample(name: str, **options: Any) -> Site:
    """A new layout of the named sample; ValueError names a wrong sample, option or value."""
    builder = _builder(name)
    accepted = sample_options(name)
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        allowed = ", ".join(accepted) if accepted else "none"
        raise ValueError(f"sample {name!r} has no option {', '.join(unknown)} (its options: {allowed})")
    return builder(**options)
