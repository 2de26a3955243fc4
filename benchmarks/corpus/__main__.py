"""`python -m benchmarks.corpus` is the same as `python -m benchmarks.corpus.questions`."""

import sys

from .questions import main

sys.exit(main())
