"""Benchmarks: each module has `async def run(report: dict) -> None`."""
