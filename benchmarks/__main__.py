"""``python -m benchmarks --docs 1e6,1e7``: the whole-job benchmark (benchmarks/job.py)."""

from __future__ import annotations

import sys

from benchmarks.job import main

sys.exit(main())
