/**
 * Times as the source formats write them, to ISO 8601 instants in UTC.
 *
 * `Date.parse` is not used for ISO-like text because it reads a time without a zone as local
 * time, which would make an import depend on the machine's zone. The formats here that omit the
 * zone (Disqus, WordPress's `*_gmt` fields, Waline on SQL storage) mean UTC.
 */

const isoLike =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** `2011-08-31T15:16:29Z`, `2017-12-20T15:18:22.472041-06:00`, `2019-01-07 10:00:00` (UTC). */
export function isoInstant(text: string): string {
  const match = isoLike.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a date and time`);
  const part = (index: number): number => Number(match[index] ?? 0);
  const fields = [part(1), part(2), part(3), part(4), part(5), part(6)] as const;
  const fraction = match[7] ?? '';
  const zone = match[8] ?? 'Z';
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5], millis);
  const check = new Date(utc);
  if (
    check.getUTCFullYear() !== fields[0] ||
    check.getUTCMonth() !== fields[1] - 1 ||
    check.getUTCDate() !== fields[2] ||
    check.getUTCHours() !== fields[3] ||
    check.getUTCMinutes() !== fields[4] ||
    check.getUTCSeconds() !== fields[5]
  ) {
    throw new Error(`"${text}" is not a date and time`);
  }
  return new Date(utc - zoneOffsetMinutes(zone) * 60_000).toISOString();
}

function zoneOffsetMinutes(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  return zone.startsWith('-') ? -minutes : minutes;
}

/** RFC 2822 dates as RSS writes them: `Tue, 14 Jan 2014 17:31:03 +0000`. */
export function rfc2822Instant(text: string): string {
  const trimmed = text.trim();
  if (
    !/^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}(?::\d{2})?\s+(?:[+-]\d{4}|GMT|UTC|UT|Z)$/.test(
      trimmed,
    )
  ) {
    throw new Error(`"${text}" is not an RFC 2822 date`);
  }
  const millis = Date.parse(trimmed);
  if (Number.isNaN(millis)) throw new Error(`"${text}" is not an RFC 2822 date`);
  return new Date(millis).toISOString();
}

/** Unix time in seconds, fractions allowed (Isso's `created`). */
export function epochSecondsInstant(seconds: number): string {
  if (!Number.isFinite(seconds)) throw new Error(`${seconds} is not a time in seconds`);
  return new Date(Math.round(seconds * 1000)).toISOString();
}

/** Unix time in milliseconds. */
export function epochMillisInstant(millis: number): string {
  if (!Number.isFinite(millis)) throw new Error(`${millis} is not a time in milliseconds`);
  return new Date(millis).toISOString();
}
