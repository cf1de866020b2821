"use client";
/** One engraved page fetched from a notation endpoint and shown as an <img> (an SVG in an
 * image is drawn as vectors at any size, and runs no script): its object URL, the
 * engraving's own size and the page's place in the score. */
import { useEffect, useState } from "react";

import { describeError, errorFromResponse } from "@/api/errors";

import { pageInfo, viewBoxSize, type PageInfo, type SheetSize } from "./sheet";

/** Fetches one page: `track` null = every track (the full score). */
export type PageSource = (query: { page: number; track: string | null },
                          signal: AbortSignal) => Promise<Response>;

export type PageImage =
  | { kind: "idle" }
  | { kind: "loading"; previous: ReadyPage | null }
  | ReadyPage
  | { kind: "error"; message: string; status: number | null };

export interface ReadyPage {
  kind: "ready";
  /** What the image shows (the request's page and track), not what is asked for now. */
  page: number;
  track: string | null;
  url: string;
  size: SheetSize | null;
  info: PageInfo | null;
}

function problem(status: number, message: string): string {
  if (status === 404) return `This page is not available${message ? ` (${message})` : ""}.`;
  if (status === 422) return `This can't be drawn as notation: ${message}`;
  return message;
}

export function usePageImage(source: PageSource | null, page: number, track: string | null,
                             contentKey: string | number): PageImage {
  const [image, setImage] = useState<PageImage>({ kind: "idle" });

  useEffect(() => {
    if (!source) {
      setImage({ kind: "idle" });
      return;
    }
    const controller = new AbortController();
    setImage((current) => ({ kind: "loading",
                             previous: current.kind === "ready" ? current : null }));
    (async () => {
      try {
        const response = await source({ page, track }, controller.signal);
        if (controller.signal.aborted) return;
        if (!response.ok) {
          const error = await errorFromResponse(response);
          if (controller.signal.aborted) return;
          const generic = /^not found\.?$/i.test(error.message)
            || error.message.startsWith("The server answered");
          setImage({ kind: "error", status: response.status,
                     message: problem(response.status, generic ? "" : describeError(error)) });
          return;
        }
        const svg = await response.text();
        if (controller.signal.aborted) return;
        const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
        setImage({ kind: "ready", page, track, url, size: viewBoxSize(svg),
                   info: pageInfo(page, response.headers) });
      } catch (error) {
        if (controller.signal.aborted) return;
        setImage({ kind: "error", status: null, message: error instanceof Error
          ? `The notation could not be loaded: ${error.message}`
          : "The notation could not be loaded." });
      }
    })();
    return () => controller.abort();
  }, [source, page, track, contentKey]);

  // The shown page stays on screen while the next one loads; its URL is released only
  // once another page (or nothing) replaces it.
  const shown = image.kind === "ready" ? image.url
    : image.kind === "loading" ? image.previous?.url ?? null : null;
  useEffect(() => () => { if (shown) URL.revokeObjectURL(shown); }, [shown]);

  return image;
}
