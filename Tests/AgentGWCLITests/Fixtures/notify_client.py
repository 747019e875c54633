#!/usr/bin/env python3
"""The official SDK client (mcp 2.x) exercising what a gateway must relay: progress and log
notifications during a call, cancellation, and notifications on the server stream.

  notify_client.py URL --mode legacy|2026-07-28 --tool a_count [--cancel-tool b_slow [--cancel-log FILE]] [--announce c_announce]
Prints one JSON object: progress, logs, result, cancelled, listChanged (and, 2026-07-28, the
listen stream's honored filter, its events and the first one's type).
"""
import argparse
import json

import anyio

p = argparse.ArgumentParser()
p.add_argument("url")
p.add_argument("--mode", default="legacy")
p.add_argument("--tool", required=True)
p.add_argument("--cancel-tool")
p.add_argument("--cancel-log", help="the cancelled target's log: wait until it has seen the cancellation")
p.add_argument("--announce")
args = p.parse_args()


def read(path: str) -> str:
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


async def main() -> None:
    from mcp.client import Client

    out = {"progress": [], "logs": [], "listChanged": 0}

    async def on_log(params) -> None:
        out["logs"].append(str(params.data))

    async def on_message(message) -> None:
        root = getattr(message, "root", message)
        if getattr(root, "method", None) == "notifications/tools/list_changed":
            out["listChanged"] += 1

    async def on_progress(progress, total, message) -> None:
        out["progress"].append([progress, total, message])

    async with Client(args.url, mode=args.mode, logging_callback=on_log, message_handler=on_message,
                      log_level="info", read_timeout_seconds=20) as client:
        result = await client.call_tool(args.tool, {"n": 3}, progress_callback=on_progress)
        out["result"] = result.content[0].text
        if args.cancel_tool:
            with anyio.move_on_after(1.0) as scope:
                await client.call_tool(args.cancel_tool, {"seconds": 30})
            out["cancelled"] = scope.cancelled_caught
            if args.cancel_log:
                # The target answers a cancelled legacy request with REQUEST_CANCELLED (as the SDK
                # servers do) and the gateway relays it. The SDK client drops such a late answer,
                # but one landing while the client is closing its streams raises
                # BrokenResourceError from the transport: let it arrive while the session is open.
                with anyio.move_on_after(5.0):
                    while "cancelled" not in read(args.cancel_log):
                        await anyio.sleep(0.05)
                await anyio.sleep(0.3)
        if args.announce and args.mode == "legacy":
            # Legacy: the change arrives on the session's server stream (GET).
            await client.call_tool(args.announce, {})
            with anyio.move_on_after(5.0):
                while out["listChanged"] == 0:
                    await anyio.sleep(0.05)
        elif args.announce:
            # 2026-07-28: only through a subscriptions/listen stream.
            async with client.listen(tools_list_changed=True) as sub:
                out["honored"] = sub.honored.model_dump(by_alias=True, exclude_none=True)
                await client.call_tool(args.announce, {})
                with anyio.move_on_after(5.0):
                    async for event in sub:
                        out["listenEvents"] = out.get("listenEvents", 0) + 1
                        out["event"] = type(event).__name__
                        break
    print(json.dumps(out))


anyio.run(main)
