"""The engine's OpenAPI document, shaped like JoggAI's so that the two compare path for path.

JoggAI's document has the server `https://api.jogg.ai/v1` and paths such as `/product`; the
engine's has the server `/v1` (relative to where the document is served) and the same paths.
The one v2 route keeps its own server, `/v2`. Both documents name the `x-api-key` header
`apiKeyAuth`. FastAPI's 422 answers are dropped: every answer of the engine, a parameter error
too, is HTTP 200 with the envelope.
"""

from __future__ import annotations

from typing import Any

from fastapi.openapi.utils import get_openapi
from fastapi.routing import BaseRoute

API_PREFIX = "/v1"
API_KEY_SCHEME = {"apiKeyAuth": {"type": "apiKey", "in": "header", "name": "x-api-key"}}
_FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")


def engine_document(
    title: str, version: str, description: str, routes: list[BaseRoute]
) -> dict[str, Any]:
    """The OpenAPI document of `routes`, shaped like JoggAI's."""
    generated = get_openapi(title=title, version=version, description=description, routes=routes)
    paths: dict[str, Any] = {}
    for path, operations in generated["paths"].items():
        prefix, _, rest = path.partition("/")[2].partition("/")
        for operation in operations.values():
            operation["responses"].pop("422", None)
        if f"/{prefix}" != API_PREFIX:
            operations = {"servers": [{"url": f"/{prefix}"}], **operations}
        paths[f"/{rest}"] = operations
    schemas = generated.get("components", {}).get("schemas", {})
    for name in _FASTAPI_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    components = {**generated.get("components", {}), "securitySchemes": API_KEY_SCHEME}
    return {
        **generated,
        "servers": [{"url": API_PREFIX}],
        "security": [{name: []} for name in API_KEY_SCHEME],
        "paths": paths,
        "components": components,
    }
