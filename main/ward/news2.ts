// NEWS2 (Royal College of Physicians, 2017), exactly as the chart in shared/reference/news2.md.
// Pure functions: main scores with them before storing, and the tests walk every band edge.

export type Consciousness = 'A' | 'C' | 'V' | 'P' | 'U';
export type SpO2Scale = 1 | 2;
export type News2Response = 'low' | 'low-medium' | 'medium' | 'high';

export interface Vitals {
  respirationRate: number;
  spo2: number;
  spo2Scale: SpO2Scale;
  onOxygen: boolean;
  systolicBp: number;
  pulse: number;
  consciousness: Consciousness;
  temperature: number;
}

export interface News2ParameterScores {
  respirationRate: number;
  spo2: number;
  airOrOxygen: number;
  systolicBp: number;
  pulse: number;
  consciousness: number;
  temperature: number;
}

export interface News2Result {
  parameters: News2ParameterScores;
  score: number;
  /** Some single parameter scored 3 (the chart's "3 in any single parameter" trigger). */
  singleParameterThree: boolean;
  response: News2Response;
}

/** Respiration rate: ≤8 →3, 9–11 →1, 12–20 →0, 21–24 →2, ≥25 →3. */
export function scoreRespirationRate(rate: number): number {
  if (rate <= 8) return 3;
  if (rate <= 11) return 1;
  if (rate <= 20) return 0;
  if (rate <= 24) return 2;
  return 3;
}

/** SpO2 scale 1: ≤91 →3, 92–93 →2, 94–95 →1, ≥96 →0 (oxygen scores separately). */
export function scoreSpo2Scale1(spo2: number): number {
  if (spo2 <= 91) return 3;
  if (spo2 <= 93) return 2;
  if (spo2 <= 95) return 1;
  return 0;
}

/** SpO2 scale 2 (target 88–92%): ≤83 →3, 84–85 →2, 86–87 →1, 88–92 or ≥93 on air →0; on oxygen 93–94 →1, 95–96 →2, ≥97 →3. */
export function scoreSpo2Scale2(spo2: number, onOxygen: boolean): number {
  if (spo2 <= 83) return 3;
  if (spo2 <= 85) return 2;
  if (spo2 <= 87) return 1;
  if (spo2 <= 92 || !onOxygen) return 0;
  if (spo2 <= 94) return 1;
  if (spo2 <= 96) return 2;
  return 3;
}

export function scoreSpo2(spo2: number, scale: SpO2Scale, onOxygen: boolean): number {
  return scale === 2 ? scoreSpo2Scale2(spo2, onOxygen) : scoreSpo2Scale1(spo2);
}

/** Air →0, any supplemental oxygen →2. */
export function scoreAirOrOxygen(onOxygen: boolean): number {
  return onOxygen ? 2 : 0;
}

/** Systolic BP: ≤90 →3, 91–100 →2, 101–110 →1, 111–219 →0, ≥220 →3. */
export function scoreSystolicBp(systolic: number): number {
  if (systolic <= 90) return 3;
  if (systolic <= 100) return 2;
  if (systolic <= 110) return 1;
  if (systolic <= 219) return 0;
  return 3;
}

/** Pulse: ≤40 →3, 41–50 →1, 51–90 →0, 91–110 →1, 111–130 →2, ≥131 →3. */
export function scorePulse(pulse: number): number {
  if (pulse <= 40) return 3;
  if (pulse <= 50) return 1;
  if (pulse <= 90) return 0;
  if (pulse <= 110) return 1;
  if (pulse <= 130) return 2;
  return 3;
}

/** Alert →0; new Confusion, Voice, Pain or Unresponsive →3. */
export function scoreConsciousness(level: Consciousness): number {
  return level === 'A' ? 0 : 3;
}

/** Temperature (°C, one decimal): ≤35.0 →3, 35.1–36.0 →1, 36.1–38.0 →0, 38.1–39.0 →1, ≥39.1 →2. */
export function scoreTemperature(celsius: number): number {
  // Thresholds compare against the upper edge of each band, so 35.05 (never stored) still has one answer.
  if (celsius <= 35.0) return 3;
  if (celsius <= 36.0) return 1;
  if (celsius <= 38.0) return 0;
  if (celsius <= 39.0) return 1;
  return 2;
}

/** The chart's response table; a single 3 raises a low aggregate to low-medium. */
export function news2Response(score: number, singleParameterThree: boolean): News2Response {
  if (score >= 7) return 'high';
  if (score >= 5) return 'medium';
  if (singleParameterThree) return 'low-medium';
  return 'low';
}

export function scoreNews2(vitals: Vitals): News2Result {
  const parameters: News2ParameterScores = {
    respirationRate: scoreRespirationRate(vitals.respirationRate),
    spo2: scoreSpo2(vitals.spo2, vitals.spo2Scale, vitals.onOxygen),
    airOrOxygen: scoreAirOrOxygen(vitals.onOxygen),
    systolicBp: scoreSystolicBp(vitals.systolicBp),
    pulse: scorePulse(vitals.pulse),
    consciousness: scoreConsciousness(vitals.consciousness),
    temperature: scoreTemperature(vitals.temperature),
  };
  const values = Object.values(parameters);
  const score = values.reduce((sum, v) => sum + v, 0);
  const singleParameterThree = values.some((v) => v === 3);
  return { parameters, score, singleParameterThree, response: news2Response(score, singleParameterThree) };
}
