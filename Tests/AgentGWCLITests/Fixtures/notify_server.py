#!/usr/bin/env python3
"""An MCP server (the official SDK's MCPServer) that talks before it answers, for gateway tests.

Tools:
  count(n)        reports progress n times and logs a line each time, then answers "counted n"
  slow(seconds)   sleeps; if the call is cancelled, appends "cancelled" to --cancel-log
  announce()      sends notifications/tools/list_changed outside any request (the GET stream)
"""
import argparse
import logging

import anyio

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--name", default="notify-peer")
p.add_argument("--cancel-log", required=True)
p.add_argument("--json-response", action="store_true")
args = p.parse_args()

from mcp.server.mcpserver import Context, MCPServer  # noqa: E402

mcp = MCPServer(args.name, log_level="WARNING")


@mcp.tool()
async def count(n: int, ctx: Context) -> str:
    """Report progress n times, logging each step."""
    for i in range(1, n + 1):
        await ctx.report_progress(i, n, f"step {i}")
        await ctx.info(f"step {i} of {n}")
    return f"counted {n}"


@mcp.tool()
async def slow(seconds: float) -> str:
    """Sleep, and remember being cancelled."""
    try:
        await anyio.sleep(seconds)
    except anyio.get_cancelled_exc_class():
        with open(args.cancel_log, "a") as f:
            f.write("cancelled\n")
        raise
    return "slept"


@mcp.tool()
async def announce(ctx: Context) -> str:
    """Tell the client the tool list changed, outside this request: on the session's server
    stream (legacy clients) and to subscriptions/listen streams (2026-07-28 clients)."""
    try:
        await ctx.notify_tools_changed()
    except Exception:  # no subscription bus on this request
        pass
    try:
        await ctx.request_context.session.send_tool_list_changed()
    except Exception:  # a 2026-07-28 request has no server stream to send it on
        pass
    return "announced"


logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
mcp.run("streamable-http", host="127.0.0.1", port=args.port, streamable_http_path="/mcp", json_response=args.json_response)
