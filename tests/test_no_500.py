"""No 500 on bad input: every route, every role, hostile and random parameters, query strings and bodies.

One world (commune A with a person of each role, an officer of commune B, a class with a session now) is
built once for the module; every request uses a fresh client signed in as one role. A server error shows
as an exception (the test app propagates them) or a 5xx status; both fail with the request that caused it.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from tests import factories
from tests import test_access as access
from tests.conftest import ON_POSTGRES, session_user_id, wipe

ROLES = (access.ANON, access.LEARNER, access.INSTRUCTOR, access.OFFICER, access.ADMIN, access.OUTSIDER,
         access.YOUTH, access.TEAM)
PARAM = re.compile(r"<(?:([^:>]+):)?([^>]+)>")
# Routes that read a JSON body, and the shape of a well-formed one (so random bodies get past the first check).
# Routes that take an outbox batch ({"device": ..., "items": [...]}; see app/outbox.py).
JSON_ROUTES = ("attendance.sync", "quizzes.save_answers", "teams.sync_visits", "mentoring.sync_contacts",
               "events.sync")
QUERY_KEYS = ("next", "q", "village", "target", "module", "module_id", "n", "week", "date", "audience", "group",
              "partial", "serial", "client_id", "token", "status", "code", "state", "error", "page", "kind")

# Known hostile values, always sent (random ones come on top).
HUGE = (str(2**31), str(2**63), str(10**30), "9" * 400)
HOSTILE = ("", " ", "\x00", "a\x00b", "-1", "0", *HUGE, "1e309", "NaN", "-0", "abc", "9999-12-30", "0001-01-01",
           "2024-02-30", "10000-01-01", "Thôn Đông 𝔘 ✓", "<script>alert(1)</script>", "' OR 1=1 --",
           "../../etc/passwd", "a" * 5000, "true", "null", "[]", "{}", "\r\nSet-Cookie: x=1", "%", "%00", "%ff")
# Already percent-encoded: NUL, bytes that are not UTF-8, an overlong slash.
RAW = ("%00", "a%00b", "%FF%FE", "%C3%28", "%C0%AF", "%E2%82")
RAW_BODIES = (b"not json", b"[" * 50000, b'{"items": [', b"\xff\xfe\x00", b"[]", b'"items"', b"null", b"1e400",
              b'{"items": [{"client_id": "abcdefgh1", "enrolment_id": 1e400, "status": "present"}]}',
              b'{"items": {"a": 1}}', b'{"items": "all"}', b'{"items": [1, 2]}', b'{"device": "\\u0000"}',
              b'{"items": [{"client_id": "abcdefgh1", "household_id": 1e400, "helps": {"x": 1}}]}',
              b'{"items": [{"client_id": "abcdefgh1", "mentee_id": [], "contacted_on": "9999-99-99"}]}')


@dataclass
class Route:
    endpoint: str
    rule: str
    method: str
    fields: tuple[str, ...] = ()  # form field names found on the route's page


@pytest.fixture(autouse=True)
def _fresh_database() -> None:
    """Keep the world between tests (the shared fixture would empty the database after each)."""


@pytest.fixture(scope="module")
def world(app: Flask) -> Iterator[access.World]:
    wipe(app)
    with app.app_context():
        built = access.build_world()
        built.params["_rule"] = ""
        for name in sorted(access.PROVIDERS):
            built.param(name)
        from app.classes.models import Class

        klass = db.session.get(Class, built.params["class_id"])
        built.params["session_id"] = factories.session_now(klass).id  # a session happening now: marks are taken
        factories.enrol_learners(klass, 2)
        db.session.commit()
        built.users = {role: getattr(p, "id", p) for role, p in built.users.items()}
    yield built
    wipe(app)


def _routes(app: Flask) -> list[Route]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append(Route(rule.endpoint, rule.rule, method))
    return sorted(found, key=lambda r: (r.rule, r.method))


@pytest.fixture(scope="module")
def routes(app: Flask, world: access.World) -> list[Route]:
    """Every route and method, with the form fields its page shows an administrator."""
    found = _routes(app)
    pages: dict[str, tuple[str, ...]] = {}
    for route in found:
        if route.method == "GET":
            reply = _client(app, world, access.ADMIN).get(fill(route.rule, world))
            page = reply.get_data(as_text=True) if reply.mimetype == "text/html" else ""
            names = re.findall(r'<(?:input|select|textarea|button)[^>]*\bname="([^"]+)"', page)
            reply.close()
            pages[route.rule] = tuple(dict.fromkeys(n for n in names if n != "csrf_token"))
    every = tuple(dict.fromkeys(name for names in pages.values() for name in names))
    for route in found:
        route.fields = pages.get(route.rule) or every  # a POST-only route: try every name seen anywhere
    return found


_signed_in: dict[str, str] = {}  # role -> session user id; forgotten after any change (signing out ends sessions)


def _client(app: Flask, world: access.World, role: str) -> Any:
    client = app.test_client()
    if role != access.ANON:
        if role not in _signed_in:
            _signed_in[role] = session_user_id(app, world.users[role])
        with client.session_transaction() as session:
            session["_user_id"] = _signed_in[role]
            session["_fresh"] = True
    return client


def fill(rule: str, world: access.World, replace: dict[str, str] | None = None) -> str:
    """Build a URL from a rule with the world's values, or the given (already encoded) replacements."""
    replace = replace or {}

    def one(match: re.Match[str]) -> str:
        name = match.group(2)
        return replace[name] if name in replace else quote(str(world.param(name)), safe="")

    return PARAM.sub(one, rule)


