// Server-Sent Events over fetch + ReadableStream: EventSource can't POST or send headers, and
// MCP answers a POST with an SSE stream whose events must show up as they arrive.

/** Incremental SSE parser (WHATWG rules: CRLF/LF/CR lines, comments, multi-line data). */
export class SSEParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = "";
    this.reset();
  }

  reset() {
    this.data = [];
    this.event = "";
    this.id = null;
  }

  push(text) {
    this.buffer += text;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      // A lone CR at the very end may be the first half of CRLF: wait for more.
      if (match[0] === "\r" && match.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      this.line(line);
    }
  }

  line(line) {
    if (line === "") {
      if (this.data.length > 0) {
        this.onEvent({ event: this.event || "message", data: this.data.join("\n"), id: this.id });
      }
      this.reset();
      return;
    }
    if (line.startsWith(":")) return; // keep-alive comment
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.event = value;
    else if (field === "id") this.id = value;
  }

  /** The stream ended: a last event without its blank line still counts. */
  end() {
    if (this.buffer) this.line(this.buffer);
    this.buffer = "";
    this.line("");
  }
}

/**
 * Reads an MCP response body. JSON bodies give one message; SSE bodies give each event's JSON
 * as it arrives. onMessage(message) is called for every JSON-RPC message; text that is not JSON
 * is passed as { raw: text }. Resolves with the raw body text when the body ends.
 */
export async function readMessages(response, onMessage) {
  const type = (response.headers.get("Content-Type") || "").toLowerCase();
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let raw = "";
  const sse = type.startsWith("text/event-stream")
    ? new SSEParser((ev) => {
        if (ev.event !== "message") return;
        try {
          onMessage(JSON.parse(ev.data));
        } catch {
          onMessage({ raw: ev.data });
        }
      })
    : null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const text = decoder.decode(value, { stream: true });
    raw += text;
    if (sse) sse.push(text);
  }
  const tail = decoder.decode();
  raw += tail;
  if (sse) {
    sse.push(tail);
    sse.end();
  } else if (raw.trim() !== "" && type.includes("json")) {
    try {
      onMessage(JSON.parse(raw));
    } catch {
      onMessage({ raw });
    }
  }
  return raw;
}
