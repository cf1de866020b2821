"""nginx re-resolves the API's name (nginx.conf's upstream: `server api:... resolve`): it
starts before the name exists, and follows the name to a new address without a reload —
what a recreated or rescheduled API container does. A DNS server on loopback plays
compose's, and two small HTTP servers on 127.0.0.2 and 127.0.0.3 play the API before and
after it moved. The upstream block and the proxying are the production files."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
import httpx

from ariaforge.core.embedded import free_port
from tests.conftest import outside_pytest_tmp
from tests.stack.front import start_nginx

POLL_LIMIT = 80  # tries, 0.25 s apart: nginx re-resolves every second here (valid=1s)


class LoopbackDns:
    """Answers every A query with `address`, or NXDOMAIN while it is None."""

    def __init__(self) -> None:
        self.address: str | None = None
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.settimeout(0.2)
        self.port: int = self._socket.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self._socket.recvfrom(4096)
            except TimeoutError:
                continue
            query = dns.message.from_wire(data)
            answer = dns.message.make_response(query)
            question = query.question[0]
            if self.address and question.rdtype == dns.rdatatype.A:
                answer.answer.append(dns.rrset.from_text(question.name, 1, "IN", "A",
                                                         self.address))
            else:
                answer.set_rcode(dns.rcode.NXDOMAIN)
            self._socket.sendto(answer.to_wire(), peer)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._socket.close()


@contextmanager
def api_stand_in(address: str, port: int) -> Iterator[None]:
    """An HTTP server on `address` that answers every GET with that address."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = address.encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer((address, port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


def _wait_for_answer(url: str, expected: str) -> list[int]:
    """Poll until nginx answers 200 with `expected`; the statuses seen on the way."""
    seen = []
    for _ in range(POLL_LIMIT):
        answer = httpx.get(url, timeout=10)
        seen.append(answer.status_code)
        if answer.status_code == 200 and answer.text == expected:
            return seen
        time.sleep(0.25)
    raise AssertionError(f"nginx never answered {expected!r}; statuses {seen}")


def test_nginx_follows_the_api_name_to_its_new_address() -> None:
    dns_server = LoopbackDns()
    port, api_port = free_port(), free_port()
    try:
        with outside_pytest_tmp() as folder, start_nginx(
                Path(folder) / "nginx", port, [f"api:{api_port}"],
                resolver=f"127.0.0.1:{dns_server.port}"):
            url = f"http://127.0.0.1:{port}/health"
            # Started while `api` does not resolve: nginx runs and answers 502 meanwhile.
            assert httpx.get(url, timeout=10).status_code == 502
            with api_stand_in("127.0.0.2", api_port):
                dns_server.address = "127.0.0.2"
                _wait_for_answer(url, "127.0.0.2")
            # The API moved: the old address is gone, the name points at the new one.
            with api_stand_in("127.0.0.3", api_port):
                dns_server.address = "127.0.0.3"
                _wait_for_answer(url, "127.0.0.3")
                # and stays there: every answer now comes from the new address.
                assert {httpx.get(url, timeout=10).text for _ in range(5)} == {"127.0.0.3"}
    finally:
        dns_server.close()
