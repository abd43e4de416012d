// The HTTP plumbing every stand-in shares: reading a request's body, answering JSON, listening
// on a loopback port. What each service signs, checks and answers stays in its own file.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function readText(req: IncomingMessage): Promise<string> {
  return (await readBody(req)).toString("utf8");
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = "application/json;charset=utf-8",
): void {
  res.writeHead(status, { "content-type": contentType });
  res.end(JSON.stringify(body));
}

/** Listens (port 0: any free one) and gives the base URL and a close that waits for the server. */
export async function listen(
  server: Server,
  port = 0,
  host = "127.0.0.1",
): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${bound}`,
    port: bound,
    // Keep-alive connections would hold the close open until they time out.
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
