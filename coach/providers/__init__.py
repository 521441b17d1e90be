"""One small adapter per external dependency, each with a deterministic fake for tests."""
