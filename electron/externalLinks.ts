// Which links may leave the app for the user's browser. A page that could hand any URL to the
// OS could start any registered handler (file:, smb:, custom schemes of other apps) or send the
// user anywhere; a profile viewer only ever links to documentation of what it shows.

/** Hosts whose pages the app may open, exactly (no subdomains: a subdomain is another site). */
export const EXTERNAL_HOSTS: ReadonlySet<string> = new Set([
  'github.com',
  'go.dev',
  'pkg.go.dev',
  'kubernetes.io',
  'fleet.rancher.io',
  'speedscope.app',
  'www.speedscope.app',
]);

/**
 * The URL to hand to the OS, normalised by the URL parser, or null when it is not an https
 * link to an allowed host on the default port without credentials.
 */
export function externalUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return null;
  if (url.port !== '' || !EXTERNAL_HOSTS.has(url.hostname)) return null;
  return url.href;
}
