"""The yearly consumer-protection report: figures from named metrics, rendered to HTML, Markdown,
JSON and PDF in Chinese and English."""
