"""Tests for AutoViz as an HTTP service and a web page."""
