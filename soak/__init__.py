"""Longer runs than the test suite affords (`make soak`)."""
