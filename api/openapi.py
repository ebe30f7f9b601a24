"""What the OpenAPI schema describes: this API (``/api/v1/``) and nothing else.

drf-spectacular's generator walks the whole URLconf unless told otherwise, so its
``check --deploy`` check would scan Wagtail's admin API (DRF views that need a
request and a database to describe themselves) and warn about them. Scoping the
endpoints here keeps the served schema, the docs and the deploy check on one list.
"""

from __future__ import annotations

API_PREFIX = "/api/v1/"


def only_this_api(endpoints: list[tuple], **kwargs) -> list[tuple]:
    """``PREPROCESSING_HOOKS`` entry: drop every endpoint outside ``/api/v1/``."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]


def empty_query_values_are_absent(result: dict, **kwargs) -> dict:
    """``POSTPROCESSING_HOOKS`` entry: say that ``?mode=`` means the same as no ``mode``.

    Every query parameter of this API reads an empty value as "not given" (an HTML form
    sends its blank fields that way); ``allowEmptyValue`` is how OpenAPI says so.
    """
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    parameter["allowEmptyValue"] = True
    return result
