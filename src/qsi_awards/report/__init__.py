"""Reporters keyed by --format: findings (text, json, github) and tally results."""
