#!/usr/bin/env python3
"""A real SMTP server for barraiser's tests, built on aiosmtpd.

Listens on 127.0.0.1:PORT and saves each accepted message as DIR/<ns>-<n>.eml
(written to a temporary name, then renamed, so readers never see half a file).
With --reply 550 or --reply 451 it refuses every recipient with that code.
With --delay SECONDS it takes that long to accept each message (a slow server).
With --tls-cert/--tls-key it offers STARTTLS and requires it before any mail.
Prints "LISTENING <port>" once ready, and runs until its stdin closes or it is killed.
"""
import argparse
import asyncio
import itertools
import os
import ssl
import sys
import time

from aiosmtpd.controller import Controller

REPLIES = {
    550: "550 5.1.1 Mailbox unavailable",
    451: "451 4.3.0 Temporary failure, try again later",
}


class Handler:
    def __init__(self, out_dir, reply, delay=0.0):
        self.out_dir = out_dir
        self.reply = reply
        self.delay = delay
        self.counter = itertools.count()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reply:
            return REPLIES[self.reply]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        name = f"{time.time_ns()}-{next(self.counter)}.eml"
        tmp = os.path.join(self.out_dir, "." + name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, os.path.join(self.out_dir, name))
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--reply", type=int, choices=sorted(REPLIES))
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    tls = {}
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        tls = {"tls_context": context, "require_starttls": True}
    controller = Controller(Handler(args.dir, args.reply, args.delay), hostname="127.0.0.1", port=args.port, **tls)
    controller.start()
    print(f"LISTENING {args.port}", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
