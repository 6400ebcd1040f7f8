"""jogg-pipeline: turn product pages into marketing videos in batches."""

__version__ = "0.1.0"
