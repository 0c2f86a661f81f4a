"""Reporting owns the yearly report: figures from the named metrics, rendered to HTML, Markdown,
JSON and PDF in Chinese and English. It may use every capability and the floors below, never
the simulator (its ground truth arrives as the `simulation.detection` metric)."""
