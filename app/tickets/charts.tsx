/*
 * Charts as inline SVG and CSS, no chart library: a 12-month line for each scorecard measure,
 * and horizontal bars comparing estates. Each chart has a text alternative; the figures are
 * also in a table on the same page.
 */

export interface Point {
  label: string;
  value: number | null;
}

/** A small line chart of monthly values (gaps where a month has no data), with the last value written out. */
export function TrendChart({
  title,
  points,
  format,
  max,
}: {
  title: string;
  points: readonly Point[];
  format: (v: number) => string;
  max?: number;
}) {
  const width = 320;
  const height = 110;
  const pad = { left: 6, right: 6, top: 16, bottom: 20 };
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const top = Math.max(max ?? 0, ...values, 1);
  const x = (i: number) =>
    pad.left + (points.length <= 1 ? 0 : (i * (width - pad.left - pad.right)) / (points.length - 1));
  const y = (v: number) => pad.top + (1 - v / top) * (height - pad.top - pad.bottom);
  // Runs of consecutive months with data, each drawn as its own line.
  const runs: { i: number; v: number }[][] = [];
  points.forEach((p, i) => {
    if (p.value === null) return;
    const run = runs.at(-1);
    if (run && run.at(-1)!.i === i - 1) run.push({ i, v: p.value });
    else runs.push([{ i, v: p.value }]);
  });
  const lastIndex = points.map((p) => p.value).findLastIndex((v) => v !== null);
  const last = lastIndex >= 0 ? points[lastIndex] : null;
  const summary = `${title}: ${points.map((p) => `${p.label} ${p.value === null ? "—" : format(p.value)}`).join(", ")}`;
  return (
    <figure className="chart">
      <figcaption>
        <span>{title}</span>
        <strong>{last && last.value !== null ? format(last.value) : "—"}</strong>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary} preserveAspectRatio="none">
        <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} className="chart-axis" />
        {runs.map((run) =>
          run.length > 1 ? (
            <polyline
              key={run[0].i}
              className="chart-line"
              fill="none"
              points={run.map((p) => `${x(p.i).toFixed(1)},${y(p.v).toFixed(1)}`).join(" ")}
            />
          ) : null,
        )}
        {runs.flat().map((p) => (
          <circle
            key={p.i}
            className={p.i === lastIndex ? "chart-dot chart-dot-last" : "chart-dot"}
            cx={x(p.i)}
            cy={y(p.v)}
            r={p.i === lastIndex ? 3.5 : 2.2}
          />
        ))}
        {points.length > 0 ? (
          <>
            <text x={pad.left} y={height - 5} className="chart-label">
              {points[0].label}
            </text>
            <text x={width - pad.right} y={height - 5} className="chart-label" textAnchor="end">
              {points.at(-1)!.label}
            </text>
          </>
        ) : null}
      </svg>
    </figure>
  );
}

/** Monthly counts as bars (tickets filed). */
export function BarChart({ title, points }: { title: string; points: readonly Point[] }) {
  const width = 320;
  const height = 110;
  const pad = { top: 16, bottom: 20 };
  const top = Math.max(1, ...points.map((p) => p.value ?? 0));
  const slot = width / Math.max(1, points.length);
  const summary = `${title}: ${points.map((p) => `${p.label} ${p.value ?? 0}`).join(", ")}`;
  return (
    <figure className="chart">
      <figcaption>
        <span>{title}</span>
        <strong>{points.at(-1)?.value ?? 0}</strong>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary} preserveAspectRatio="none">
        {points.map((p, i) => {
          const h = ((p.value ?? 0) / top) * (height - pad.top - pad.bottom);
          return (
            <rect
              key={p.label}
              className={i === points.length - 1 ? "chart-bar chart-bar-last" : "chart-bar"}
              x={i * slot + slot * 0.15}
              width={slot * 0.7}
              y={height - pad.bottom - h}
              height={h}
            />
          );
        })}
        {points.length > 0 ? (
          <>
            <text x={2} y={height - 5} className="chart-label">
              {points[0].label}
            </text>
            <text x={width - 2} y={height - 5} className="chart-label" textAnchor="end">
              {points.at(-1)!.label}
            </text>
          </>
        ) : null}
      </svg>
    </figure>
  );
}

/** Estates side by side on one measure: a bar each, the warning ones marked. */
export function CompareBars({
  title,
  items,
  format,
  max,
}: {
  title: string;
  items: readonly { label: string; value: number | null; warn?: boolean }[];
  format: (v: number) => string;
  max?: number;
}) {
  const top = Math.max(max ?? 0, 1, ...items.map((i) => i.value ?? 0));
  return (
    <figure className="compare">
      <figcaption>{title}</figcaption>
      {items.map((item) => (
        <div key={item.label} className="compare-row">
          <span className="compare-label">{item.label}</span>
          <span
            className="compare-track"
            role="img"
            aria-label={`${item.label} ${item.value === null ? "—" : format(item.value)}`}
          >
            <span
              className={item.warn ? "compare-fill compare-warn" : "compare-fill"}
              style={{ width: `${item.value === null ? 0 : Math.max(1, (100 * item.value) / top)}%` }}
            />
          </span>
          <span className="compare-value">{item.value === null ? "—" : format(item.value)}</span>
        </div>
      ))}
    </figure>
  );
}
