"""The load bench (bench/bench_load.py): its locust workload and the driver that runs it."""
