import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The browser app lives in web/; the Parley server serves web/dist at "/".
// In development, Vite serves the app and forwards API calls to a running server.
const apiTarget = process.env.PARLEY_API_URL ?? "http://localhost:4000";

export default defineConfig({
  root: "web",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
  },
  server: {
    proxy: {
      "/api": { target: apiTarget, changeOrigin: false },
      "/hooks": { target: apiTarget, changeOrigin: false },
    },
  },
});
