"""Offline evaluation of Learning Ops Coach: retrieval, answers, routing, plans and safety as
named numbers, with a report people can read. Run it with `python -m evals.cli`."""
