"""Benchmarks: each prints its figures; none takes part in the test run's pass or fail."""
