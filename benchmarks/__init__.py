"""aieco's benchmarks (`make bench`; docs/benchmarks.md). A regular package, so that `python -m benchmarks` from
the repository finds these and not the `benchmarks` package that pysbd 0.3.4 installs at the top level."""
