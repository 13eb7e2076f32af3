"""A webhook receiver for the tests: answers each POST with the next status
of --answers (the last one repeats), keeps every request, and lists them at
GET /received as JSON ({headers, body, answered}). Prints LISTENING <port>."""

import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--answers", default="204")
args = parser.parse_args()
answers = [int(a) for a in args.answers.split(",")]
received = []
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        with lock:
            status = answers[min(len(received), len(answers) - 1)]
            received.append(
                {
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body.decode("utf-8"),
                    "answered": status,
                }
            )
        self.send_response(status)
        self.send_header("content-length", "0")
        self.end_headers()

    def do_GET(self):
        with lock:
            out = json.dumps(received).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *_):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"LISTENING {server.server_address[1]}", flush=True)
server.serve_forever()
