#!/usr/bin/env python3
"""Opens N SSE streams through a gateway (legacy GET streams of one session each), holds them,
reads the gateway's RSS from /proc, and prints a JSON line. Usage: streams.py URL N GATEWAY_PID"""
import json, socket, sys, time, urllib.request

url, n, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
auth = {"Authorization": "Bearer " + sys.argv[4]} if len(sys.argv) > 4 else {}
host, port = url.split("//")[1].split("/")[0].split(":")
path = "/" + url.split("//")[1].split("/", 1)[1]

def rss_kib():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])

def post(body, headers):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={
        "Content-Type": "application/json", "Accept": "application/json, text/event-stream", **auth, **headers})
    with urllib.request.urlopen(req) as r:
        return r.headers.get("mcp-session-id"), r.read()

before = rss_kib()
socks = []
for i in range(n):
    # One session per stream: servers may allow a single GET stream per session.
    sid, _ = post({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "b", "version": "1"}}}, {})
    post({"jsonrpc": "2.0", "method": "notifications/initialized"}, {"Mcp-Session-Id": sid, "MCP-Protocol-Version": "2025-11-25"})
    s = socket.create_connection((host, int(port)))
    head = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\nMcp-Session-Id: {sid}\r\nMCP-Protocol-Version: 2025-11-25\r\n"
    s.sendall((head + "".join(f"{k}: {v}\r\n" for k, v in auth.items()) + "\r\n").encode())
    socks.append(s)
ok = 0
for s in socks:
    s.settimeout(10)
    if b" 200 " in s.recv(4096).split(b"\r\n")[0]:
        ok += 1
time.sleep(1)
during = rss_kib()
print(json.dumps({"streams": n, "open": ok, "rss_before_kib": before, "rss_with_streams_kib": during}))
for s in socks:
    s.close()
