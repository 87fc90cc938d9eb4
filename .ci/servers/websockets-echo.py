"""WebSocket echo server for the full test run, on Debian's python3-websockets (10.x).

Usage: websockets-echo.py PORT [CERT KEY]   (with CERT and KEY: over TLS)

Paths: /echo echoes every message as it came (text as text, binary as binary); /fragments echoes
each message in fragments of at most 1000 bytes (characters for text); /close closes at once
with 1001. permessage-deflate is offered to clients that ask (the library's default).
"""
import asyncio
import ssl
import sys

import websockets

MAX_SIZE = 64 * 1024 * 1024


def pieces(message):
    for i in range(0, max(len(message), 1), 1000):
        yield message[i:i + 1000]


async def handler(ws, path=None):
    path = path or ws.path
    if path == "/close":
        await ws.close(1001, "going away")
        return
    async for message in ws:
        if path == "/fragments":
            await ws.send(pieces(message))
        else:
            await ws.send(message)


async def main():
    port = int(sys.argv[1])
    context = None
    if len(sys.argv) == 4:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[2], sys.argv[3])
    async with websockets.serve(
        handler, "127.0.0.1", port, ssl=context, max_size=MAX_SIZE, max_queue=4
    ):
        await asyncio.Future()


asyncio.run(main())
