import { describe, expect, it } from "vitest";

import {
  MAX_ZOOM, MIN_ZOOM, barsPerPage, fitZoom, pageInfo, pageOfBar, viewBoxSize, zoomIn, zoomOut,
} from "./sheet";

const headers = (count: number, first: number, last: number) => new Headers({
  "X-Page-Count": String(count), "X-Page-First-Bar": String(first),
  "X-Page-Last-Bar": String(last) });

describe("zoom", () => {
  it("steps up and down through the levels and stops at the ends", () => {
    expect(zoomIn(1)).toBe(1.25);
    expect(zoomOut(1)).toBe(0.8);
    expect(zoomIn(1.1)).toBe(1.25);
    expect(zoomOut(1.1)).toBe(1);
    expect(zoomIn(MAX_ZOOM)).toBe(MAX_ZOOM);
    expect(zoomOut(MIN_ZOOM)).toBe(MIN_ZOOM);
  });

  it("fits a sheet to its container, within the limits", () => {
    expect(fitZoom(2100, 1050)).toBeCloseTo(1);
    expect(fitZoom(2100, 2100)).toBeCloseTo(2);
    expect(fitZoom(2100, 10)).toBe(MIN_ZOOM);
    expect(fitZoom(0, 500)).toBe(1);
  });
});

describe("viewBoxSize", () => {
  it("reads Verovio's root viewBox", () => {
    expect(viewBoxSize('<svg viewBox="0 0 2100 467" version="1.1"><g/></svg>'))
      .toEqual({ width: 2100, height: 467 });
  });

  it("ignores nested viewBoxes and answers null without one", () => {
    expect(viewBoxSize('<svg width="10"><svg viewBox="0 0 5 5"/></svg>')).toBeNull();
    expect(viewBoxSize("not svg")).toBeNull();
  });
});

describe("pages", () => {
  it("reads the page headers", () => {
    expect(pageInfo(2, headers(3, 11, 20))).toEqual({ page: 2, pages: 3, firstBar: 11,
                                                      lastBar: 20 });
    expect(pageInfo(1, new Headers())).toBeNull();
  });

  it("finds the page holding a bar from any page", () => {
    const first = pageInfo(1, headers(4, 1, 13))!;
    const last = pageInfo(4, headers(4, 40, 45))!;
    expect(barsPerPage(first)).toBe(13);
    expect(barsPerPage(last)).toBe(13);
    for (const info of [first, last]) {
      expect(pageOfBar(1, info)).toBe(1);
      expect(pageOfBar(13, info)).toBe(1);
      expect(pageOfBar(14, info)).toBe(2);
      expect(pageOfBar(40, info)).toBe(4);
      expect(pageOfBar(99, info)).toBe(4);
    }
  });

  it("keeps a one-page score on page 1", () => {
    expect(pageOfBar(50, pageInfo(1, headers(1, 1, 8))!)).toBe(1);
  });
});
