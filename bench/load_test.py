"""Load and fault test: 20 simulated directors against gunicorn + PostgreSQL on 127.0.0.1.

    .venv/bin/python bench/load_test.py                      # 60 s, 20 clients
    .venv/bin/python bench/load_test.py --seconds 30
    .venv/bin/python bench/load_test.py --think 0            # no pauses: saturate the server
    .venv/bin/python bench/load_test.py --restart-postgres   # restarts PostgreSQL mid-run

What it does:
1. (Re)creates the PostgreSQL database `udm_load`, migrates it and loads the demo.
2. Creates 20 extra directors with known passwords; each answers for its own items.
3. Starts the application with scripts/serve.sh (gunicorn, 2 sync workers, production
   settings) on 127.0.0.1:8001. The clients send what the reverse proxy would
   (X-Forwarded-Proto: https), so the production settings are used unchanged.
4. Signs the 20 directors in and runs them concurrently for --seconds: each posts a
   status report on one of its items (as the "Mine punkter" page does, with htmx) and
   reads the plan overview, in turn.
5. Prints requests/s, p50/p95 latency per endpoint and the errors, then checks that
   every accepted report is in the database exactly once, with its content.

With --restart-postgres PostgreSQL is restarted a third into the run
(`pg_ctlcluster --skip-systemctl-redirect 15 main restart`); the script measures how
long after the database is back the application answers again, and checks that no
report is half-saved. Errors inside the restart window are counted separately.

Exit status 0 when every goal is met, 1 otherwise. Loopback only, bounded in time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PLAN = "2025-2028"
PASSWORD = "Belastning-2025-test"  # known password of the simulated directors only
COLOURS = ["green", "yellow", "red"]
SEEN_RE = re.compile(r'name="seen_report"[^>]*?value="(\d*)"|value="(\d*)"[^>]*?name="seen_report"')
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

SETUP_CODE = r"""
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from plans.models import BudgetPlan, Item
from plans.permissions import Role

count, password = int(sys.argv[1]), sys.argv[2]
plan = BudgetPlan.objects.get(slug="2025-2028")
items = list(Item.objects.filter(plan=plan, completed=False).order_by("pk"))
group = Group.objects.get(name=Role.DIRECTOR)
User = get_user_model()
result = {}
for n in range(count):
    user, _ = User.objects.get_or_create(
        username=f"last{n:02d}", defaults={"first_name": "Last", "last_name": f"Direktør {n:02d}"}
    )
    user.set_password(password)
    user.save()
    user.groups.add(group)
    mine = items[n::count]
    for item in mine:
        item.responsible = user
        item.save(update_fields=["responsible"])
    result[user.username] = {
        str(item.pk): (item.latest_report().pk if item.latest_report() else None) for item in mine
    }
