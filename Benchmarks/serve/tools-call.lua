-- wrk script: an MCP tools/call. ERA=modern sends the 2026-07-28 headers and _meta;
-- ERA=legacy sends a session id (SESSION) and the 2025-11-25 version header. KEY adds a Bearer key.
-- UNIQUE_IDS=1 gives every request its own JSON-RPC id (per thread and counter): servers that
-- route answers by id within a session (mcp-proxy, stateful) need it; the others get the same
-- bytes every time. done() prints one RESULT line of JSON with the latency percentiles.
local era = os.getenv("ERA") or "modern"
local key = os.getenv("KEY")
local unique = os.getenv("UNIQUE_IDS") == "1"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
if key and key ~= "" then wrk.headers["Authorization"] = "Bearer " .. key end
local params
if era == "modern" then
  wrk.headers["MCP-Protocol-Version"] = "2026-07-28"
  wrk.headers["Mcp-Method"] = "tools/call"
  wrk.headers["Mcp-Name"] = "add"
  params = '"params":{"name":"add","arguments":{"a":1,"b":2},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"wrk","version":"1"}}}}'
else
  wrk.headers["MCP-Protocol-Version"] = "2025-11-25"
  wrk.headers["Mcp-Session-Id"] = os.getenv("SESSION") or "bench-session"
  params = '"params":{"name":"add","arguments":{"a":1,"b":2}}}'
end
wrk.body = '{"jsonrpc":"2.0","id":1,"method":"tools/call",' .. params

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

if unique then
  local n = 0
  request = function()
    n = n + 1
    return wrk.format(nil, nil, nil, '{"jsonrpc":"2.0","id":' .. ((tid or 0) * 1000000000 + n) .. ',"method":"tools/call",' .. params)
  end
end

local PCTS = {50, 75, 90, 95, 99, 99.9, 99.99}
done = function(summary, latency, requests)
  local pcts = {}
  for _, p in ipairs(PCTS) do pcts[#pcts + 1] = string.format('"%s":%d', p, latency:percentile(p)) end
  io.write(string.format('RESULT {"requests":%d,"duration_us":%d,"errors":%d,"non2xx":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,"pcts_us":{%s}}\n',
    summary.requests, summary.duration, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(99), latency.max, table.concat(pcts, ",")))
end
