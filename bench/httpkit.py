"""Plain-HTTP helpers of the benchmark (standard library only): GET, the named inputs of a
form, and signing in through the real login form."""

from __future__ import annotations

import html
import http.client
import re
import urllib.parse


def _split(base: str) -> tuple[str, int]:
    parsed = urllib.parse.urlsplit(base)
    return parsed.hostname, parsed.port or 80


def request(base: str, method: str, path: str, *, cookie: str = "", form: dict | None = None):
    """One request on a fresh connection (gunicorn's sync workers close it after each response);
    returns (status, Set-Cookie values as a dict, body text)."""
    host, port = _split(base)
    headers = {"Cookie": cookie} if cookie else {}
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = base + path
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
    finally:
        conn.close()
    jar = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return response.status, jar, text


def form_fields(page: str, must_have: str) -> dict[str, str]:
    """The named inputs, with their values, of the first form holding an input `must_have`."""
    for form in re.findall(r"<form\b.*?</form>", page, flags=re.S | re.I):
        fields = {}
        for tag in re.findall(r"<input\b[^>]*>", form, flags=re.I):
            name = re.search(r'\bname="([^"]*)"', tag)
            if name:
                value = re.search(r'\bvalue="([^"]*)"', tag)
                fields[html.unescape(name.group(1))] = (
                    html.unescape(value.group(1)) if value else ""
                )
        if must_have in fields:
            return fields
    raise RuntimeError(f"No form with an input named {must_have!r} on the page.")


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def sign_in(base: str, username: str, password: str, code=None) -> dict[str, str]:
    """Cookies (sessionid, csrftoken) of a session opened through the real login form, past the
    two-step code when `code` (a function giving the code now) is given."""
    status, jar, page = request(base, "GET", "/accounts/login/")
    if status != 200:
        raise RuntimeError(f"GET /accounts/login/ answered {status}.")
    fields = form_fields(page, "password")
    fields.update({"username": username, "password": password})
    status, answer, _ = request(
        base, "POST", "/accounts/login/", cookie=cookie_header(jar), form=fields
    )
    jar.update(answer)
    if status != 302 or "sessionid" not in answer:
        raise RuntimeError(f"Signing in as {username} failed (HTTP {status}).")
    if code is not None:
        # A superuser passes the two-step sign-in (issue 12) with the app's code, as a person would.
        status, _, page = request(base, "GET", "/accounts/two-step/", cookie=cookie_header(jar))
        fields = form_fields(page, "code")
        fields["code"] = code()
        status, answer, _ = request(
            base, "POST", "/accounts/two-step/", cookie=cookie_header(jar), form=fields
        )
        jar.update(answer)
        if status != 302:
            raise RuntimeError(f"The two-step code for {username} was refused (HTTP {status}).")
    return jar
