import { wire } from "../../src/wiring";

// Tests call domain functions directly, not only through the app: attach the event
// subscribers and the work provider as every entry point does (src/wiring.ts).
wire();
