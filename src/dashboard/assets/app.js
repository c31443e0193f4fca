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
    if (f.alerts) renderAlerts(f.alerts);
    document.body.dataset.updates = String(Number(document.body.dataset.updates ?? "0") + 1);
  };

  // The Alerts page's rows, rebuilt from each snapshot (the forms carry the page's CSRF token, as the server's do).
  const actionForm = (csrf, action, id, label, cls) => {
    const form = document.createElement("form");
    form.method = "post";
    form.action = "/dashboard/action";
    form.className = "inline";
    for (const [name, value] of [
      ["csrf", csrf],
      ["action", action],
      ["id", String(id)],
    ]) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.append(input);
    }
    const button = document.createElement("button");
    button.type = "submit";
    button.className = cls;
    button.dataset.action = action;
    button.textContent = label;
    form.append(button);
    return form;
  };
  const renderAlerts = (alerts) => {
    const body = document.getElementById("alerts-body");
    const table = document.getElementById("alerts");
    if (!body || !table) return;
    const csrf = document.querySelector('input[name="csrf"]')?.value ?? "";
    body.replaceChildren(
      ...alerts.map((a) => {
        const tr = document.createElement("tr");
        tr.dataset.alert = String(a.id);
        tr.className = `sev-${a.severity}`;
        for (const text of [String(a.id), a.raisedAt, a.text]) {
          const td = document.createElement("td");
          td.textContent = text;
          tr.append(td);
        }
        const actions = document.createElement("td");
        actions.dataset.alertStatus = String(a.id);
        if (a.acked) actions.textContent = a.acked;
        else
          actions.append(
            actionForm(csrf, "ack", a.id, table.dataset.ackLabel, "btn"),
            actionForm(csrf, "snooze", a.id, table.dataset.snoozeLabel, "btn secondary"),
          );
        tr.append(actions);
        return tr;
      }),
    );
    const empty = document.getElementById("alerts-empty");
    if (empty) empty.hidden = alerts.length > 0;
  };

  // Copy buttons (the parcels page's apologies): the clipboard API where the page is a secure context, else a selection.
  for (const button of document.querySelectorAll("[data-copy]")) {
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.dataset.copy);
      if (!source) return;
      const text = source.textContent ?? "";
      let copied = false;
      try {
        await navigator.clipboard.writeText(text);
        copied = true;
      } catch {
        const range = document.createRange();
        range.selectNodeContents(source);
        const selection = window.getSelection();
        selection?.removeAllRanges();
        selection?.addRange(range);
        copied = document.execCommand("copy");
      }
      if (copied) {
        button.textContent = button.dataset.copied;
        button.dataset.done = "1";
      }
    });
  }

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
