"""Read-only API views, one module per entity; shared pieces live here."""

from __future__ import annotations

from collections.abc import Collection
from functools import cache

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from api.problems import problem_response

PAGINATION_PARAMS = ("cursor", "page_size")
ALWAYS_ALLOWED = ("format",)  # DRF's renderer override


def reject_unknown_parameters(request: Request, known: Collection[str]) -> None:
    """A misspelt filter must be a 400, not a silently unfiltered answer."""
    unknown = sorted(set(request.query_params) - set(known) - set(ALWAYS_ALLOWED))
    if unknown:
        allowed = ", ".join(sorted(known)) or _("none")
        raise ValidationError(
            {name: [_("Unknown parameter (known: %(allowed)s).") % {"allowed": allowed}] for name in unknown}
        )


@csrf_exempt  # a 404 problem for any method; without this a POST to an unknown path got CSRF's HTML 403
def api_not_found(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Any other path under /api/v1/: a 404 problem, or the path with its missing slash."""
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
    return problem_response(request, status=404, detail=_("No API endpoint at %(path)s.") % {"path": request.path})


_DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} {version}</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
code, pre {{ font: 14px ui-monospace, monospace; }} h2 {{ margin-top: 2.5rem; border-top: 1px solid #ccc; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ text-align: left; padding: .25rem .5rem;
vertical-align: top; border-bottom: 1px solid #eee; }} .method {{ font-weight: bold; text-transform: uppercase; }}
</style></head><body>
<h1>{title} <small>{version}</small></h1><p>{description}</p>
<p>Machine-readable OpenAPI 3 schema: <a href="{schema_url}"><code>{schema_url}</code></a>. Errors are
<code>application/problem+json</code> (RFC 9457) with per-parameter messages under <code>errors</code>.</p>
{operations}
</body></html>"""


@cache
def _schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    from api.urls import schema_patterns

    return SchemaGenerator(patterns=schema_patterns).get_schema(request=None, public=True)


def _operation_html(path: str, method: str, operation: dict) -> str:
    parameters = format_html_join(
        "",
        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (p["name"], p["in"], p.get("schema", {}).get("type", ""), p.get("description", ""))
            for p in operation.get("parameters", [])
        ),
    )
    responses = format_html_join(
        ", ",
        "<code>{}</code> {}",
        (
            (
                status,
                ", ".join(
                    f"{media} {body['schema'].get('$ref', '').rsplit('/', 1)[-1]}".strip()
                    for media, body in answer.get("content", {}).items()
                ),
            )
            for status, answer in operation.get("responses", {}).items()
        ),
    )
    table = (
        format_html("<table><tr><th>parameter</th><th>in</th><th>type</th><th>meaning</th></tr>{}</table>", parameters)
        if parameters
        else ""
    )
    return format_html(
        '<h2 id="{}"><span class="method">{}</span> <code>{}</code></h2><p><strong>{}</strong> {}</p>{}'
        "<p>Answers: {}</p>",
        operation.get("operationId", ""),
        method,
        path,
        operation.get("summary", ""),
        operation.get("description", ""),
        table,
        responses,
    )


def api_docs(request: HttpRequest) -> HttpResponse:
    """The API reference as one self-contained page: no scripts, no assets from elsewhere.

    Swagger UI or ReDoc need their JavaScript served from this site (drf-spectacular-sidecar);
    until that is installed, this page lists every operation from the same schema.
    """
    schema = _schema()
    operations = mark_safe(  # every piece is built with format_html
        "".join(
            _operation_html(path, method, operation)
            for path, methods in schema["paths"].items()
            for method, operation in methods.items()
        )
    )
    info = schema["info"]
    page = format_html(
        _DOCS_PAGE,
        title=info["title"],
        version=info["version"],
        description=info.get("description", ""),
        schema_url=reverse("api-schema"),
        operations=operations,
    )
    return HttpResponse(page)
