"""Rendering a report: HTML first, the PDF from the same HTML through WeasyPrint (A4, page
numbers), and writing both to a folder."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy.orm import Session

from beacon.access.policy import Principal
from beacon.reports.inspection_report import report_context

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


STYLESHEET = Path(__file__).resolve().parent / "static" / "report.css"
"""Served at /static/report.css for the page; inlined into the PDF and the HTML file."""


_ENV = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)


def render_html(context: Mapping, for_print: bool = False, back_url: str | None = None,
                stylesheet_url: str | None = None) -> str:
    """The report as one standalone HTML document (its CSS inlined). ``for_print`` shows the API
    paths as text rather than links (a PDF has no server to resolve them against); ``back_url``
    adds a link back to the page the report was opened from; ``stylesheet_url`` links the CSS
    instead of inlining it, for the page Beacon serves, whose Content-Security-Policy allows no
    inline style."""
    css = None if stylesheet_url else Markup(STYLESHEET.read_text(encoding="utf-8"))
    return _ENV.get_template("report.html").render(**context, css=css, stylesheet_url=stylesheet_url,
                                                   for_print=for_print, back_url=None if for_print else back_url)


def render_pdf(context: Mapping) -> bytes:
    """The same HTML as an A4 PDF (WeasyPrint; print CSS adds page numbers and the contents' page
    references)."""
    from weasyprint import HTML

    html = render_html(context, for_print=True)
    if 'fill="currentcolor"' in html:   # WeasyPrint crashes on it (the GOV.UK crown uses it)
        html = html.replace('fill="currentcolor"', 'fill="currentColor"')
    return HTML(string=html, base_url=str(TEMPLATE_DIR) + "/").write_pdf()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "force"


def write_report(session: Session, user: Principal, inspection_id: int, settings: Mapping[str, object],
                 directory: str | Path) -> tuple[Path, Path]:
    """Write the HTML and the PDF of the report into ``directory``; return both paths."""
    paths = write_files(report_context(session, user, inspection_id, settings), directory, ("html", "pdf"))
    return paths["html"], paths["pdf"]


def write_files(context: Mapping, directory: str | Path, formats: Iterable[str]) -> dict[str, Path]:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{_slug(context['force']['name'])}-inspection-{context['inspection']['id']}"
    if context["inspection"]["edition"] > 1:
        stem += f"-edition-{context['inspection']['edition']}"
    out = {}
    for fmt in formats:
        path = directory / f"{stem}.{fmt}"
        if fmt == "html":
            path.write_text(render_html(context), encoding="utf-8")
        else:
            path.write_bytes(render_pdf(context))
        out[fmt] = path
    return out
