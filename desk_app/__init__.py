"""Decision Desk: offline anonymisation and drafting of LGO decision statements."""

__version__ = "0.1.0"
