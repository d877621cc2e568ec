// Hand-drawn SVG charts (no library: three small shapes cover the admin's needs): lines over days
// or weeks, and intervals drawn as intervals (a bar from low to high with the estimate as a dot
// and zero marked). Each chart has a text equivalent in its aria-label and a table nearby.
export interface Series {
  name: string;
  /** A CSS class for the colour (series-0 … series-5). */
  tone: number;
  values: number[];
}

export function LineChart({ labels, series, label, height = 160 }: { labels: string[]; series: Series[]; label: string; height?: number }) {
  const width = 480;
  const pad = { left: 40, right: 12, top: 12, bottom: 24 };
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const x = (i: number) => pad.left + (labels.length <= 1 ? (width - pad.left - pad.right) / 2 : (i * (width - pad.left - pad.right)) / (labels.length - 1));
  const y = (v: number) => height - pad.bottom - (v * (height - pad.top - pad.bottom)) / max;
  return (
    <figure class="chart-figure">
      <svg class="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
        <line x1={pad.left} y1={height - pad.bottom} x2={width - pad.right} y2={height - pad.bottom} class="axis" />
        <text x={pad.left - 4} y={pad.top + 4} text-anchor="end" class="chart-label">{max.toLocaleString()}</text>
        <text x={pad.left - 4} y={height - pad.bottom} text-anchor="end" class="chart-label">0</text>
        {series.map((s) => (
          <g key={s.name} class={`series series-${s.tone}`}>
            <path d={s.values.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')} fill="none" />
            {s.values.map((v, i) => (
              <circle key={i} cx={x(i)} cy={y(v)} r={2.5} />
            ))}
          </g>
        ))}
        {labels.length ? <text x={x(0)} y={height - 6} class="chart-label">{labels[0]}</text> : null}
        {labels.length > 1 ? <text x={x(labels.length - 1)} y={height - 6} text-anchor="end" class="chart-label">{labels[labels.length - 1]}</text> : null}
      </svg>
      <figcaption class="legend">
        {series.map((s) => (
          <span key={s.name} class={`key series-${s.tone}`}>{s.name}</span>
        ))}
      </figcaption>
    </figure>
  );
}

export interface IntervalRow {
  name: string;
  estimate: number | null;
  low: number | null;
  high: number | null;
  text: string;
}

/** Estimates with their 95% intervals on one scale that always shows zero. */
export function IntervalChart({ rows, label }: { rows: IntervalRow[]; label: string }) {
  const width = 480;
  const rowHeight = 28;
  const left = 130;
  const right = 16;
  const height = rows.length * rowHeight + 24;
  const values = rows.flatMap((r) => [r.low, r.high, r.estimate]).filter((v): v is number => v !== null);
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const span = hi - lo || 1;
  const x = (v: number) => left + ((v - lo) / span) * (width - left - right);
  return (
    <svg class="chart interval-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${label}: ${rows.map((r) => `${r.name} ${r.text}`).join('; ')}`}>
      <line x1={x(0)} y1={4} x2={x(0)} y2={height - 18} class="zero" />
      <text x={x(0)} y={height - 4} text-anchor="middle" class="chart-label">0</text>
      {rows.map((r, i) => {
        const cy = 16 + i * rowHeight;
        return (
          <g key={r.name} class="interval" data-row={r.name}>
            <text x={4} y={cy + 4} class="chart-label">{r.name.length > 18 ? `${r.name.slice(0, 17)}…` : r.name}</text>
            {r.low !== null && r.high !== null ? <line x1={x(r.low)} y1={cy} x2={x(r.high)} y2={cy} class="interval-bar" /> : null}
            {r.low !== null ? <line x1={x(r.low)} y1={cy - 6} x2={x(r.low)} y2={cy + 6} class="interval-bar" /> : null}
            {r.high !== null ? <line x1={x(r.high)} y1={cy - 6} x2={x(r.high)} y2={cy + 6} class="interval-bar" /> : null}
            {r.estimate !== null ? <circle cx={x(r.estimate)} cy={cy} r={4} class="interval-dot" /> : null}
          </g>
        );
      })}
    </svg>
  );
}
