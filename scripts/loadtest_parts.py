"""The parts of scripts/loadtest: a fresh PostgreSQL database, citizens logged in through their
personal links, wrk and its Lua script, and the CPU each process used during a measurement.

Loopback only: every address here is 127.0.0.1. Run by scripts/loadtest (see its --help).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

# The browser every request claims to be (wrk's and the log-ins' alike: the session a citizen
# logs in with is bound to it, as in a browser).
AGENT = "rettidig-loadtest/1"

LUA = """
local paths = {%(paths)s}
local cookies = {%(cookies)s}
local n = #paths
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  local i = math.random(n)
  local headers = {["User-Agent"] = "%(agent)s"}
  if cookies[i] ~= "" then headers["Cookie"] = cookies[i] end
  return wrk.format("GET", paths[i], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, '
    .. '"max_us": %%d, "connect": %%d, "read": %%d, "write": %%d, "status": %%d, '
    .. '"timeout": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def step(text: str) -> None:
    print(f"[loadtest] {text}", flush=True)


# --- the database and the citizens --------------------------------------------------------


def fresh_database(admin_url: str, name: str) -> str:
    from sqlalchemy import create_engine, text

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :n AND pid <> pg_backend_pid()"
            ),
            {"n": name},
        )
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def drop_database(admin_url: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :n AND pid <> pg_backend_pid()"
            ),
            {"n": name},
        )
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def citizens_to_log_in(env: dict[str, str], count: int) -> list[tuple[str, int]]:
    """(personal-link token, a bookable obligation id) for up to ``count`` citizens who have a
    conversation they can book themselves (the slot list shows free times, no redirect)."""
    os.environ.update(env)
    from sqlalchemy import select

    from booking import create_app
    from booking.db import db
    from booking.extensions import settings
    from booking.models import Citizen
    from booking.services import accounts, citizen_view

    app = create_app()
    chosen: list[tuple[str, int]] = []
    with app.app_context(), db.fresh_session() as session:
        cfg = settings()
        for citizen in session.scalars(select(Citizen).order_by(Citizen.id)):
            overview = citizen_view.citizen_overview(session, citizen, cfg)
            bookable = [d for d in overview.due if d.status == "bookable"]
            if bookable:
                token = accounts.citizen_link_token(cfg.app.secret_key, citizen)
                chosen.append((token, bookable[0].obligation.id))
            if len(chosen) >= count:
                break
        db.engine.dispose()
    return chosen


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


def _headers(cookie: str) -> dict[str, str]:
    return {"User-Agent": AGENT, **({"Cookie": cookie} if cookie else {})}


def _open(base: str, path: str, cookie: str) -> tuple[int, list[str]]:
    """GET without following a redirect: the status and the cookies the answer sets."""
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(base + path, headers=_headers(cookie))
    try:
        with opener.open(request, timeout=30) as r:
            return r.status, r.headers.get_all("Set-Cookie") or []
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get_all("Set-Cookie") or []


def _merged(cookie: str, set_cookies: list[str]) -> str:
    jar = dict(c.split("=", 1) for c in cookie.split("; ") if c)
    jar.update(c.split(";", 1)[0].split("=", 1) for c in set_cookies)
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def log_in(base: str, token: str) -> str:
    """Open the personal link and then the home page, keeping every cookie set on the way as
    a browser does; the Cookie header the citizen's browser then sends. A page view after that
    must set no cookie (otherwise wrk, which replays this header, would make every request
    re-sign a session that a browser would have stored once)."""
    status, set_cookies = _open(base, f"/b/{token}", "")
    if status != 302:
        raise SystemExit(f"personal link answered {status}")
    cookie = _merged("", set_cookies)
    status, set_cookies = _open(base, "/borger/", cookie)
    if status != 200:
        raise SystemExit(f"the citizen's home answered {status} after the personal link")
    cookie = _merged(cookie, set_cookies)
    status, set_cookies = _open(base, "/borger/", cookie)
    if status != 200 or set_cookies:
        raise SystemExit(f"the citizen's session did not settle: {status}, {set_cookies}")
    return cookie


def get(base: str, path: str, cookie: str) -> tuple[int, str]:
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(base + path, headers=_headers(cookie))
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, ""
    except OSError:  # not listening yet
        return 0, ""


def audit_counts(db_url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT action, count(*) FROM audit_log GROUP BY action")).all()
    engine.dispose()
    return {str(a): int(n) for a, n in rows}


# --- CPU accounting: what else ran during a measurement ------------------------------------


def cpu_ticks() -> dict[int, tuple[str, int, int]]:
    """pid → (command, parent pid, utime + stime in clock ticks) for every process."""
    out: dict[int, tuple[str, int, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        out[int(entry.name)] = (comm, int(fields[1]), int(fields[11]) + int(fields[12]))
    return out


def cpu_split(
    before: dict, after: dict, ours: set[int], seconds: float, wrk_seconds: float
) -> dict[str, float]:
    """Cores used during the interval: by gunicorn, wrk (a child that has ended: its CPU time
    from os.times), PostgreSQL and everything else."""
    hz = os.sysconf("SC_CLK_TCK")
    used = {"gunicorn": 0.0, "wrk": wrk_seconds / seconds, "postgres": 0.0, "other": 0.0}
    for pid, (comm, _ppid, ticks) in after.items():
        delta = ticks - before.get(pid, (comm, 0, 0))[2]
        if delta <= 0:
            continue
        if pid in ours:
            key = "gunicorn"
        elif comm == "wrk":
            key = "wrk"
        elif comm.startswith("postgres") or comm.startswith("postmaster"):
            key = "postgres"
        else:
            key = "other"
        used[key] += delta / hz / seconds
    return used


def process_tree(root: int) -> set[int]:
    table = cpu_ticks()
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, (_comm, ppid, _t) in table.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return tree


# --- wrk ----------------------------------------------------------------------------------


def lua_list(items: list[str]) -> str:
    return ", ".join(json.dumps(i) for i in items)


def write_script(folder: Path, page: str, logins: list[tuple[str, int]]) -> Path:
    if page == "health":
        paths, cookies = ["/health"], [""]
    elif page == "home":
        paths = ["/borger/"] * len(logins)
        cookies = [c for c, _ob in logins]
    else:
        paths = [f"/borger/samtale/{ob}" for _c, ob in logins]
        cookies = [c for c, _ob in logins]
    script = folder / f"{page}.lua"
    script.write_text(
        LUA % {"paths": lua_list(paths), "cookies": lua_list(cookies), "agent": AGENT}
    )
    return script


def run_wrk(args: argparse.Namespace, base: str, script: Path, seconds: int) -> dict:
    cmd = [
        "wrk",
        f"-t{args.wrk_threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        base,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("RESULT "))
    result: dict = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result
