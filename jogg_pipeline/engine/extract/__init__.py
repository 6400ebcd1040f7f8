"""Product extraction: fetch a page, then read its product from structured data, social tags
and the visible page."""

from jogg_pipeline.engine.extract.extractor import extract_product
from jogg_pipeline.engine.extract.fetch import FetchedResource, FetchError, FetchPolicy, fetch
from jogg_pipeline.engine.extract.model import ExtractedDetails, ExtractedMedia, ExtractedProduct

__all__ = [
    "ExtractedDetails",
    "ExtractedMedia",
    "ExtractedProduct",
    "FetchError",
    "FetchPolicy",
    "FetchedResource",
    "extract_product",
    "fetch",
]
