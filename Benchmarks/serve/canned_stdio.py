#!/usr/bin/env python3
"""A canned MCP server on stdio: the stdio counterpart of the canned nginx in nginx.conf.in.

mcp-proxy only fronts stdio servers, so this gives it a backend that costs next to nothing:
one JSON line in, one canned JSON line out (the same tools/call result nginx returns), with just
enough of the handshake (initialize, tools/list, ping) for mcp-proxy to start. Standard library only.
"""
import json
import sys

TOOLS = {"tools": [{"name": "add", "description": "Add two integers.",
                    "inputSchema": {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
                                    "required": ["a", "b"]}}]}
CALL = {"content": [{"type": "text", "text": "3"}], "structuredContent": {"result": 3}, "isError": False}


def main():
    out = sys.stdout
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        msg = json.loads(line)
        if "id" not in msg or "method" not in msg:
            continue  # notifications and responses need no answer
        method = msg["method"]
        if method == "initialize":
            result = {"protocolVersion": msg.get("params", {}).get("protocolVersion", "2025-06-18"),
                      "capabilities": {"tools": {}}, "serverInfo": {"name": "canned-stdio", "version": "1"}}
        elif method == "tools/list":
            result = TOOLS
        elif method == "tools/call":
            result = CALL
        elif method == "ping":
            result = {}
        else:
            out.write(json.dumps({"jsonrpc": "2.0", "id": msg["id"],
                                  "error": {"code": -32601, "message": "Method not found"}}) + "\n")
            out.flush()
            continue
        out.write(json.dumps({"jsonrpc": "2.0", "id": msg["id"], "result": result}) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
