"""Checks a running archive over HTTP as a reader, an API client and an editor
would, for `make test-compose` (docker/test-compose):

    python3 docker/check_stack.py URL --state FILE --user NAME --password SECRET [--again]

/healthz, a page, an issue, a search (page and API), the admin login page and
a real login. The first run records what it saw in FILE (article and issue
counts, the hits of a search); with --again, after the web container was
replaced, everything must be seen again unchanged. Requests carry the headers
the TLS-terminating proxy adds. Standard library only: it runs on the host.
The first failure is printed as one line and the exit status is 1.
"""

from __future__ import annotations

import argparse
import html
import http.client
import json
import re
import sys
import urllib.parse
from http.cookies import SimpleCookie


class Failure(Exception):
    pass


class Site:
    def __init__(self, url: str, host: str):
        parts = urllib.parse.urlsplit(url)
        self.address = (parts.hostname, parts.port or 80)
        self.host = host
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection(*self.address, timeout=30)
        sent = {"Host": self.host, "X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        try:
            connection.request(method, path, body=body.encode() if body else None, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except OSError as exc:
            raise Failure(f"{method} {path}: {exc}") from exc
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, text

    def get(self, path: str, expect: int = 200) -> str:
        status, _, text = self.request("GET", path)
        if status != expect:
            raise Failure(f"GET {path} answered {status}, expected {expect}")
        return text

    def get_json(self, path: str):
        text = self.get(path)
        try:
            return json.loads(text)
        except ValueError as exc:
            raise Failure(f"GET {path} did not answer JSON") from exc


def check(site: Site, user: str, password: str) -> dict:
    health = site.get_json("/healthz")
    if health.get("database") != "ok" or health.get("search") != "ok":
        raise Failure(f"/healthz reports {health}")

    listing = site.get_json("/api/articles/?page_size=1")
    if not listing["count"]:
        raise Failure("the API lists no article: was anything ingested?")
    first = site.get_json(f"/api/articles/{listing['results'][0]['id']}/")
    issues = site.get_json("/api/issues/")["count"]

    # A search for the article's own keyword (or headline) must find it.
    query = (first["keywords"] or [first["headline"]])[0]
    quoted = urllib.parse.quote(query)
    found = site.get_json(f"/api/articles/?q={quoted}&page_size=100")
    hits = sorted(result["id"] for result in found["results"])
    if first["id"] not in hits:
        raise Failure(f"searching the API for {query!r} does not find article {first['id']}")
    page = site.get(f"/search/?q={quoted}")
    # Pages live under their newspaper title: the API gives each one's address.
    article_path = urllib.parse.urlsplit(first["url"]).path
    if article_path not in page:
        raise Failure(f"the search page for {query!r} does not link article {first['id']} ({article_path})")
    site.get(article_path)

    issue_path = urllib.parse.urlsplit(first["issue_url"]).path
    if html.escape(first["headline"]) not in site.get(issue_path):
        raise Failure(f"the issue page {issue_path} does not show {first['headline']!r}")
    site.get("/")

    login = site.get("/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login)
    if not token:
        raise Failure("the admin login page has no CSRF token")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": user, "password": password, "next": "/admin/"}
    )
    status, headers, _ = site.request(
        "POST",
        "/admin/login/?next=/admin/",
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://{site.host}",
            "Referer": f"https://{site.host}/admin/login/",
        },
    )
    if status != 302 or not headers.get("Location", "").endswith("/admin/"):
        raise Failure(f"logging in to the admin as {user} answered {status}, not a redirect to /admin/")
    site.get("/admin/")

    return {"articles": listing["count"], "issues": issues, "query": query, "hits": hits}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--host", default="localhost", help="Host header (one of ALLOWED_HOSTS)")
    parser.add_argument("--state", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--again", action="store_true", help="compare with what the first run recorded")
    args = parser.parse_args(argv)
    try:
        seen = check(Site(args.url, args.host), args.user, args.password)
        if args.again:
            with open(args.state, encoding="utf-8") as file:
                before = json.load(file)
            if seen != before:
                raise Failure(f"after the restart the site shows {seen}, before it showed {before}")
        else:
            with open(args.state, "w", encoding="utf-8") as file:
                json.dump(seen, file, ensure_ascii=False)
    except Failure as failure:
        print(f"check_stack: {failure}", file=sys.stderr)
        return 1
    print(
        f"check_stack: ok: {seen['articles']} articles in {seen['issues']} issues; "
        f"search {seen['query']!r}: {len(seen['hits'])} hits; admin login works"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
