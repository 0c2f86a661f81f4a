"""Privacy: personal-data detection and masks (the vault and waybills build on these)."""
