// A real SMTP server in-process (smtp-server), for tests and the outbox benchmark, and a small
// MIME reader for what nodemailer writes: headers with RFC 2047 words, multipart/alternative,
// quoted-printable and base64 parts.
import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";

export interface ReceivedMail {
  raw: string;
  envelope: { from: string; to: string[] };
  /** Lower-cased names; the first value of each. */
  headers: Map<string, string>;
  subject: string;
  messageId: string;
  text: string;
  html: string;
}

export interface SmtpSink {
  port: number;
  mails: ReceivedMail[];
  /** Resolves once at least n mails have arrived (or rejects after timeoutMs). */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export async function startSmtpSink(
  options: { port?: number; parse?: boolean; onConnect?: SMTPServerOptions["onConnect"] } = {},
): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const parse = options.parse ?? true;
  let count = 0;
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onConnect: options.onConnect,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
        };
        count++;
        mails.push(parse ? parseMail(raw, envelope) : ({ raw, envelope } as ReceivedMail));
        for (const wake of waiters) wake();
        callback();
      });
    },
  });
  server.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    waitFor(n, timeoutMs = 15_000) {
      if (count >= n) return Promise.resolve(mails);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${n} mails, got ${count}`));
        }, timeoutMs);
        const check = () => {
          if (count < n) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(mails);
        };
        waiters.add(check);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nobody listens on right now (for "the SMTP server is down"). */
export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function splitHead(raw: string): { head: string; body: string } {
  const at = raw.indexOf("\r\n\r\n");
  return at < 0 ? { head: raw, body: "" } : { head: raw.slice(0, at), body: raw.slice(at + 4) };
}

function parseHeaders(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon < 1) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

/** RFC 2047 encoded words; adjacent words are joined as bytes, so a character split across two survives. */
export function decodeWords(value: string): string {
  const word = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  let out = "";
  let pending: Buffer[] = [];
  let last = 0;
  const flush = () => {
    if (pending.length) out += Buffer.concat(pending).toString("utf8");
    pending = [];
  };
  for (const m of value.matchAll(word)) {
    const between = value.slice(last, m.index);
    if (!(pending.length && /^\s*$/.test(between))) {
      flush();
      out += between;
    }
    pending.push(m[2].toUpperCase() === "B" ? Buffer.from(m[3], "base64") : qpBytes(m[3].replace(/_/g, " ")));
    last = m.index! + m[0].length;
  }
  flush();
  return out + value.slice(last);
}

function qpBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "=" && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(c, "utf8"));
    }
  }
  return Buffer.from(bytes);
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? "7bit").toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    case "quoted-printable":
      return qpBytes(body.replace(/=\r\n/g, "")).toString("utf8");
    default:
      return body;
  }
}

function collectParts(head: Map<string, string>, body: string, into: { text: string; html: string }) {
  const type = head.get("content-type") ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const sections = body.split(`--${boundary}`).slice(1);
    for (const section of sections) {
      if (section.startsWith("--")) break;
      const { head: partHead, body: partBody } = splitHead(section.replace(/^\r\n/, ""));
      collectParts(parseHeaders(partHead), partBody.replace(/\r\n$/, ""), into);
    }
    return;
  }
  const decoded = decodeBody(body, head.get("content-transfer-encoding"));
  if (/^text\/html/i.test(type)) into.html += decoded;
  else if (/^text\/plain/i.test(type)) into.text += decoded;
}

export function parseMail(raw: string, envelope: ReceivedMail["envelope"] = { from: "", to: [] }): ReceivedMail {
  const { head, body } = splitHead(raw);
  const headers = parseHeaders(head);
  for (const [name, value] of headers) headers.set(name, decodeWords(value));
  const parts = { text: "", html: "" };
  collectParts(headers, body, parts);
  return {
    raw,
    envelope,
    headers,
    subject: headers.get("subject") ?? "",
    messageId: headers.get("message-id") ?? "",
    ...parts,
  };
}
