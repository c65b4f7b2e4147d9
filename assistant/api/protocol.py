"""uvicorn's HTTP protocol with the API's error envelope for requests it cannot parse.

When a request cannot even be parsed (a URL over the parser's limit of about 64 KB, broken
framing), uvicorn answers ``400 Invalid HTTP request received.`` in plain text before the app sees
anything. ``serve`` runs this subclass instead, so such clients get the same JSON
``{"error": {"code", "message"}}`` as every other error.
"""

from __future__ import annotations

import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

BAD_REQUEST_BODY = json.dumps(
    {
        "error": {
            "code": "bad_http_request",
            "message": "HTTP 请求无法解析（例如网址超过 64 KB）：请缩短网址，长内容请放在 POST 请求体中。",
        }
    },
    ensure_ascii=False,
).encode("utf-8")


class JsonErrorHttpToolsProtocol(HttpToolsProtocol):
    """``HttpToolsProtocol`` whose parse-error 400 carries the JSON error envelope."""

    def send_400_response(self, msg: str) -> None:
        """Answer an unparsable request with 400 and the error envelope, then close."""
        head = [b"HTTP/1.1 400 Bad Request\r\n"]
        for name, value in self.server_state.default_headers:
            head.extend([name, b": ", value, b"\r\n"])
        head.extend(
            [
                b"content-type: application/json\r\n",
                b"content-length: " + str(len(BAD_REQUEST_BODY)).encode("ascii") + b"\r\n",
                b"connection: close\r\n",
                b"\r\n",
            ]
        )
        self.transport.write(b"".join(head) + BAD_REQUEST_BODY)
        self.transport.close()


# A server stops within this many seconds of SIGTERM, whatever its requests are doing.
GRACEFUL_SHUTDOWN_S = 5


def uvicorn_options() -> dict[str, object]:
    """Keyword arguments for ``uvicorn.run``/``uvicorn.Config`` that ``serve`` (and the tests) use."""
    return {"http": JsonErrorHttpToolsProtocol, "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_S}
