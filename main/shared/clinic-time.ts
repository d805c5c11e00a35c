/** The clinic's "now" as a local date and minute: what "today" and "already passed" are judged by. */
export const localNow = (now: Date) => ({
  date: `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`,
  minute: now.getHours() * 60 + now.getMinutes(),
});
