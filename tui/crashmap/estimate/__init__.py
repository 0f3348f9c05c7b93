"""Capture-kernel sizing: distro tables, estimator models, a suggested plan and what-ifs."""
