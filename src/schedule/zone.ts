/** Whether `zone` names a time zone the runtime's Intl (and so croner) can convert to. */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return true;
  } catch (error) {
    // Intl reports an unknown zone as a RangeError; anything else is not ours to hide.
    if (error instanceof RangeError) return false;
    throw error;
  }
}

/** The IANA name of the zone this process runs in (what a null zone means). */
export function systemZone(): string {
  // A TZ Intl cannot read (`:/etc/localtime` without the file) leaves no name: that is UTC.
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}
