"""Benchmarks: scripts that print tables (ingestion, ask latency, server throughput, scale); not tests."""
