import type { Observation } from '../../../contract/index.js';
import { SPO2_TARGET, type Spo2Scale } from './spo2-target.js';

const HOURS = 72;
const WIDTH = 260;
const HEIGHT = 70;
const PAD = { left: 30, right: 8, top: 8, bottom: 14 };

interface Series {
  label: string;
  unit: string;
  value: (o: Observation) => number;
  /** The axis range: fixed per vital so two charts of the same vital compare at a glance. */
  range: [number, number];
  /** The band a well adult is usually in (NEWS2 scores 0 there), shaded. */
  normal: [number, number];
}

const SERIES: Series[] = [
  { label: 'NEWS2', unit: '', value: (o) => o.news2Score, range: [0, 20], normal: [0, 0] },
  { label: 'Respiration', unit: '/min', value: (o) => o.respirationRate, range: [4, 40], normal: [12, 20] },
  { label: 'SpO2', unit: '%', value: (o) => o.spo2, range: [75, 100], normal: SPO2_TARGET[1].band },
  { label: 'Systolic BP', unit: 'mmHg', value: (o) => o.systolicBp, range: [60, 240], normal: [111, 219] },
  { label: 'Pulse', unit: '/min', value: (o) => o.pulse, range: [30, 180], normal: [51, 90] },
  { label: 'Temperature', unit: '°C', value: (o) => o.temperature, range: [34, 41], normal: [36.1, 38] },
];

/**
 * One small chart per vital over the last 72 hours (hand-drawn SVG): time runs left to right up to
 * now, the usual band is shaded, each reading is a dot. Entered-in-error readings are left out.
 */
export function VitalsTrends({
  observations,
  spo2Scale = 1,
  now = new Date(),
}: {
  observations: Observation[];
  /** The NEWS2 scale the SpO2 band is shaded for (2 on a doctor's decision). */
  spo2Scale?: Spo2Scale;
  now?: Date;
}) {
  const valid = observations.filter((o) => !o.enteredInError).sort((a, b) => a.takenAt.localeCompare(b.takenAt));
  const series = SERIES.map((s): Series => (s.label === 'SpO2' ? { ...s, normal: SPO2_TARGET[spo2Scale].band } : s));
  return (
    <div className="trends" aria-label="Trends over the last 72 hours" role="group">
      {series.map((s) => (
        <TrendChart key={s.label} series={s} observations={valid} now={now} />
      ))}
    </div>
  );
}

function TrendChart({ series, observations, now }: { series: Series; observations: Observation[]; now: Date }) {
  const [lo, hi] = series.range;
  const start = now.getTime() - HOURS * 3_600_000;
  const x = (iso: string) => PAD.left + ((new Date(iso).getTime() - start) / (HOURS * 3_600_000)) * (WIDTH - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - (Math.min(Math.max(v, lo), hi) - lo) / (hi - lo)) * (HEIGHT - PAD.top - PAD.bottom);
  const points = observations.map((o) => ({ x: x(o.takenAt), y: y(series.value(o)), o }));
  const last = observations.at(-1);
  const description = last
    ? `${series.label}: ${observations.length} reading(s), latest ${series.value(last)}${series.unit}, range ${Math.min(...observations.map(series.value))}–${Math.max(...observations.map(series.value))}`
    : `${series.label}: no readings in 72 hours`;
  return (
    <figure className="trend">
      <figcaption>
        {series.label}{' '}
        <strong>
          {last ? series.value(last) : '—'}
          {last ? series.unit : ''}
        </strong>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role="img" aria-label={description}>
        {series.normal[1] > series.normal[0] && (
          <rect
            x={PAD.left}
            width={WIDTH - PAD.left - PAD.right}
            y={y(series.normal[1])}
            height={y(series.normal[0]) - y(series.normal[1])}
            className="trend-normal"
          />
        )}
        <line x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={HEIGHT - PAD.bottom} className="trend-axis" />
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={HEIGHT - PAD.bottom} y2={HEIGHT - PAD.bottom} className="trend-axis" />
        <text x={PAD.left - 3} y={PAD.top + 4} className="trend-tick" textAnchor="end">
          {hi}
        </text>
        <text x={PAD.left - 3} y={HEIGHT - PAD.bottom} className="trend-tick" textAnchor="end">
          {lo}
        </text>
        {[72, 48, 24].map((h) => (
          <text key={h} x={PAD.left + ((HOURS - h) / HOURS) * (WIDTH - PAD.left - PAD.right)} y={HEIGHT - 2} className="trend-tick">
            −{h}h
          </text>
        ))}
        <text x={WIDTH - PAD.right} y={HEIGHT - 2} className="trend-tick" textAnchor="end">
          now
        </text>
        {points.length > 1 && (
          <polyline points={points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')} className="trend-line" />
        )}
        {points.map((p) => (
          <circle key={p.o.observationId} cx={p.x} cy={p.y} r={2.8} className={`trend-dot news2-dot-${p.o.news2Response}`} />
        ))}
      </svg>
    </figure>
  );
}
