// The city dashboard's charts, drawn from the JSON the page carries (<script type="application/json"
// id="dashboard-data">). Every chart has a data table under it with the same figures, so the page
// reads fully without this script.
(() => {
  "use strict";

  const STATUS_COLOURS = {
    not_started: "#ced4da",
    in_progress: "#6ea8fe",
    achieved: "#198754",
    stalled: "#fd7e14",
    abandoned: "#b02a37",
    superseded: "#6f42c1",
  };
  const GRID = "rgba(0, 0, 0, 0.06)";

  function byId(id) {
    return document.getElementById(id);
  }

  function commitmentsChart(data) {
    const canvas = byId("chart-commitments");
    if (!canvas || data.labels.length === 0) return null;
    // Room for every line of every category's name (a long one comes as lines), so that names
    // never overlap on a phone: the box grows when its own height is too short for them.
    const lines = data.labels.reduce((n, label) => n + (Array.isArray(label) ? label.length : 1), 0);
    const needed = lines * 14 + data.labels.length * 8 + 110;
    if (canvas.parentNode.clientHeight < needed) canvas.parentNode.style.height = needed + "px";
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map((dataset) => ({
          label: dataset.label,
          data: dataset.data,
          backgroundColor: STATUS_COLOURS[dataset.status] || "#adb5bd",
          borderWidth: 0,
        })),
      },
      options: {
        indexAxis: "y",
        scales: {
          x: { stacked: true, ticks: { precision: 0 }, grid: { color: GRID }, title: { display: true, text: "Commitments" } },
          // Every category named in full: a long name comes as a list of lines (reports/charts.py),
          // and no name is skipped to make room.
          y: { stacked: true, grid: { display: false }, ticks: { autoSkip: false } },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { title: (items) => data.titles[items[0].dataIndex] } },
        },
      },
    });
  }

  function milestonesChart(data) {
    const canvas = byId("chart-milestones");
    if (!canvas || data.labels.length === 0) return null;
    return new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: "Due (running total)", data: data.due, borderColor: "#6c757d", borderDash: [6, 4], pointRadius: 0, borderWidth: 2, stepped: true },
          { label: "Done (running total)", data: data.done, borderColor: "#198754", backgroundColor: "rgba(25, 135, 84, 0.12)", fill: true, pointRadius: 0, borderWidth: 2, stepped: true },
        ],
      },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { ticks: { maxTicksLimit: 8, maxRotation: 0 }, grid: { display: false } },
          y: { beginAtZero: true, ticks: { precision: 0 }, grid: { color: GRID }, title: { display: true, text: "Milestones" } },
        },
        plugins: { legend: { position: "bottom" } },
      },
    });
  }

  // Dashed vertical lines at the signing dates, drawn over the timeline.
  const signingMarkers = {
    id: "signingMarkers",
    afterDatasetsDraw(chart, _args, options) {
      const { ctx, chartArea, scales } = chart;
      ctx.save();
      ctx.strokeStyle = "#212529";
      ctx.fillStyle = "#212529";
      ctx.setLineDash([4, 3]);
      ctx.lineWidth = 1.5;
      ctx.font = "11px " + Chart.defaults.font.family;
      const drawn = new Set();
      options.signings.forEach((signing) => {
        if (drawn.has(signing.at)) return;
        drawn.add(signing.at);
        const x = scales.x.getPixelForValue(signing.at);
        ctx.beginPath();
        ctx.moveTo(x, chartArea.top);
        ctx.lineTo(x, chartArea.bottom);
        ctx.stroke();
        ctx.fillText("signed", x + 3, chartArea.top - 4);
      });
      ctx.restore();
    },
  };

  function yearsLabel(from, to) {
    return Math.floor(from) + "–" + Math.floor(to);
  }

  function leadershipChart(data) {
    const canvas = byId("chart-leadership");
    if (!canvas || data.seats.length === 0) return null;
    // "Superintendent, Boston Public Schools" on two lines: narrow screens keep the name.
    const labels = data.seats.map((seat) => {
      const comma = seat.indexOf(", ");
      return comma < 0 ? seat : [seat.slice(0, comma), seat.slice(comma + 2)];
    });
    // A bar names its row by the label itself: Chart.js reads a number on a category axis as the
    // bar's own position in the dataset, which drew terms in other seats' rows.
    const bars = (signed) =>
      data.bars
        .filter((bar) => bar.signed === signed)
        .map((bar) => ({ x: [bar.from, bar.to], y: labels[bar.seat], person: bar.person, inPost: bar.inPost }));
    const starts = data.bars.map((bar) => bar.from).concat(data.signings.map((s) => s.at));
    // One row per seat: grow the box with the number of seats rather than squeeze the bars.
    canvas.parentElement.style.height = Math.max(200, 90 + data.seats.length * 46) + "px";
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels,
        datasets: [
          { label: "Term of a signatory", data: bars(true), backgroundColor: "#1f3a5f", borderColor: "#fff", borderWidth: 1, grouped: false, borderSkipped: false },
          { label: "Other terms in the seat", data: bars(false), backgroundColor: "#9ec5fe", borderColor: "#fff", borderWidth: 1, grouped: false, borderSkipped: false },
        ],
      },
      options: {
        indexAxis: "y",
        layout: { padding: { top: 14 } },
        scales: {
          x: {
            type: "linear",
            min: Math.floor(Math.min(...starts)),
            max: Math.ceil(data.today),
            ticks: { precision: 0, maxRotation: 0, autoSkipPadding: 12, callback: (value) => String(value) },
            grid: { color: GRID },
          },
          y: { grid: { display: false }, ticks: { autoSkip: false } },
        },
        plugins: {
          legend: { position: "bottom" },
          signingMarkers: { signings: data.signings },
          tooltip: {
            callbacks: {
              label: (item) => item.raw.person + " (" + yearsLabel(item.raw.x[0], item.raw.x[1]) + (item.raw.inPost ? ", in post)" : ")"),
            },
          },
        },
      },
      plugins: [signingMarkers],
    });
  }

  function activitiesChart(data) {
    const canvas = byId("chart-activities");
    if (!canvas || data.labels.length === 0) return null;
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: "Activities", data: data.activities, backgroundColor: "#9ec5fe" },
          { label: "Outcomes", data: data.outcomes, backgroundColor: "#146c43" },
        ],
      },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { ticks: { maxTicksLimit: 10, maxRotation: 0 }, grid: { display: false } },
          y: { beginAtZero: true, ticks: { precision: 0 }, grid: { color: GRID } },
        },
        plugins: { legend: { position: "bottom" } },
      },
    });
  }

  const TREND_COLOURS = {
    commitment_completion: "#198754",
    milestone_on_time: "#0d6efd",
    signatory_retention: "#b02a37",
    charter_participation: "#6f42c1",
  };

  function trendChart(data) {
    const canvas = byId("chart-trend");
    if (!canvas || !data || data.labels.length < 2) return null;
    const hasJanuary = data.labels.some((label) => label.startsWith("Jan "));
    return new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: data.datasets.map((dataset) => ({
          label: dataset.label,
          data: dataset.data,
          borderColor: TREND_COLOURS[dataset.metric] || "#6c757d",
          backgroundColor: TREND_COLOURS[dataset.metric] || "#6c757d",
          borderWidth: 2,
          pointRadius: 0,
          stepped: true,
          spanGaps: false,
        })),
      },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: {
          y: { min: 0, max: 100, grid: { color: GRID }, ticks: { callback: (value) => `${value}%` } },
          // The year at each January (the first month when no January is shown): a phone has
          // room for those, and autoSkip alone left two arbitrary months on a three-year axis.
          x: {
            grid: { display: false },
            ticks: {
              autoSkip: false,
              maxRotation: 0,
              callback(value, index) {
                const label = this.getLabelForValue(value);
                if (label.startsWith("Jan ")) return label.slice(4);
                return index === 0 && !hasJanuary ? label : null;
              },
            },
          },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${item.formattedValue}%` } },
        },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const source = byId("dashboard-data");
    if (!source || typeof Chart === "undefined") return;
    const data = JSON.parse(source.textContent);

    // No animation: calm on screen, and a chart is complete the moment the page is printed.
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.color = "#343a40";
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;

    const charts = [
      commitmentsChart(data.commitments),
      milestonesChart(data.milestones),
      leadershipChart(data.leadership),
      activitiesChart(data.activities),
      trendChart(data.trend),
    ].filter(Boolean);

    // Paper is narrower than most screens: redraw at the printed size, and back afterwards.
    const resize = () => charts.forEach((chart) => chart.resize());
    window.addEventListener("beforeprint", resize);
    window.addEventListener("afterprint", resize);
    window.matchMedia("print").addEventListener("change", resize);
  });
})();
