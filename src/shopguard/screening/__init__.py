"""Screening: normalise text, run the policy's detectors, decide allow / review / block.

The core (`normalize`, `detectors`, `policy`, `engine`) is pure: plain data in, plain data out.
`store`, `service`, `routes` and `commands` are the shell around it.
"""
