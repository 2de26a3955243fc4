"""sgr-agents: schema-guided reasoning agents on one structured-generation core."""

__version__ = "0.1.0"