print(json.dumps(result))
"""


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[tuple[float, str, str]] = field(default_factory=list)
    accepted: dict[str, tuple[int, str]] = field(default_factory=dict)  # comment -> item, colour
    conflicts: int = 0
    successes: list[tuple[float, str]] = field(default_factory=list)  # (time, endpoint)

    def record(self, endpoint: str, seconds: float, when: float) -> None:
        with self.lock:
            self.latencies.setdefault(endpoint, []).append(seconds)
            self.successes.append((when, endpoint))

    def error(self, endpoint: str, message: str) -> None:
        with self.lock:
            self.errors.append((time.monotonic(), endpoint, message))


class Client:
    """One signed-in director: cookies by hand, one connection per request (gunicorn's
    sync workers close connections anyway)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None, htmx: bool = False
    ) -> tuple[int, dict[str, str], str]:
        headers = {
            "Host": f"{self.host}:{self.port}",
            # What the municipality's reverse proxy adds after terminating TLS.
            "X-Forwarded-Proto": "https",
            "User-Agent": "udm-load-test",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{self.host}:{self.port}"
            headers["Referer"] = f"https://{self.host}:{self.port}{path}"
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        if htmx:
            headers["HX-Request"] = "true"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    cookie_name, _, rest = value.partition("=")
                    self.cookies[cookie_name.strip()] = rest.split(";", 1)[0]
            return response.status, {k.lower(): v for k, v in response.getheaders()}, text
        finally:
            connection.close()

    def login(self, username: str) -> None:
        status, _, page = self.request("GET", "/login/")
        token = CSRF_RE.search(page)
        if status != 200 or not token:
            raise RuntimeError(f"login page: {status}")
        status, headers, _ = self.request(
            "POST",
            "/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {username} failed: {status}")


def director_loop(
    client: Client,
    username: str,
    items: dict[str, int | None],
    stats: Stats,
    stop_at: float,
    think: float,
    run_id: str,
) -> None:
    rng = random.Random(username)
    sequence = 0
    item_ids = list(items)
    while time.monotonic() < stop_at:
        # 1. Report a status on one of my items.
        item_id = item_ids[sequence % len(item_ids)]
        sequence += 1
        colour = rng.choice(COLOURS)
        comment = f"{run_id}|{username}|{item_id}|{sequence}|{uuid.uuid4().hex[:8]} – æøå"
        body = {
            "colour": colour,
            "comment": comment,
            "red_reason": "stalled" if colour == "red" else "",
            "seen_report": str(items[item_id] or ""),
        }
        started = time.monotonic()
        try:
            status, headers, text = client.request(
                "POST", f"/plans/{PLAN}/items/{item_id}/status/", body, htmx=True
            )
        except OSError as error:
            stats.error("report", f"{type(error).__name__}: {error}")
            time.sleep(0.2)
            continue
        elapsed = time.monotonic() - started
        if status == 200 and "statusChanged" in headers.get("hx-trigger", ""):
            stats.record("report", elapsed, time.monotonic())
            with stats.lock:
                stats.accepted[comment] = (int(item_id), colour)
            seen = SEEN_RE.search(text)
            if seen:
                items[item_id] = int(seen.group(1) or seen.group(2) or 0) or None
        elif status == 200:
            with stats.lock:
                stats.conflicts += 1
            seen = SEEN_RE.search(text)
            if seen:
                items[item_id] = int(seen.group(1) or seen.group(2) or 0) or None
        else:
            stats.error("report", f"HTTP {status}")
        if think:
            time.sleep(rng.uniform(0, 2 * think))
        if time.monotonic() >= stop_at:
            break
        # 2. Read the overview.
        started = time.monotonic()
        try:
            status, _, text = client.request("GET", f"/plans/{PLAN}/")
        except OSError as error:
            stats.error("overview", f"{type(error).__name__}: {error}")
            time.sleep(0.2)
            continue
        elapsed = time.monotonic() - started
        if status == 200 and "</html>" in text:
            stats.record("overview", elapsed, time.monotonic())
        else:
            stats.error("overview", f"HTTP {status}")
        if think:
            time.sleep(rng.uniform(0, 2 * think))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], env=env, cwd=ROOT, check=True)


