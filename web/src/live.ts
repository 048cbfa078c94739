// The live stream of new messages (Server-Sent Events on /api/v1/stream).
// One EventSource per mounted subscriber; the browser reconnects by itself.
import { useEffect, useRef, useState } from "react";

export type MessageCreated = {
  message_id: string;
  conversation_id: string;
  network: string;
  direction: "inbound" | "outbound";
  posted_at: string;
  workspace_id: string;
};

/** Calls `onMessage` for each new message; answers whether the stream is connected. */
export function useMessageStream(onMessage: (event: MessageCreated) => void): boolean {
  const handler = useRef(onMessage);
  handler.current = onMessage;
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    const source = new EventSource("/api/v1/stream", { withCredentials: true });
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    const listener = (event: MessageEvent<string>) => {
      try {
        handler.current(JSON.parse(event.data) as MessageCreated);
      } catch {
        // A malformed event is not worth breaking the inbox over.
      }
    };
    source.addEventListener("message.created", listener);
    return () => {
      source.removeEventListener("message.created", listener);
      source.close();
    };
  }, []);
  return connected;
}
