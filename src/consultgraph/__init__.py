"""consultgraph: medical Q&A consultations as validated, linked open data."""

__version__ = "0.1.0"
