import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { renderAsync } from "@resvg/resvg-js";
import type * as Echarts from "echarts";

/**
 * Server-side charts: Apache ECharts renders an SVG string (its SSR mode, no DOM, no canvas), and
 * resvg turns it into a PNG. Chinese labels need a CJK font resvg can load (TTF/OTF, not woff2); we
 * ship Noto Sans Hans through the `@embedpdf/fonts-sc` npm package so `npm install` alone is enough.
 * System fonts are not loaded: the PNG looks the same on every machine.
 */

/** The font family name inside the bundled Noto Sans Hans OTF. */
export const CHART_FONT_FAMILY = "Noto Sans S Chinese";

/** Path of the bundled CJK font (throws with a clear message if the package is missing). */
export function chartFontFile(): string {
  const require = createRequire(import.meta.url);
  // The package exports only its JS entry (dist/index.cjs); the fonts sit one level above it.
  const entry = require.resolve("@embedpdf/fonts-sc");
  const file = join(dirname(entry), "..", "fonts", "NotoSansHans-Regular.otf");
  if (!existsSync(file)) throw new Error(`CJK chart font not found at ${file}; run npm install`);
  return file;
}

/** One data series of a chart: a name for the legend and one value per category (null = no data). */
export interface ChartSeries {
  name: string;
  values: (number | null)[];
  /** Draw this series as a line over the bars (e.g. a rate on a second axis). */
  asLine?: boolean;
  /** Put the series on the right-hand axis (give `rightAxisName`). */
  onRightAxis?: boolean;
}

/** What {@link renderBarChart} draws. */
export interface BarChartSpec {
  title: string;
  subtitle?: string;
  categories: string[];
  series: ChartSeries[];
  yAxisName?: string;
  rightAxisName?: string;
  /** Horizontal bars: better for many or long category names. */
  horizontal?: boolean;
  width?: number;
  height?: number;
}

/** Renders a grouped bar chart (optionally with line series) to a PNG buffer. */
export async function renderBarChart(spec: BarChartSpec): Promise<Buffer> {
  const hasRight = spec.series.some((s) => s.onRightAxis);
  const categoryAxis = { type: "category" as const, data: spec.categories, axisLabel: { interval: 0, fontSize: 12 } };
  const valueAxes = [
    { type: "value" as const, name: spec.yAxisName ?? "", nameTextStyle: { fontSize: 12 } },
    ...(hasRight ? [{ type: "value" as const, name: spec.rightAxisName ?? "", splitLine: { show: false } }] : []),
  ];
  const option = {
    animation: false,
    backgroundColor: "#ffffff",
    textStyle: { fontFamily: CHART_FONT_FAMILY },
    title: { text: spec.title, subtext: spec.subtitle ?? "", left: "center", textStyle: { fontSize: 18 } },
    legend: { bottom: 8, data: spec.series.map((s) => s.name) },
    grid: { left: 64, right: hasRight ? 64 : 32, top: spec.subtitle ? 84 : 64, bottom: 64, containLabel: true },
    xAxis: spec.horizontal ? valueAxes : categoryAxis,
    yAxis: spec.horizontal ? categoryAxis : valueAxes,
    series: spec.series.map((s) => ({
      name: s.name,
      type: s.asLine ? ("line" as const) : ("bar" as const),
      data: s.values,
      label: {
        show: !s.asLine && spec.categories.length * spec.series.length <= 24,
        position: spec.horizontal ? "right" : "top",
        fontSize: 11,
      },
      ...(s.onRightAxis ? (spec.horizontal ? { xAxisIndex: 1 } : { yAxisIndex: 1 }) : {}),
    })),
  };
  return renderChartPng(option, { width: spec.width ?? 900, height: spec.height ?? 520 });
}

/** Renders any ECharts option to a PNG buffer (escape hatch for charts renderBarChart does not cover). */
export async function renderChartPng(
  option: Record<string, unknown>,
  size: { width: number; height: number },
): Promise<Buffer> {
  return svgToPng(renderChartSvg(option, size));
}

// ECharts takes over a second of CPU to load, so it loads on the first chart, not with every CLI start.
let echartsModule: typeof Echarts | undefined;
const loadEcharts = (): typeof Echarts =>
  (echartsModule ??= createRequire(import.meta.url)("echarts") as typeof Echarts);

/** Renders any ECharts option to an SVG string (server-side, no DOM). */
export function renderChartSvg(option: Record<string, unknown>, size: { width: number; height: number }): string {
  const chart = loadEcharts().init(null, null, { renderer: "svg", ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ textStyle: { fontFamily: CHART_FONT_FAMILY }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Rasterises an SVG to PNG with the bundled CJK font (off the event loop: resvg renders on a worker thread). */
export async function svgToPng(svg: string): Promise<Buffer> {
  const image = await renderAsync(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: [chartFontFile()],
      defaultFontFamily: CHART_FONT_FAMILY,
      sansSerifFamily: CHART_FONT_FAMILY,
    },
    background: "#ffffff",
    logLevel: "off",
  });
  return image.asPng();
}
