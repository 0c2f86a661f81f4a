"""shopguard: consumer protection and trust and safety for e-commerce marketplaces."""

__version__ = "0.1.0"
