"""Hypothesis draws the same examples on every run (its `ci` profile, derandomized), so a run's
verdict never depends on the draw; `HYPOTHESIS_PROFILE=explore` draws new ones each run (with
`--hypothesis-seed=N` to replay one), which is how new differences from PyTorch are found."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
