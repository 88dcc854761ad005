"""Benchmarks (`make bench`): speed measured side by side in one run, printed as ratios.

Query-count budgets are tests (advice/tests, comments/tests); timings live here, never in tests.
"""
