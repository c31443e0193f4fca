// The war-room page's only script (served from /dashboard/assets/, allowed by the page's CSP).
// Live figures arrive over server-sent events; charts are drawn with ECharts from data-chart attributes.
(() => {
  const setText = (selector, value) => {
    for (const el of document.querySelectorAll(selector)) {
      if (el.textContent !== String(value)) el.textContent = String(value);
    }
  };

  const apply = (f) => {
    setText('[data-live="orders"]', f.orders);
    setText('[data-live="units"]', f.units);
    setText('[data-live="revenue"]', f.revenue);
    setText('[data-live="oversold"]', f.oversold);
    for (const [sku, available] of Object.entries(f.available)) {
      setText(`[data-sku-available="${CSS.escape(sku)}"]`, available);
    }
    const banner = document.getElementById("banner");
    if (banner) {
      banner.replaceChildren(
        ...f.banner.map((line) => {
          const div = document.createElement("div");
          div.textContent = line;
          return div;
        }),
      );
      banner.hidden = f.banner.length === 0;
    }
    document.body.dataset.updates = String(Number(document.body.dataset.updates ?? "0") + 1);
  };

  const source = document.body.dataset.liveSource;
  if (source && "EventSource" in window) {
    const events = new EventSource(source);
    const dot = document.getElementById("live-dot");
    events.addEventListener("open", () => dot?.classList.add("on"));
    events.addEventListener("error", () => dot?.classList.remove("on"));
    events.addEventListener("figures", (e) => apply(JSON.parse(e.data)));
  }

  if (window.echarts) {
    for (const el of document.querySelectorAll("[data-chart]")) {
      const c = JSON.parse(el.dataset.chart);
      window.echarts.init(el).setOption({
        grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
        xAxis: { type: "value", name: c.name },
        yAxis: { type: "category", data: c.categories },
        series: [{ type: "bar", data: c.series }],
      });
    }
  }
})();
