/** A pprof text report without its Time: line, which depends on the local time zone. */
export function withoutTime(s: string): string {
  return s
    .split('\n')
    .filter((l) => !l.startsWith('Time: '))
    .join('\n');
}
