"""A mutation fuzzer for crashmap, run by hand: ``python -m tests.fuzz --seed 1 --count 100000``."""
