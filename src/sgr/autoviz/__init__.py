"""AutoViz: a table and a question in, a report of 5-10 charts out, chart 1 being the chart that was asked for.

From Python: `sgr.autoviz.analyze(data, question)` (see `python_api`); from the shell: `sgr autoviz run`.
"""

from sgr.autoviz.python_api import Analysis, Chart, analyze

__all__ = ["Analysis", "Chart", "analyze"]
