#!/usr/bin/env python3
"""The load benchmark: `python3 benches/load.py` (add `--postgres URL` for
PostgreSQL, `--write` to put the tables into docs/performance.md).

It builds the release binary, seeds a data set (`barraiser dataset`) of 1,000
and of 100,000 loops into a fresh database, starts the service, and drives it
over loopback with wrk (installed from Debian's packages when missing) at 64
connections, 10 s per case after 2 s unmeasured: the ceiling (`GET /healthz`), the reads people make
most, draft writes, sign-ins, and a sign-in storm beside the reads. It records
requests per second, p50 and p99 latency, errors, and the service's peak RSS,
with each throughput's ratio to `/healthz` in the same run.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The release binary cargo builds: under CARGO_TARGET_DIR when it is set.
BIN = os.path.join(os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target"), "release", "barraiser")
OFF = 1_000_000
PASSWORD = "dataset-password-1"
ADMIN = ("admin@bench.test", "bench-password-123")
CONNECTIONS = 64
DURATION = "10s"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def http(method, url, token=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req) as res:
        return json.loads(res.read() or b"null")


def login(base, email, password):
    return http("POST", f"{base}/api/v1/auth/login", body={"email": email, "password": password})["access_token"]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def browser_session(base, email, password):
    """Signs in through the sign-in form, as a browser does; returns the
    `session` cookie's value (a browser session's key, not an API token)."""
    import http.cookiejar
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    form = opener.open(f"{base}/login").read().decode()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode({"csrf_token": csrf, "email": email, "password": password, "next": "/"}).encode()
    try:
        opener.open(urllib.request.Request(f"{base}/login", data=body, method="POST"))
    except urllib.error.HTTPError as e:
        if e.code != 303:
            raise
    return next(c.value for c in jar if c.name == "session")


SIGN_IN_ROTATION = """
counter = 0
request = function()
  counter = counter + 1
  local body = string.format('{"email":"d%d@dataset.test","password":"%s"}', 200 + counter % 1800, "PASSWORD")
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
"""


WARM_UP = "2s"
# The length of the next wrk runs that do not name their own: each case runs
# for WARM_UP first, unmeasured, then for DURATION.
RUN = {"duration": DURATION}
# With `--only`, the cases whose names contain one of these words (and the
# ceiling); empty for the whole benchmark.
ONLY = []


def wrk(url, token=None, method="GET", body=None, duration=None, sign_ins=False, cookie=None):
    """Runs wrk; returns (requests/s, p50 ms, p99 ms, errors). With
    `sign_ins`, every request signs in a different dataset account in turn, so
    the per-account throttle (ten checks in flight) does not answer 429."""
    lua = []
    if sign_ins:
        lua.append(SIGN_IN_ROTATION.replace("PASSWORD", PASSWORD))
    if token:
        lua.append(f'wrk.headers["Authorization"] = "Bearer {token}"')
    if cookie:
        # A browser's page view, with a browser session's cookie.
        lua.append(f'wrk.headers["Cookie"] = "session={cookie}"')
        lua.append('wrk.headers["Accept"] = "text/html"')
    if body is not None:
        lua.append(f'wrk.method = "{method}"')
        lua.append('wrk.headers["Content-Type"] = "application/json"')
        lua.append(f"wrk.body = {json.dumps(json.dumps(body))}")
    lua.append("done = function(summary, latency, requests)")
    lua.append('  io.write(string.format("RESULT %f %f %f %d %d\\n", summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.requests))')
    lua.append("end")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write("\n".join(lua))
        script = f.name
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration or RUN['duration']}", "-s", script, url],
        capture_output=True, text=True, check=True,
    ).stdout
    os.unlink(script)
    m = re.search(r"RESULT (\S+) (\S+) (\S+) (\d+) (\d+)", out)
    rps, p50, p99, errors, _ = m.groups()
    return float(rps), float(p50), float(p99), int(errors)


def rss_mb(pid, field="VmHWM"):
    """The resident set (`VmRSS`) or its peak (`VmHWM`) of a process, in MB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def run(loops, database_url):
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url,
        "BARRAISER_ADMIN_EMAIL": ADMIN[0],
        "BARRAISER_ADMIN_PASSWORD": ADMIN[1],
        "MAIL_WORKER": "off",
        "MAIL_TRANSPORT": "log",
        "RUST_LOG": "warn",
        # The insights pages read figures a worker keeps; kept once before
        # the cases (see `keep_insights`), they stay fresh through the run.
        "INSIGHTS_REFRESH_SECS": "3600",
    })
    seeded = subprocess.run([BIN, "dataset", "--loops", str(loops)], env=env, capture_output=True, text=True, check=True)
    print(seeded.stdout.strip(), file=sys.stderr)
    # The data set is hundreds of megabytes just written: let the kernel write
    # it out now rather than during the first cases.
    os.sync()
    port = free_port()
    env["BIND"] = f"127.0.0.1:{port}"
    server = subprocess.Popen([BIN, "serve"], env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            http("GET", f"{base}/healthz")
            break
        except Exception:
            time.sleep(0.1)
    try:
        admin = login(base, *ADMIN)
        # A decided loop (index 7), its bar raiser reads the packet; a
        # scheduled loop (index 2) whose third interview has no feedback yet.
        decided = OFF + 1 + 7
        lp = http("GET", f"{base}/api/v1/loops/{decided}", admin)
        bar_raiser = lp["bar_raiser_id"] - OFF - 1
        br = login(base, f"d{bar_raiser}@dataset.test", PASSWORD)
        admin_browser = browser_session(base, *ADMIN)
        br_browser = browser_session(base, f"d{bar_raiser}@dataset.test", PASSWORD)
        recruiter = lp["recruiter_id"] - OFF - 1
        recruiter_browser = browser_session(base, f"d{recruiter}@dataset.test", PASSWORD)
        keep_insights(env, base, recruiter_browser)
        scheduled = http("GET", f"{base}/api/v1/loops/{OFF + 1 + 2}", admin)
        draft_interview = scheduled["interviews"][2]
        interviewer = draft_interview["interviewer_id"] - OFF - 1
        writer = login(base, f"d{interviewer}@dataset.test", PASSWORD)
        interviewer_browser = browser_session(base, f"d{interviewer}@dataset.test", PASSWORD)
        draft = {
            "ratings": [{"competency_id": draft_interview["competency_ids"][0], "rating": 3,
                         "evidence": "Traced the outage to a schema change, rolled back within the hour."}],
            "vote": "hire",
            "summary": "Specific answers.",
        }
        cases = [
            ("`GET /healthz` (the ceiling)", lambda: wrk(f"{base}/healthz")),
            ("`GET /api/v1/loops/{id}`", lambda: wrk(f"{base}/api/v1/loops/{decided}", admin)),
            ("`GET /api/v1/loops` (first page)", lambda: wrk(f"{base}/api/v1/loops", admin)),
            # Twenty items: the bar raiser has 22 interviews in the 1,000-loop
            # set and 2,174 in the 100,000-loop one, so both pages carry the
            # same work and only the data behind them grows.
            ("`GET /api/v1/me/interviews?limit=20`", lambda: wrk(f"{base}/api/v1/me/interviews?limit=20", br)),
            ("`GET /api/v1/loops/{id}/debrief`", lambda: wrk(f"{base}/api/v1/loops/{decided}/debrief", br)),
            ("`GET /loops/{id}` (web page)", lambda: wrk(f"{base}/loops/{decided}", cookie=admin_browser)),
            ("`GET /` (home page, a bar raiser)", lambda: wrk(f"{base}/", cookie=br_browser)),
            ("`GET /` (home page, an interviewer)", lambda: wrk(f"{base}/", cookie=interviewer_browser)),
            ("`GET /` (home page, a recruiter)", lambda: wrk(f"{base}/", cookie=recruiter_browser)),
            ("`GET /loops/{id}/debrief` (the debrief room)", lambda: wrk(f"{base}/loops/{decided}/debrief", cookie=br_browser)),
            ("`GET /insights` (a recruiter)", lambda: wrk(f"{base}/insights", cookie=recruiter_browser)),
            ("`PUT /api/v1/interviews/{id}/feedback` (drafts)", lambda: wrk(f"{base}/api/v1/interviews/{draft_interview['id']}/feedback", writer, "PUT", draft)),
            ("`POST /api/v1/auth/login`", lambda: wrk(f"{base}/api/v1/auth/login", sign_ins=True)),
        ]
        rows = []
        ceiling = None
        for name, case in cases:
            if ONLY and name != cases[0][0] and not any(o in name for o in ONLY):
                continue
            # Unmeasured first: statement caches, the page cache and the
            # blocking threads settle before the count.
            RUN["duration"] = WARM_UP
            case()
            RUN["duration"] = DURATION
            rps, p50, p99, errors = case()
            ceiling = ceiling or rps
            rows.append((name, rps, p50, p99, errors, rps / ceiling))
            print(f"{loops} {name}: {rps:.0f}/s p50 {p50:.1f} ms p99 {p99:.1f} ms errors {errors}; "
                  f"RSS {rss_mb(server.pid, 'VmRSS'):.0f} MB, peak {rss_mb(server.pid, 'VmHWM'):.0f} MB", file=sys.stderr)
        if ONLY:
            return rows, rss_mb(server.pid)
        # A sign-in storm beside the loop reads: both wrk at once.
        storm = subprocess.Popen(
            [sys.executable, __file__, "--storm", base],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        time.sleep(1)
        rps, p50, p99, errors = wrk(f"{base}/api/v1/loops/{decided}", admin)
        storm.wait()
        rows.append(("`GET /api/v1/loops/{id}` beside a sign-in storm", rps, p50, p99, errors, rps / ceiling))
        rss = rss_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait()
    return rows, rss


def keep_insights(env, base, cookie):
    """Runs the worker (`barraiser worker`) until the insights it keeps are
    there, as they are where a worker runs beside the service: the page then
    reads them instead of computing the figures on every request."""
    worker = subprocess.Popen([BIN, "worker"], env=env, stderr=subprocess.DEVNULL)
    try:
        req = urllib.request.Request(f"{base}/insights", headers={"Cookie": f"session={cookie}"})
        for _ in range(600):
            with urllib.request.urlopen(req) as res:
                if 'id="as-of"' in res.read().decode():
                    return
            time.sleep(0.5)
        raise RuntimeError("the worker kept no insights within five minutes")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait()


def storm(base):
    wrk(f"{base}/api/v1/auth/login", duration="12s", sign_ins=True)


def table(title, rows, rss):
    lines = [f"{title} — peak RSS of the service {rss:.0f} MB", "",
             "| case | requests/s | p50 | p99 | errors | × `/healthz` |",
             "| --- | --- | --- | --- | --- | --- |"]
    for name, rps, p50, p99, errors, ratio in rows:
        lines.append(f"| {name} | {rps:,.0f} | {p50:.1f} ms | {p99:.1f} ms | {errors} | {ratio:.1%} |")
    return "\n".join(lines)


def write_block(name, text):
    """Puts `text` between `<!-- name -->` and `<!-- /name -->` in
    docs/performance.md (at its end the first time)."""
    path = os.path.join(ROOT, "docs", "performance.md")
    doc = open(path).read()
    marker, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    block = f"{marker}\n{text}\n{end}"
    if marker in doc:
        doc = re.sub(re.escape(marker) + ".*?" + re.escape(end), lambda _: block, doc, flags=re.S)
    else:
        doc += "\n" + block + "\n"
    open(path, "w").write(doc)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="a PostgreSQL server URL; a database per data set is created on it")
    parser.add_argument("--write", action="store_true", help="write the tables into docs/performance.md")
    parser.add_argument("--loops", default="1000,100000", help="the data sets' sizes, comma-separated")
    parser.add_argument("--only", action="append", default=[],
                        help="run only the cases whose names contain this (repeatable; for a quick look, not with --write)")
    parser.add_argument("--storm", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.storm:
        storm(args.storm)
        return
    sizes = [int(n) for n in args.loops.split(",")]
    if args.write and (args.only or sizes != [1_000, 100_000]):
        parser.error("--write records the whole benchmark: leave out --only and --loops")
    ONLY.extend(args.only)
    if shutil.which("wrk") is None:
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    out = []
    for loops in sizes:
        tmp = tempfile.mkdtemp(prefix="barraiser-load-")
        if args.postgres:
            name = f"barraiser_load_{loops}"
            admin_url = args.postgres
            subprocess.run(["psql", admin_url, "-q", "-c", f"DROP DATABASE IF EXISTS {name}", "-c", f"CREATE DATABASE {name}"], check=True)
            url = admin_url.rsplit("/", 1)[0] + "/" + name
            backend = "PostgreSQL"
        else:
            url = os.path.join(tmp, "load.db")
            backend = "SQLite"
        rows, rss = run(loops, url)
        out.append(table(f"{backend}, {loops:,} loops, {time.strftime('%Y-%m-%d')}", rows, rss))
        shutil.rmtree(tmp, ignore_errors=True)
    text = "\n\n".join(out)
    print(text)
    if args.write:
        write_block(f"load:{'postgres' if args.postgres else 'sqlite'}", text)


if __name__ == "__main__":
    main()
