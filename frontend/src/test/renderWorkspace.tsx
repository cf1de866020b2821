/** Renders workspace panels inside the real `WorkspaceProvider`, talking to a `fakeApi`
 * through `fetch` (the only thing replaced: the network). */
import { cleanup, configure, render, type RenderResult } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, vi } from "vitest";

import { WorkspaceProvider } from "@/features/workspace/state";

import type { FakeApi } from "./fakeApi";

// jsdom has no PointerEvent: without one, pointer events reach React with no coordinates.
if (typeof window !== "undefined" && !("PointerEvent" in window)) {
  class PointerEvent extends MouseEvent {
    readonly pointerId: number;
    readonly pointerType: string;
    constructor(type: string, init: PointerEventInit = {}) {
      super(type, init);
      this.pointerId = init.pointerId ?? 1;
      this.pointerType = init.pointerType ?? "mouse";
    }
  }
  Object.assign(window, { PointerEvent });
}

// findBy…/waitFor wait for the fake API round trips and re-renders; a loaded machine is slow.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

export function renderWorkspace(ui: ReactNode, server: FakeApi): RenderResult {
  vi.stubGlobal("fetch", server.fetch);
  return render(<WorkspaceProvider projectId="p1">{ui}</WorkspaceProvider>);
}
