"""Benchmarks and evaluation corpora (a package so `python -m benchmarks.corpus` works)."""
