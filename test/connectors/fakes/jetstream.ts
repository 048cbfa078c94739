import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

// Bluesky's Jetstream as its README describes it: a WebSocket at /subscribe
// taking wantedCollections (and cursor) and sending one JSON event per
// message — { did, time_us, kind: "commit", commit: { operation, collection,
// rkey, record, cid } }, plus identity and account events.

export type JetstreamFake = {
  url: string;
  clients: Set<WebSocket>;
  asked: URLSearchParams[];
  send: (event: unknown) => void;
  close: () => Promise<void>;
};

export async function startJetstreamFake(): Promise<JetstreamFake> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, path: "/subscribe" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const clients = new Set<WebSocket>();
  const asked: URLSearchParams[] = [];
  server.on("connection", (socket, req) => {
    asked.push(new URL(req.url ?? "/", "ws://fake").searchParams);
    clients.add(socket);
    socket.on("close", () => clients.delete(socket));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    clients,
    asked,
    send: (event) => {
      for (const c of clients) c.send(typeof event === "string" ? event : JSON.stringify(event));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.terminate();
        server.close(() => resolve());
      }),
  };
}
