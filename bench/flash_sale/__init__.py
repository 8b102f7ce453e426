"""The flash-sale benchmark's parts: stacks, buyers, traffic, history, figures (see
bench/bench_flash_sale.py for the scenario)."""
