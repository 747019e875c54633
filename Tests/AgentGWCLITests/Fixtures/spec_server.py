#!/usr/bin/env python3
"""A small MCP server of our own for `probe --strict` tests (stdlib only).

--era legacy|modern   which era it speaks (legacy: initialize + Mcp-Session-Id; modern: server/discover)
--break               break every rule probe --strict checks:
                      text/plain responses, 200 for notifications, no 406 for a bad Accept, GET not
                      405 (modern) / 204 (legacy), foreign Origin accepted, Mcp-Method mismatch
                      accepted, a session id with a space, tool names outside [A-Za-z0-9_.-]{1,64}
Without --break it follows them all. --tls-cert/--tls-key serve HTTPS.
Binds 127.0.0.1:--port; endpoint /mcp.
"""
import argparse
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--era", choices=["legacy", "modern"], default="legacy")
p.add_argument("--break", dest="broken", action="store_true")
p.add_argument("--tls-cert")
p.add_argument("--tls-key")
p.add_argument("--extra-tools", type=int, default=0, help="add tool_1..tool_N")
p.add_argument("--page-size", type=int, default=0, help="page tools/list (opaque cursors)")
args = p.parse_args()

SESSION = "sess ion-1" if args.broken else "session-0123456789abcdef"
TOOLS = [{"name": "echo", "description": "Echo text.", "inputSchema": {"type": "object"}},
         {"name": "headers", "description": "Return the request headers the server received.", "inputSchema": {"type": "object"}}]
if args.broken:
    TOOLS += [{"name": "bad tool!", "inputSchema": {"type": "object"}},
              {"name": "t" * 70, "inputSchema": {"type": "object"}}]
TOOLS += [{"name": f"tool_{i}", "description": f"Tool {i}.", "inputSchema": {"type": "object"}} for i in range(1, args.extra_tools + 1)]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, status, body=b"", ctype="application/json", headers=()):
        self.send_response(status)
        if body or ctype:
            self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def rpc(self, id_, result):
        ctype = "text/plain" if args.broken else "application/json"
        headers = [("Mcp-Session-Id", SESSION)] if args.era == "legacy" else []
        self.send(200, json.dumps({"jsonrpc": "2.0", "id": id_, "result": result}).encode(), ctype, headers)

    def error(self, status, code, message, id_=None):
        self.send(status, json.dumps({"jsonrpc": "2.0", "id": id_, "error": {"code": code, "message": message}}).encode())

    def do_GET(self):
        if args.broken:
            self.send(200 if args.era == "modern" else 204, b"", "")
        else:
            self.send(405, b"", "")

    def do_DELETE(self):
        self.send(200, b"", "")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        msg = json.loads(body)
        method = msg.get("method")
        if not args.broken:
            if self.headers.get("Origin") not in (None, "http://127.0.0.1", "http://localhost"):
                return self.error(403, -32600, "Forbidden: Origin not allowed")
            accept = self.headers.get("Accept", "")
            if "application/json" not in accept or "text/event-stream" not in accept:
                return self.error(406, -32600, "Not Acceptable")
            if args.era == "modern" and self.headers.get("Mcp-Method") != method:
                return self.error(400, -32020, "Mcp-Method header does not match the body")
        if "id" not in msg:
            return self.send(200 if args.broken else 202, b"OK" if args.broken else b"", "text/plain" if args.broken else "")
        if args.era == "legacy" and method == "server/discover":
            return self.error(400, -32600, "Bad Request: Missing session ID", "server-error")
        if args.era == "modern" and method == "initialize":
            return self.error(400, -32602, "params._meta must be an object")
        if method == "initialize":
            return self.rpc(msg["id"], {"protocolVersion": "2025-11-25", "capabilities": {"tools": {}},
                                        "serverInfo": {"name": "spec-server", "version": "1.0"}})
        if method == "server/discover":
            return self.rpc(msg["id"], {"supportedVersions": ["2026-07-28"], "capabilities": {"tools": {}},
                                        "_meta": {"io.modelcontextprotocol/serverInfo": {"name": "spec-server", "version": "1.0"}}})
        if method == "tools/list":
            if args.page_size <= 0:
                return self.rpc(msg["id"], {"tools": TOOLS})
            cursor = (msg.get("params") or {}).get("cursor")
            start = int(cursor.removeprefix("page-")) if cursor else 0
            page = {"tools": TOOLS[start:start + args.page_size]}
            if start + args.page_size < len(TOOLS):
                page["nextCursor"] = f"page-{start + args.page_size}"
            return self.rpc(msg["id"], page)
        if method == "tools/call" and msg.get("params", {}).get("name") == "headers":
            # What arrived upstream, for gateway tests (e.g. no credential passthrough).
            seen = {k.lower(): v for k, v in self.headers.items()}
            return self.rpc(msg["id"], {"content": [{"type": "text", "text": json.dumps(seen)}], "isError": False})
        return self.error(200, -32601, "Method not found", msg["id"])


server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
if args.tls_cert:
    import ssl
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.tls_cert, args.tls_key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
