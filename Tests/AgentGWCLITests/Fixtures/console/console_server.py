#!/usr/bin/env python3
"""The MCP server behind the console's browser tests (the official SDK's MCPServer; run it with
the peers' modern venv). It speaks both eras on /mcp, answers with SSE, and has one tool for
each thing the playground must show:

  add(a, b)          the tutorial's tool: a + b, text and structured content
  untrusted()        its description carries markup that must render as literal text
  count(n)           reports progress n times (with a log line each), then answers
  configure(...)     a rich inputSchema: enum, array, nested object, boolean, optional fields
  picture()          an image content block (a PNG made here)
  fail()             a tool error (isError: true)
"""
import argparse
import logging
import struct
import zlib
from enum import Enum

import anyio
from pydantic import BaseModel, Field

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--step-delay", type=float, default=0.3, help="seconds between progress reports")
args = p.parse_args()

from mcp.server.mcpserver import Context, Image, MCPServer  # noqa: E402

mcp = MCPServer("console-peer", log_level="WARNING")

UNTRUSTED = "Says hello. <script>alert(1)</script><b>bold</b> <img src=x onerror=alert(2)>"


@mcp.tool()
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


@mcp.tool(description=UNTRUSTED)
def untrusted() -> str:
    return "hello <b>not bold</b>"


@mcp.tool()
async def count(n: int, ctx: Context) -> str:
    """Report progress n times, logging each step."""
    for i in range(1, n + 1):
        await ctx.report_progress(i, n, f"step {i} of {n}")
        await ctx.info(f"counted {i}")
        await anyio.sleep(args.step_delay)
    return f"counted to {n}"


class Mode(str, Enum):
    fast = "fast"
    careful = "careful"
    paranoid = "paranoid"


class Limits(BaseModel):
    retries: int = Field(1, description="How often to retry")
    timeout_seconds: float = Field(2.5, description="Per attempt")
    strict: bool = False


@mcp.tool()
def configure(mode: Mode, tags: list[str], limits: Limits, verbose: bool = False,
              note: str | None = None, extra: dict[str, int] | None = None) -> dict:
    """Echo a configuration back (exercises every kind of form field)."""
    return {"mode": mode.value, "tags": tags, "limits": limits.model_dump(), "verbose": verbose,
            "note": note, "extra": extra}


def png(width: int = 48, height: int = 48) -> bytes:
    rows = b"".join(b"\x00" + b"".join(bytes((x * 5, y * 5, 160)) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@mcp.tool()
def picture() -> Image:
    """Return a small generated PNG."""
    return Image(data=png(), format="png")


@mcp.tool()
def fail(reason: str = "it broke") -> str:
    """Always fails (a tool error, not a protocol error)."""
    raise ValueError(reason)


logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
mcp.run("streamable-http", host="127.0.0.1", port=args.port, streamable_http_path="/mcp")