def send(app: Flask, world: access.World, role: str, method: str, url: str, *, form: dict[str, Any] | None = None,
         body: bytes | None = None) -> int:
    """Make one request and fail, naming it, if the server errs."""
    what = f"{method} {url[:300]} as {role}" + (f" form={str(form)[:300]}" if form else "") + \
        (f" body={body[:300]!r}" if body is not None else "")
    try:
        client = _client(app, world, role)
        if body is not None:
            reply = client.open(url, method=method, data=body, content_type="application/json")
        else:
            reply = client.open(url, method=method, data=form or None)
        status = reply.status_code
        reply.close()
        if method != "GET":
            _signed_in.clear()
    except Exception as error:  # the test app propagates server errors
        with app.app_context():
            db.session.remove()
        pytest.fail(f"server error on {what}: {type(error).__name__}: {str(error)[:400]}")
    # Signing in with VNeID answers 503 when the provider cannot be reached (it is not served in tests).
    assert status < 500 or (status == 503 and url.startswith("/auth/vneid/")), f"{status} on {what}"
    return status


def int_params(rule: str) -> list[str]:
    return [name for conv, name in PARAM.findall(rule) if conv == "int"]


def text_params(rule: str) -> list[str]:
    return [name for conv, name in PARAM.findall(rule) if conv != "int"]


# --- known hostile values ---------------------------------------------------------------------

@pytest.mark.parametrize("value", [str(2**31), str(2**63), str(10**30)])
def test_ids_beyond_the_database_range_are_not_found_on_any_route(app: Flask, world, routes, value: str) -> None:
    checked = 0
    for route in routes:
        for name in int_params(route.rule):
            url = fill(route.rule, world, {name: value})
            for role in (access.ADMIN, access.ANON):
                # 405: a route with the same path and another method, whose id did not match either.
                assert send(app, world, role, route.method, url) in (404, 405), f"{route.method} {url} as {role}"
                checked += 1
    assert checked > 100


def test_the_anonymous_class_calendar_with_a_huge_id_is_not_found(app: Flask, world) -> None:
    assert send(app, world, access.ANON, "GET", f"/calendar/class/{2**63}.ics?token=x") == 404
    assert send(app, world, access.ANON, "GET", f"/calendar/class/{10**30}.ics") == 404


@pytest.mark.parametrize("url", ["/verify/%00", "/verify/a%00b.json", "/verify?serial=%00", "/catalog?q=%00",
                                 "/verify/%FF%FE", "/catalog?audience=%C3%28"])
