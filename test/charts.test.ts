import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chartFontFile, renderBarChart, svgToPng } from "../src/chat/charts.js";

const text = (s: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60"><text x="10" y="40" font-size="32" font-family="sans-serif">${s}</text></svg>`;

describe("server-side charts", () => {
  it("ships a CJK font that installs with npm install alone", () => {
    expect(existsSync(chartFontFile())).toBe(true);
  });

  it("draws Chinese glyphs (a blank PNG would mean the font did not load)", async () => {
    const blank = await svgToPng(text(""));
    const chinese = await svgToPng(text("广东省"));
    const other = await svgToPng(text("浙江省"));
    expect(chinese.equals(blank)).toBe(false);
    expect(chinese.equals(other)).toBe(false);
  });

  it("renders a bar chart with Chinese categories to PNG", async () => {
    const png = await renderBarChart({
      title: "每日销量",
      categories: ["顺丰", "中通"],
      series: [{ name: "件数", values: [12, 30] }],
    });
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(900); // IHDR width
    expect(png.readUInt32BE(20)).toBe(520);
  });
});
