// The SpO2 target of each NEWS2 scale (shared/reference/news2.md): scale 1 for most patients, scale 2
// for hypercapnic respiratory failure on a doctor's decision. One place for the chart's shaded band
// and every sentence that names the target.
export type Spo2Scale = 1 | 2;

export const SPO2_TARGET: Record<Spo2Scale, { band: [number, number]; text: string }> = {
  1: { band: [96, 100], text: '≥ 96 %' },
  2: { band: [88, 92], text: '88–92 %' },
};
