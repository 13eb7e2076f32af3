#!/usr/bin/env python3
"""The live debrief benchmark: `python3 benches/live.py --postgres URL`
(add `--write` to put the table into docs/performance.md).

It builds the release binary, seeds the 1,000-loop data set into a fresh
PostgreSQL database, starts two instances of the service on it (as behind a
load balancer), and opens 1,000 event streams on one loop in debrief, half on
each instance. Then the loop's bar raiser adds a note through the first
instance twenty times, half a second apart, and every stream times the
note's arrival: the latency from the request to each delivery (p50, p99,
max, over all 20,000 deliveries), and how many arrived. It also records
the services' resident memory before and after the streams opened, per
stream. Without `--postgres` it runs one instance on SQLite.
"""

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from load import ADMIN, BIN, OFF, PASSWORD, ROOT, free_port, http, login, rss_mb, write_block  # noqa: E402

STREAMS = 1_000
NOTES = 20
GAP = 0.5


async def follow(port, path, token, arrivals, opened):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        f"Accept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    status = await reader.readline()
    if b" 200 " not in status:
        raise RuntimeError(f"stream refused: {status!r}")
    while (await reader.readline()) not in (b"\r\n", b""):
        pass
    opened.append(1)
    try:
        while True:
            line = await reader.readline()
            if not line:
                return
            if line.startswith(b"id:"):
                arrivals.append(time.monotonic())
    finally:
        writer.close()


async def drive(ports, loop_id, token, br_token, servers):
    path = f"/api/v1/loops/{loop_id}/debrief/stream"
    # Start after the loop's latest event: only the notes count.
    events = http("GET", f"http://127.0.0.1:{ports[0]}/api/v1/loops/{loop_id}/events?limit=200", token)
    after = max([e["seq"] for e in events["items"]] or [0])
    path += f"?after={after}"
    before = sum(rss_mb(s.pid, "VmRSS") for s in servers)
    arrivals = [[] for _ in range(STREAMS)]
    opened = []
    tasks = [
        asyncio.create_task(follow(ports[i % len(ports)], path, token, arrivals[i], opened))
        for i in range(STREAMS)
    ]
    while len(opened) < STREAMS:
        await asyncio.sleep(0.05)
        for t in tasks:
            if t.done() and t.exception():
                raise t.exception()
    await asyncio.sleep(1)
    after_open = sum(rss_mb(s.pid, "VmRSS") for s in servers)
    sent = []
    base = f"http://127.0.0.1:{ports[0]}"
    for n in range(NOTES):
        t0 = time.monotonic()
        await asyncio.to_thread(
            http, "POST", f"{base}/api/v1/loops/{loop_id}/debrief/notes", br_token,
            {"text": f"Benchmark note {n}: ask about the on-call rotation."},
        )
        sent.append(t0)
        await asyncio.sleep(GAP)
    await asyncio.sleep(2)
    latencies = []
    delivered = 0
    for a in arrivals:
        delivered += min(len(a), NOTES)
        for t0, t in zip(sent, a):
            latencies.append((t - t0) * 1000)
    for t in tasks:
        t.cancel()
    latencies.sort()
    pct = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else float("nan")
    return {
        "delivered": delivered,
        "expected": STREAMS * NOTES,
        "p50": pct(0.50),
        "p99": pct(0.99),
        "max": latencies[-1] if latencies else float("nan"),
        "rss_before": before,
        "rss_after": after_open,
        "kb_per_stream": (after_open - before) * 1024 / STREAMS,
    }


def main():
    import resource
    # 1,000 sockets here and in the services (which inherit the limit).
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="a PostgreSQL server URL; a database is created on it")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    tmp = tempfile.mkdtemp(prefix="barraiser-live-")
    if args.postgres:
        name = "barraiser_live_bench"
        subprocess.run(["psql", args.postgres, "-q", "-c", f"DROP DATABASE IF EXISTS {name}", "-c", f"CREATE DATABASE {name}"], check=True)
        url = args.postgres.rsplit("/", 1)[0] + "/" + name
        instances = 2
    else:
        url = os.path.join(tmp, "live.db")
        instances = 1
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": url,
        "BARRAISER_ADMIN_EMAIL": ADMIN[0],
        "BARRAISER_ADMIN_PASSWORD": ADMIN[1],
        "MAIL_WORKER": "off",
        "MAIL_TRANSPORT": "log",
        "RUST_LOG": "warn",
        # One admin holds every stream here; people hold at most 8 in use.
        "LIVE_STREAMS_PER_PERSON": str(STREAMS),
        "JWT_SECRET": "live-benchmark-secret-0123456789abcdef",
    })
    subprocess.run([BIN, "dataset", "--loops", "1000"], env=env, capture_output=True, check=True)
    ports, servers = [], []
    for _ in range(instances):
        port = free_port()
        e = dict(env, BIND=f"127.0.0.1:{port}")
        servers.append(subprocess.Popen([BIN, "serve"], env=e, stderr=subprocess.DEVNULL))
        ports.append(port)
        for _ in range(100):
            try:
                http("GET", f"http://127.0.0.1:{port}/healthz")
                break
            except Exception:
                time.sleep(0.1)
    try:
        base = f"http://127.0.0.1:{ports[0]}"
        admin = login(base, *ADMIN)
        loop_id = OFF + 1 + 5  # in debrief in the data set
        lp = http("GET", f"{base}/api/v1/loops/{loop_id}", admin)
        assert lp["status"] == "in_debrief", lp["status"]
        br = login(base, f"d{lp['bar_raiser_id'] - OFF - 1}@dataset.test", PASSWORD)
        result = asyncio.run(drive(ports, loop_id, admin, br, servers))
    finally:
        for s in servers:
            s.send_signal(signal.SIGTERM)
            s.wait()
    backend = f"PostgreSQL, {instances} instances" if args.postgres else "SQLite, 1 instance"
    text = "\n".join([
        f"{backend}, {STREAMS:,} streams on one loop, {NOTES} events, {time.strftime('%Y-%m-%d')}",
        "",
        "| delivered | p50 | p99 | max | memory per open stream |",
        "| --- | --- | --- | --- | --- |",
        f"| {result['delivered']:,} of {result['expected']:,} | {result['p50']:.0f} ms | {result['p99']:.0f} ms "
        f"| {result['max']:.0f} ms | {result['kb_per_stream']:.1f} KB ({result['rss_before']:.0f} → {result['rss_after']:.0f} MB) |",
    ])
    print(text)
    if args.write:
        write_block(f"live:{'postgres' if args.postgres else 'sqlite'}", text)


if __name__ == "__main__":
    main()
