"""The benchmark suite: a data generator, a load runner against gunicorn, and the report.

Benchmarks print figures; they are not tests. `make bench` runs the whole suite (bench/run.py)."""
