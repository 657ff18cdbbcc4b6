"""竞争上岗 paperwork pipeline: campaign folder in, official papers out."""

__version__ = "0.1.0"
