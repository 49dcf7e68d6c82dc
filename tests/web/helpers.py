from __future__ import annotations

from datetime import timedelta

from tests.factories import PASSWORD


def token(client, username: str) -> dict[str, str]:
    """A bearer token for ``username``, issued once per test client (a user holds at most
    ``auth.max_tokens_per_user`` live tokens, so asking anew each time would revoke older ones)."""
    issued = client.__dict__.setdefault("_beacon_tokens", {})
    now = client.app.state.clock()
    held = issued.get(username)
    if held is None or now >= held[1] + timedelta(hours=9):   # a test that moves its clock on gets a fresh one
        held = issued[username] = (new_token(client, username), now)
    return held[0]


def new_token(client, username: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/tokens", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def login(client, username: str) -> None:
    page = client.get("/login")
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf,
                                           "next": "/"}, follow_redirects=False)
    assert response.status_code == 303, response.text


def csrf_of(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"')[0]


def api_routes(app) -> list[tuple[str, object]]:
    """(path, APIRoute) for every route the app serves, pages included. From FastAPI 0.16x an
    included router stays behind an ``_IncludedRouter`` in ``app.routes``, whose effective
    candidates carry the path with the router's prefix; older versions list the APIRoutes."""
    from fastapi.routing import APIRoute

    out: list[tuple[str, object]] = []

    def walk(routes) -> None:
        for route in routes:
            if hasattr(route, "effective_candidates"):
                for candidate in route.effective_candidates():
                    if hasattr(candidate, "effective_candidates"):
                        walk([candidate])
                    elif isinstance(candidate.original_route, APIRoute):
                        out.append((candidate.path, candidate.original_route))
            elif isinstance(route, APIRoute):
                out.append((route.path, route))

    walk(app.router.routes)
    return out