def test_nul_and_broken_utf8_in_the_address_are_refused_with_a_message(app: Flask, world, url: str) -> None:
    assert send(app, world, access.ANON, "GET", url) == 400
    reply = app.test_client().get(url)
    message = reply.get_json()["message"] if reply.is_json else reply.get_data(as_text=True)
    assert "ký tự không hợp lệ" in message


def test_a_search_with_nul_is_refused_for_staff(app: Flask, world) -> None:
    commune_id = world.params["commune_id"]
    assert send(app, world, access.OFFICER, "GET", f"/communes/{commune_id}/people?q=%00") == 400
    assert send(app, world, access.OFFICER, "GET", f"/communes/{commune_id}/people?q=a%00") == 400
    assert send(app, world, access.OFFICER, "GET", f"/communes/{commune_id}/people?q=B%C3%ACnh") < 400


def test_nul_in_a_form_or_json_body_is_refused(app: Flask, world) -> None:
    url = f"/attendance/sessions/{world.params['session_id']}/paper"
    assert send(app, world, access.OFFICER, "POST", url, form={"note": "a\x00"}) == 400
    sync = f"/attendance/sessions/{world.params['session_id']}/marks.json"
    reply = _client(app, world, access.OFFICER).post(sync, data=b'{"device": "\\u0000", "items": []}',
                                                      content_type="application/json")
    assert reply.status_code == 400 and "ký tự không hợp lệ" in reply.get_json()["message"]


def test_json_nested_too_deep_to_read_is_refused(app: Flask, world) -> None:
    sync = f"/attendance/sessions/{world.params['session_id']}/marks.json"
    assert send(app, world, access.OFFICER, "POST", sync, body=b"[" * 50000) == 400


# Each value once in every place would be thousands of requests; instead every place gets the values that
# have broken routes (huge numbers, absurd dates) one at a time, and the rest rotated across its fields. NUL is
# sent alone: the guard refuses it before any view runs, so it would hide the other values of its request.
UNIFORM = (str(2**31), str(10**30), "-1", "9999-12-30", "0001-01-01")
MIXED = tuple(v for v in HOSTILE if v not in UNIFORM and "\x00" not in v and v != "9" * 400)  # the guard refuses it
IN_PATH = ("", "-1", str(2**31), str(10**30), "a" * 5000, "Thôn Đông 𝔘 ✓", "../../etc/passwd", "' OR 1=1 --",
           "<script>alert(1)</script>", "9999-12-30", "%", "NaN", "\x00")


def _spread(names: tuple[str, ...]) -> Iterator[dict[str, str]]:
    for value in UNIFORM:
        yield dict.fromkeys(names, value)
    for offset in range(0, len(MIXED), 8):
        yield {name: MIXED[(offset + i) % len(MIXED)] for i, name in enumerate(names)}
    yield dict.fromkeys(names, "a\x00b")


def _hostile_cases(route: Route) -> Iterator[tuple[dict[str, str], str, dict[str, Any] | None, bytes | None]]:
    """(path replacements, query string, form, body) for one route: the known hostile values in every place."""
    for name in text_params(route.rule):
        for value in IN_PATH:
            yield {name: quote(value, safe="") or "x"}, "", None, None
        for raw in RAW:
            yield {name: raw}, "", None, None
    if route.method == "GET":  # a form's page reads the same query string as its GET
        for query in _spread(QUERY_KEYS):
            yield {}, "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items()), None, None
        yield {}, "&".join(f"{k}={RAW[(i + 2) % len(RAW)]}" for i, k in enumerate(QUERY_KEYS)), None, None
        return
    yield {}, "&".join(f"{k}={quote(v, safe='')}" for k, v in zip(QUERY_KEYS, MIXED, strict=False)), None, None
    yield from (({}, "", form, None) for form in _spread(route.fields))
    if route.endpoint in JSON_ROUTES:
        for raw_body in RAW_BODIES:
            yield {}, "", None, raw_body


