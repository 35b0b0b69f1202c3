"""Reading a JSON request body: an object with known fields, or a clear 415, 400 or 422.

Every API body is parsed here, and only here: it must be sent as JSON, numbers must be finite and
fit in 64 bits, and nesting is shallow, so no hostile body reaches a service or the database as an
OverflowError, an infinity or a RecursionError.
"""
import json

from flask import request

from exchange.errors import DomainError, Invalid, UnsupportedMediaType

MAX_DEPTH = 16  # an article with tags is 2 deep
MAX_NUMBER = 2**63 - 1
NOT_A_NUMBER = "Numbers must be finite and between -(2^63 - 1) and 2^63 - 1."


class _Refused(ValueError):
    pass


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > 19 or abs(int(text)) > MAX_NUMBER:
        raise _Refused(NOT_A_NUMBER)
    return int(text)


def _decimal(text: str) -> float:
    number = float(text)
    if not abs(number) <= MAX_NUMBER:  # also refuses infinities (1e400)
        raise _Refused(NOT_A_NUMBER)
    return number


def _constant(name: str):
    raise _Refused(NOT_A_NUMBER)  # NaN, Infinity and -Infinity are not JSON


def _depth(value) -> int:
    """How deeply ``value`` nests lists and objects, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def parse_json(text: str | bytes):
    """A JSON document with finite, 64-bit numbers nested at most MAX_DEPTH deep; raises Invalid."""
    try:
        data = json.loads(text, parse_int=_integer, parse_float=_decimal, parse_constant=_constant)
    except _Refused as refused:
        raise Invalid(str(refused), {"body": "numbers must be finite and fit in 64 bits"}) from None
    except RecursionError:
        data = None
    except ValueError:  # also UnicodeDecodeError: not JSON at all
        raise DomainError("The body is not valid JSON: check its quotes, commas and brackets.") from None
    if data is None and text.strip() not in ("null", b"null") or _depth(data) > MAX_DEPTH:
        message = f"The body nests lists and objects too deeply ({MAX_DEPTH} levels at most)."
        raise Invalid(message, {"body": message})
    return data


def read_json(allowed) -> dict:
    """The request's JSON object; refuses anything else and any field not in ``allowed``."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType("Send the body as JSON with Content-Type: application/json.")
    data = parse_json(request.get_data(cache=True))
    if not isinstance(data, dict):
        raise Invalid("Send a JSON object with Content-Type: application/json.", {"body": "a JSON object"})
    unknown = set(data) - set(allowed)
    if unknown:
        raise Invalid(f"Unknown fields: {', '.join(sorted(unknown))}.", {f: "unknown field" for f in unknown})
    return data
