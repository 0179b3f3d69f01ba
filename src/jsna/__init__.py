"""Build a JSNA and Health and Wellbeing Board annual report as a reproducible Jupyter Book."""

__version__ = "0.1.0"
