import type { News2Response } from '../../../contract/index.js';

/** The response level in the words of the RCP chart, as a nurse reads it on the board. */
export const RESPONSE_WORDS: Record<News2Response, string> = {
  low: 'Low',
  'low-medium': 'Low–medium (3 in one parameter)',
  medium: 'Medium: urgent response',
  high: 'High: emergency response',
};

/** Short labels for the bed card, where space is tight. */
export const RESPONSE_SHORT: Record<News2Response, string> = {
  low: 'low',
  'low-medium': 'low–med',
  medium: 'medium',
  high: 'HIGH',
};

/** The class that colours a score by its response level (ward.css: green, amber, orange, red). */
export const responseClass = (response: News2Response) => `news2 news2-${response}`;

const DAY_MS = 86_400_000;

/** "14:05" today, "Tue 14:05" within the week, else the date. */
export function shortTime(iso: string, now = new Date()): string {
  const at = new Date(iso);
  const time = at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  if (at.toDateString() === now.toDateString()) return time;
  if (Math.abs(now.getTime() - at.getTime()) < 6 * DAY_MS) return `${at.toLocaleDateString('en-GB', { weekday: 'short' })} ${time}`;
  return `${at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })} ${time}`;
}

/** Date and time for a print-out: "1 Dec 2026, 14:05". */
export const printedAt = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
