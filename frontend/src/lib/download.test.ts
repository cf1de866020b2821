import { describe, expect, it } from "vitest";

import { filenameFromDisposition } from "./download";

describe("filenameFromDisposition", () => {
  it("prefers the exact UTF-8 name", () => {
    expect(filenameFromDisposition(
      "attachment; filename=\"Cafe night - mix.mp3\"; " +
      "filename*=UTF-8''Caf%C3%A9%20%C2%AB%E9%9B%A8%C2%BB%20night%20-%20mix.mp3", "mix.mp3"))
      .toBe("Café «雨» night - mix.mp3");
  });

  it("falls back to the plain name, then to the given one", () => {
    expect(filenameFromDisposition('attachment; filename="Rainy waltz.mid"', "score.mid"))
      .toBe("Rainy waltz.mid");
    expect(filenameFromDisposition("attachment; filename=plain.mid", "score.mid"))
      .toBe("plain.mid");
    expect(filenameFromDisposition(null, "score.mid")).toBe("score.mid");
    expect(filenameFromDisposition("attachment", "score.mid")).toBe("score.mid");
    expect(filenameFromDisposition("attachment; filename*=UTF-8''%E0%A4%A", "x.mid"))
      .toBe("x.mid");
  });

  it("never keeps a folder", () => {
    expect(filenameFromDisposition('attachment; filename="../../evil.sh"', "a")).toBe("evil.sh");
  });
});
