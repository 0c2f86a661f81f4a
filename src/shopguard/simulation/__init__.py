"""A deterministic synthetic marketplace year, driven through the real engine."""
