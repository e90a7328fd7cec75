"""A load generator in a process of its own, light enough not to be what is measured.

    python -m bench.load_client HOST PORT CONCURRENCY < requests > result.json

`CONCURRENCY` keep-alive HTTP/1.1 connections on one event loop (uvloop, with httptools
parsing the answers; both come with uvicorn[standard]) send the requests read from stdin:
complete requests, each after its length (`framed`). Each connection sends its next request as
soon as its last answer is complete. Every request is built before the clock starts, so the
client spends under 20 µs on each. Threads with httpx spent about 0.6 ms of one interpreter per
request: against uvicorn answering at once they topped out near 1,500 req/s, which this client
takes past 40,000 on the same two cores. Prints one JSON object: seconds, each request's
latency, and the count of each answer status.
"""

from __future__ import annotations

import asyncio
import json
import struct
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import cast

import httptools
import uvloop

LENGTH = struct.Struct(">I")


def framed(requests: Sequence[bytes]) -> bytes:
    """The requests as this client reads them from stdin: each after its length."""
    return b"".join(LENGTH.pack(len(request)) + request for request in requests)


def unframed(data: bytes) -> list[bytes]:
    requests, at = [], 0
    while at < len(data):
        (length,) = LENGTH.unpack_from(data, at)
        at += LENGTH.size
        requests.append(data[at : at + length])
        at += length
    return requests


class Connection(asyncio.Protocol):
    """One keep-alive connection: a request written, its answer parsed, then the next."""

    def __init__(self) -> None:
        self.parser = httptools.HttpResponseParser(self)
        self.transport: asyncio.Transport | None = None
        self.answered: asyncio.Future[int] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's own class, not a subclass

    def data_received(self, data: bytes) -> None:
        self.parser.feed_data(data)

    def on_message_complete(self) -> None:  # httptools' callback: the whole answer is in
        assert self.answered is not None
        self.answered.set_result(self.parser.get_status_code())

    def connection_lost(self, exc: Exception | None) -> None:
        if self.answered is not None and not self.answered.done():
            self.answered.set_exception(exc or ConnectionError("the server closed the connection"))

    async def send(self, request: bytes) -> int:
        assert self.transport is not None
        self.answered = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return await self.answered


async def run(host: str, port: int, concurrency: int, requests: list[bytes]) -> dict[str, object]:
    numbers: Iterator[int] = iter(range(len(requests)))
    latencies: list[float] = []
    statuses: Counter[int] = Counter()

    async def connection() -> None:
        transport, protocol = await asyncio.get_running_loop().create_connection(Connection, host, port)
        try:
            for n in numbers:  # shared: each connection takes the next request not yet sent
                started = time.perf_counter()
                statuses[await protocol.send(requests[n])] += 1
                latencies.append(time.perf_counter() - started)
        finally:
            transport.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "latencies": latencies, "statuses": {str(k): v for k, v in statuses.items()}}


def main() -> None:
    host, port, concurrency = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    requests = unframed(sys.stdin.buffer.read())
    json.dump(uvloop.run(run(host, port, concurrency, requests)), sys.stdout)


if __name__ == "__main__":
    main()
