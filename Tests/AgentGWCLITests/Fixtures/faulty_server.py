#!/usr/bin/env python3
"""An upstream that misbehaves on request, for fault-injection tests (stdlib only).

The fault is picked by the JSON-RPC method of the request (anything else gets a normal answer):
  fault/reset     closes the connection with a TCP reset, no answer
  fault/hang      never answers (holds the connection)
  fault/garbage   answers bytes that aren't HTTP
  fault/500       answers HTTP 500 with a short body
  fault/cut-sse   starts an SSE response, sends half an event, closes
  fault/stream    an SSE response that sends an event every 100 ms for 30 s (for SIGTERM tests)
Other requests: a JSON-RPC result {"ok": true} (initialize gets a session).
"""
import argparse
import json
import socket
import struct
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
args = p.parse_args()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            msg = json.loads(body)
        except Exception:
            msg = {}
        method = msg.get("method", "")
        if method == "fault/reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if method == "fault/hang":
            time.sleep(60)
            return
        if method == "fault/garbage":
            self.wfile.write(b"\x00\x01 this is not HTTP \xff\xfe\r\n\r\n")
            self.wfile.flush()
            self.close_connection = True
            return
        if method == "fault/500":
            data = b"upstream exploded"
            self.send_response(500)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        if method in ("fault/cut-sse", "fault/stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            if method == "fault/cut-sse":
                self.wfile.write(b'event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":1}}\n\nevent: message\ndata: {"jsonrpc":"2.0","id":')
                self.wfile.flush()
                self.close_connection = True
                return
            for i in range(300):
                try:
                    self.wfile.write(f'event: message\ndata: {{"jsonrpc":"2.0","method":"notifications/progress","params":{{"progressToken":1,"progress":{i}}}}}\n\n'.encode())
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.1)
            self.close_connection = True
            return
        result = {"jsonrpc": "2.0", "id": msg.get("id"), "result": {"ok": True}}
        data = json.dumps(result).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if method == "initialize":
            self.send_header("Mcp-Session-Id", "faulty-session")
        self.end_headers()
        self.wfile.write(data)


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()
