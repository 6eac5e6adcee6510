/** How the console writes times, kinds and sizes. Pure functions. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function span(ms: number): string {
  if (ms < HOUR) return `${Math.max(1, Math.round(ms / MINUTE))} min`;
  if (ms < 2 * DAY) return `${Math.round(ms / HOUR)} h`;
  return `${Math.round(ms / DAY)} days`;
}

/** "due in 5 h", or "overdue by 2 days" (the API says whether the task is overdue). */
export function relativeDue(dueAt: string, now: number, overdue: boolean): string {
  const diff = new Date(dueAt).getTime() - now;
  if (overdue || diff < 0) return `overdue by ${span(Math.abs(diff))}`;
  return `due in ${span(diff)}`;
}

export function dateTime(iso: string): string {
  const d = new Date(iso);
  // Business time is Asia/Shanghai (the business calendar's zone), said so on every time shown.
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString('en-GB', { timeZone: 'Asia/Shanghai', timeZoneName: 'short' });
}

/**
 * `mfa-device-appeal` → "MFA device appeal"; `awaiting_second_approval` → "awaiting second
 * approval"; `reachablePhone` → "reachable phone".
 */
export function words(code: string): string {
  const text = code
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[-_]/g, ' ')
    .toLowerCase();
  return text.replace(/\bmfa\b/i, 'MFA');
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** `sign-in-appeal` → "Sign in appeal": a kind as a title. */
export function title(code: string): string {
  const w = words(code);
  return w.charAt(0).toUpperCase() + w.slice(1);
}
