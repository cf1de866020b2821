import { describe, expect, it } from "vitest";

import { renderingDelay } from "./usePreview";

const answer = (status: number, retryAfter?: string) =>
  new Response(null, { status, headers: retryAfter ? { "Retry-After": retryAfter } : {} });

describe("renderingDelay", () => {
  it("waits out a preview that is still rendering", () => {
    expect(renderingDelay(answer(503, "2"))).toBe(2000);
  });

  it("shows a failed render (a long Retry-After) instead of waiting", () => {
    expect(renderingDelay(answer(503, "30"))).toBeNull();
  });

  it("does not wait on other answers or a missing header", () => {
    expect(renderingDelay(answer(200))).toBeNull();
    expect(renderingDelay(answer(422))).toBeNull();
    expect(renderingDelay(answer(503))).toBeNull();
    expect(renderingDelay(answer(503, "soon"))).toBeNull();
  });
});
