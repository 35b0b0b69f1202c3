"""Reading a JSON request body: an object with known fields, or a clear 422."""
from flask import request

from exchange.errors import Invalid


def read_json(allowed) -> dict:
    """The request's JSON object; refuses anything else and any field not in ``allowed``."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Invalid("Send a JSON object with Content-Type: application/json.", {"body": "a JSON object"})
    unknown = set(data) - set(allowed)
    if unknown:
        raise Invalid(f"Unknown fields: {', '.join(sorted(unknown))}.", {f: "unknown field" for f in unknown})
    return data
