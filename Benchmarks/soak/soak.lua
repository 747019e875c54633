-- wrk script for the soak run: one kind of MCP request per wrk process (KIND), status codes
-- counted per thread and summed in done().
--   KIND=modern   2026-07-28 tools/call with the API key          (expect 200)
--   KIND=legacy   legacy-session tools/call with the API key       (expect 200)
--   KIND=nokey    tools/call without a key                         (expect 401)
--   KIND=limited  tools/call on the rate-limited route             (expect 200 or 429)
local kind = os.getenv("KIND") or "modern"
local key = os.getenv("KEY") or ""
local threads = {}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
if kind ~= "nokey" then wrk.headers["Authorization"] = "Bearer " .. key end
if kind == "legacy" then
  wrk.headers["MCP-Protocol-Version"] = "2025-11-25"
  wrk.headers["Mcp-Session-Id"] = os.getenv("SESSION") or ""
  wrk.body = '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"add","arguments":{"a":1,"b":2}}}'
else
  wrk.headers["MCP-Protocol-Version"] = "2026-07-28"
  wrk.headers["Mcp-Method"] = "tools/call"
  wrk.headers["Mcp-Name"] = "add"
  wrk.body = '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"add","arguments":{"a":1,"b":2},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"wrk","version":"1"}}}}'
end
if kind == "limited" then wrk.path = "/limited/mcp" end

setup = function(thread) table.insert(threads, thread) end
init = function(args) counts = {} end
response = function(status, headers, body) counts[status] = (counts[status] or 0) + 1 end

done = function(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    for status, n in pairs(c) do total[status] = (total[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(total) do table.insert(parts, string.format('"%d":%d', status, n)) end
  io.write(string.format('RESULT {"kind":"%s","requests":%d,"socket_errors":%d,"statuses":{%s}}\n', kind, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, table.concat(parts, ",")))
end