def test_known_hostile_values_never_cause_a_server_error(app: Flask, world, routes) -> None:
    errors: dict[tuple[str, str], str] = {}
    cases = [(route, case) for route in routes for case in _hostile_cases(route)]
    for step, (route, (replace, query, form, body)) in enumerate(cases):
        role = ROLES[step % len(ROLES)]  # every role meets every kind of case, over the run
        url = fill(route.rule, world, replace) + (f"?{query}" if query else "")
        try:
            send(app, world, role, route.method, url, form=form, body=body)
        except (AssertionError, pytest.fail.Exception) as error:  # report every route at fault, once each
            errors.setdefault((route.endpoint, route.method), str(error).splitlines()[0])
    assert not errors, "\n".join(errors.values())


# --- random values --------------------------------------------------------------------------------

texts = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40), st.integers().map(str),
                  st.dates().map(str), st.sampled_from(("present", "late", "absent", "excused", "csv", "xlsx")))
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | texts,
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
                           max_leaves=12)


def _json_item(world: access.World) -> st.SearchStrategy[Any]:
    ids = st.one_of(st.integers(), st.sampled_from([int(v) for v in (2**31, 2**63, 10**30)]), json_values,
                    st.integers(min_value=1, max_value=50))
    fields = {"client_id": st.one_of(st.uuids().map(str), texts, json_values),
              "status": st.one_of(texts, json_values), "source": texts,
              "device_time": st.one_of(st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()), texts,
                                       json_values),
              "enrolment_id": ids, "question_id": ids, "household_id": ids, "mentee_id": ids,
              "waited": st.one_of(st.booleans(), json_values), "response": json_values, "client_time": texts,
              "visited_on": st.one_of(st.dates().map(str), texts, json_values),
              "contacted_on": st.one_of(st.dates().map(str), texts, json_values),
              "follow_up_on": st.one_of(st.dates().map(str), texts, json_values),
              "visitors": st.one_of(st.lists(ids, max_size=3), json_values),
              "helps": st.one_of(st.dictionaries(texts, json_values, max_size=3), json_values),
              "still_needed": json_values, "can_now": json_values, "skill": texts, "note": texts,
              "kind": st.one_of(st.sampled_from(["visit", "answer"]), texts, json_values),
              "code": st.one_of(texts, json_values), "ticks": st.one_of(st.lists(ids, max_size=3), json_values),
              "question": ids, "choice": st.one_of(texts, json_values)}
    return st.fixed_dictionaries({}, optional=fields)


@st.composite
def requests(draw: st.DrawFn, routes: list[Route], world: access.World) -> tuple[str, str, str, Any, Any]:
    route = draw(st.sampled_from(routes))
    role = draw(st.sampled_from(ROLES))
    replace = {}
    params = [name for _conv, name in PARAM.findall(route.rule)]
    if params and draw(st.booleans()):
        name = draw(st.sampled_from(params))
        value = draw(st.one_of(texts, st.integers().map(str), st.sampled_from(RAW)))
        replace[name] = value if value in RAW else (quote(value, safe="") or "x")
    query = draw(st.dictionaries(st.sampled_from(QUERY_KEYS), texts, max_size=4))
    url = fill(route.rule, world, replace) + ("?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items())
                                              if query else "")
    form = body = None
    if route.method == "POST":
        if route.endpoint in JSON_ROUTES and draw(st.booleans()):
            payload = draw(st.one_of(json_values, st.fixed_dictionaries(
                {"items": st.lists(_json_item(world), max_size=5)}, optional={"device": texts})))
            body = json.dumps(payload).encode()
        else:
            names = st.sampled_from(route.fields) if route.fields else texts
            form = draw(st.dictionaries(names, texts, max_size=8))
    return role, route.method, url, form, body


def test_random_values_never_cause_a_server_error(app: Flask, world, routes) -> None:
    @settings(max_examples=400, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(requests(routes, world))
    def check(case: tuple[str, str, str, Any, Any]) -> None:
        role, method, url, form, body = case
        send(app, world, role, method, url, form=form, body=body)

    check()


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL refuses NUL and ids beyond its integer range")
def test_postgres_answers_hostile_input_without_a_server_error(app: Flask, world) -> None:
    assert send(app, world, access.ANON, "GET", "/verify/%00") == 400
    assert send(app, world, access.ANON, "GET", f"/calendar/class/{2**31}.ics") == 404
    assert send(app, world, access.ADMIN, "GET", f"/people/{2**31}") == 404
