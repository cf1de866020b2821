/** Unit tests run in Node; component tests opt into a DOM with `@vitest-environment jsdom`. */
import { fileURLToPath } from "node:url";

import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  // tsconfig keeps JSX for Next.js to compile; the tests compile it themselves.
  esbuild: { jsx: "automatic" },
  test: {
    include: ["src/**/*.test.{ts,tsx}"],
    environment: "node",
    // Component tests render whole panels in jsdom: generous on a busy 2-core machine.
    testTimeout: 30_000,
    // The API client needs an absolute base URL outside a browser page; the tests answer
    // its requests themselves (see src/test/fakeApi.ts), nothing is sent anywhere.
    env: { NEXT_PUBLIC_API_BASE: "http://api.test" },
  },
});
