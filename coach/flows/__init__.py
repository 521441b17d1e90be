"""Coaching flows: past sessions and people, session plans, personal learning plans."""
