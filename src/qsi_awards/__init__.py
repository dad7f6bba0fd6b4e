"""qsi: run a healthcare Quality, Safety & Improvement awards programme as files in git."""

__version__ = "0.1.0"