def wait_until_up(host: str, port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, _, _ = Client(host, port).request("GET", "/login/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--database", default="udm_load")
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="mean pause between a director's requests in seconds (0: as fast as possible)",
    )
    parser.add_argument("--restart-postgres", action="store_true")
    parser.add_argument(
        "--pg-cluster", default="15 main", help="version and name for pg_ctlcluster"
    )
    parser.add_argument("--keep-db", action="store_true", help="reuse the database as it is")
    args = parser.parse_args()
    host = "127.0.0.1"

    database_url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{host},localhost",
        "DATABASE_URL": database_url,
        "BIND": f"{host}:{args.port}",
        "WORKERS": "2",
        "DJANGO_SETTINGS_MODULE": "udmoentning.settings",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(ROOT / "staticfiles"),
    }

    print(f"Database {args.database}: migrate and load the demo …", flush=True)
    if not args.keep_db:
        subprocess.run(
            ["dropdb", "-h", host, "-U", "postgres", "--if-exists", args.database], check=True
        )
        subprocess.run(["createdb", "-h", host, "-U", "postgres", args.database], check=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo")
    setup = subprocess.run(
        [PY, "-c", SETUP_CODE, str(args.clients), PASSWORD],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    directors: dict[str, dict[str, int | None]] = json.loads(setup.stdout.strip().splitlines()[-1])

    print(f"Starting gunicorn on {host}:{args.port} (scripts/serve.sh) …", flush=True)
    log = open(Path(os.environ.get("TMPDIR", "/tmp")) / "udm_load_server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [str(ROOT / "scripts" / "serve.sh")],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until_up(host, args.port, 60)
        clients = {}
        for username in directors:
            client = Client(host, args.port)
            client.login(username)
            clients[username] = client
        print(f"{len(clients)} directors signed in; running for {args.seconds:.0f} s …", flush=True)

        stats = Stats()
        run_id = f"load-{uuid.uuid4().hex[:8]}"
        started = time.monotonic()
        stop_at = started + args.seconds
        threads = [
            threading.Thread(
                target=director_loop,
                args=(clients[u], u, directors[u], stats, stop_at, args.think, run_id),
                daemon=True,
            )
            for u in clients
        ]
        for thread in threads:
            thread.start()

        restart: dict[str, float] = {}
        if args.restart_postgres:
            time.sleep(args.seconds / 3)
            version, name = args.pg_cluster.split()
            restart["start"] = time.monotonic()
            print("Restarting PostgreSQL …", flush=True)
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],
                check=True,
            )
            restart["db_back"] = time.monotonic()
            print(
                f"PostgreSQL back after {restart['db_back'] - restart['start']:.1f} s", flush=True
            )

        for thread in threads:
            thread.join(timeout=args.seconds + 60)
        duration = time.monotonic() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()

    # --- figures -------------------------------------------------------------------
    recovered_after = None
    window_errors: list[tuple[float, str, str]] = []
    other_errors = list(stats.errors)
    if restart:
        after = sorted(t for t, _ in stats.successes if t >= restart["db_back"])
        recovered_at = after[0] if after else None
        if recovered_at is not None:
            recovered_after = recovered_at - restart["db_back"]
        window_end = recovered_at if recovered_at is not None else float("inf")
        window_errors = [e for e in stats.errors if restart["start"] <= e[0] <= window_end]
        other_errors = [e for e in stats.errors if e not in window_errors]

    total = sum(len(v) for v in stats.latencies.values()) + len(stats.errors) + stats.conflicts
    print()
    print(f"Duration {duration:.1f} s, {len(directors)} clients, think time {args.think} s")
    print(f"Requests: {total} ({total / duration:.1f} req/s)")
    for endpoint in ("report", "overview"):
        values = stats.latencies.get(endpoint, [])
        if values:
            print(
                f"  {endpoint:9s} n={len(values):5d}"
                f"  p50={statistics.median(values) * 1000:6.0f} ms"
                f"  p95={percentile(values, 0.95) * 1000:6.0f} ms"
                f"  max={max(values) * 1000:6.0f} ms"
            )
    print(f"Conflicts (someone reported the same item first): {stats.conflicts}")
    print(f"Errors outside a restart window: {len(other_errors)}")
    for _, endpoint, message in other_errors[:10]:
        print(f"  {endpoint}: {message}")
    if restart:
        print(f"Errors inside the restart window: {len(window_errors)}")
        if recovered_after is None:
            print("The application did NOT answer again after the restart.")
        else:
            print(f"Application answered again {recovered_after:.2f} s after PostgreSQL was back")

    # --- every accepted report exactly once, with its content --------------------------
    import psycopg

    with psycopg.connect(f"host={host} user=postgres dbname={args.database}") as db:
        rows = db.execute(
            "SELECT comment, item_id, colour, period, author_id, red_reason "
            "FROM plans_statusreport WHERE comment LIKE %s",
            [f"{run_id}|%"],
        ).fetchall()
    counts: dict[str, int] = {}
    content_ok = True
    half_saved = 0
    for comment, item_id, colour, period, author_id, red_reason in rows:
        counts[comment] = counts.get(comment, 0) + 1
        _, username, item_in_comment, _, _ = comment.split("|")
        if int(item_in_comment) != item_id or period is None or author_id is None:
            half_saved += 1
        if (colour == "red") != (red_reason == "stalled"):
            half_saved += 1
        expected = stats.accepted.get(comment)
        if expected is not None and expected != (item_id, colour):
            content_ok = False
    lost = [c for c in stats.accepted if counts.get(c, 0) == 0]
    duplicated = [c for c, n in counts.items() if n > 1]
    unconfirmed = [c for c in counts if c not in stats.accepted]
    print()
    print(f"Accepted reports: {len(stats.accepted)}; in the database: {len(rows)}")
    print(f"  lost: {len(lost)}  duplicated: {len(duplicated)}  content differs: {not content_ok}")
    print(f"  saved but not confirmed to the client (request cut off): {len(unconfirmed)}")
    print(f"  half-saved: {half_saved}")

    report_p95 = percentile(stats.latencies.get("report", []), 0.95)
    goals = {
        "zero errors outside the restart window": not other_errors,
        "zero lost or duplicated reports": not lost and not duplicated and content_ok,
        "no half-saved report": half_saved == 0,
        "p95 of the report POST under 300 ms": report_p95 < 0.3,
    }
    if restart:
        goals["answers within 5 s after PostgreSQL is back"] = (
            recovered_after is not None and recovered_after < 5
        )
    print()
    for goal, met in goals.items():
        print(f"  [{'x' if met else ' '}] {goal}")
    return 0 if all(goals.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
