"""Verifies webhooks with the Standard Webhooks reference library (PyPI
`standardwebhooks`), independent of the service's own signing. Reads
{"secret", "requests": [{"headers", "body"}]} on stdin and prints one line
per request: "verified" or "refused: <reason>"."""

import json
import sys

from standardwebhooks.webhooks import Webhook

given = json.load(sys.stdin)
hook = Webhook(given["secret"])
for request in given["requests"]:
    try:
        hook.verify(request["body"], request["headers"])
        print("verified")
    except Exception as e:  # the library raises WebhookVerificationError
        print(f"refused: {e}")
