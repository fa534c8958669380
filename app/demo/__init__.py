"""Demo data for trying every role, and large generated populations for benchmarks."""
