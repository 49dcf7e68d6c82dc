"""/api/docs is Swagger UI served by Beacon itself: nothing from another origin, no inline script."""
from __future__ import annotations

import re

from tests.web.pagecheck import csp_problems


def references(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]*)"', html)


def test_the_docs_page_loads_everything_from_beacon(client):
    page = client.get("/api/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "://" not in page.text and "cdn" not in page.text.lower()
    refs = references(page.text)
    assert sorted(refs) == ["/static/swagger-init.js", "/static/swagger/swagger-ui-bundle.js",
                            "/static/swagger/swagger-ui.css"]
    for ref in refs:
        asset = client.get(ref)
        assert asset.status_code == 200, ref
        assert asset.headers["content-type"].split(";")[0] in ("text/javascript", "text/css"), ref
    assert 'data-openapi-url="/api/openapi.json"' in page.text
    assert csp_problems(page.text) == []


def test_the_initialiser_does_not_send_the_document_anywhere(client):
    script = client.get("/static/swagger-init.js").text
    assert "validatorUrl: null" in script and "dataset.openapiUrl" in script and "http" not in script


def test_only_the_files_the_page_needs_are_served_from_the_package(client):
    for name in ("index.html", "oauth2-redirect.html", "swagger-initializer.js", "package.json", "../package.json"):
        assert client.get(f"/static/swagger/{name}").status_code == 404, name


def test_the_openapi_document_is_where_it_was(client):
    r = client.get("/api/openapi.json")
    assert r.status_code == 200 and r.json()["info"]["title"] == "Beacon"
    assert "/api/docs" not in r.json()["paths"]
