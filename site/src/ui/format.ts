// Small formatting helpers shared by the admin pages.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function parse(iso: string | undefined | null): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1971) return null;
  return d;
}

/** "23 Nov 2026, 15:40", or the fallback for a missing or zero time. */
export function formatDateTime(iso: string | undefined | null, fallback = '—'): string {
  const d = parse(iso);
  return d ? dateTime.format(d) : fallback;
}

export function formatDate(iso: string | undefined | null, fallback = '—'): string {
  const d = parse(iso);
  return d ? dateOnly.format(d) : fallback;
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
