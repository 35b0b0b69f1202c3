"""Reading a JSON request body: an object with known fields, or a clear 415, 400 or 422."""
from flask import request
from werkzeug.exceptions import BadRequest

from exchange.errors import DomainError, Invalid, UnsupportedMediaType


def read_json(allowed) -> dict:
    """The request's JSON object; refuses anything else and any field not in ``allowed``."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType("Send the body as JSON with Content-Type: application/json.")
    try:
        data = request.get_json()
    except BadRequest:
        raise DomainError("The body is not valid JSON: check its quotes, commas and brackets.") from None
    if not isinstance(data, dict):
        raise Invalid("Send a JSON object with Content-Type: application/json.", {"body": "a JSON object"})
    unknown = set(data) - set(allowed)
    if unknown:
        raise Invalid(f"Unknown fields: {', '.join(sorted(unknown))}.", {f: "unknown field" for f in unknown})
    return data
