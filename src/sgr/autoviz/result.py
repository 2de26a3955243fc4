"""What a run produced, as the CLI's --json object and the Python API's result.

Exit codes (RunResult.exit_code; errors carry their own): 0 answered, 6 partial (the question names
columns the data lacks; the report says so and shows a labelled general view), 1 failed (no chart).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # an annotation only: importing the models is pydantic's 0.1 s, which a run's start defers
    from sgr.autoviz.models import Requirements


@dataclass
class RunResult:
    """What a run produced; `to_json()` is the CLI's --json object."""

    run_dir: Path
    status: str  # "answered" | "partial" | "failed" (no chart could be drawn; the report says why)
    exit_code: int
    intent: str
    template_id: str
    requirements: Requirements
    charts: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, str]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The one JSON object `sgr autoviz run --json` prints."""
        return {"run_dir": str(self.run_dir), "status": self.status, "exit_code": self.exit_code,
                "intent": self.intent, "template": self.template_id,
                "requirements": self.requirements.model_dump(mode="json"), "charts": self.charts,
                "failures": self.failures, "notices": self.notices,
                "report": {"html": str(self.run_dir / "report.html"), "md": str(self.run_dir / "report.md")}}
