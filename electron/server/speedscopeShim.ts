// speedscope's page runs in a frame of another site than ours (its own process), and a browser
// that blocks third-party storage (private windows, strict settings) refuses such a frame its
// localStorage: speedscope reads it as it starts, throws, and shows nothing. It keeps only its
// colour scheme there, so where storage is refused an object in memory stands in. The script
// is a file of speedscope's origin, since its CSP allows no inline script.

/** Where speedscope's page loads our script from, before its own. */
export const SPEEDSCOPE_SHIM_PATH = '/profscope/speedscope-shim.js';

export const SPEEDSCOPE_SHIM_JS = `(function () {
  try {
    void window.localStorage;
  } catch (refused) {
    Object.defineProperty(window, 'localStorage', { value: {}, configurable: true });
  }
})();
`;

/** speedscope's index.html with the shim first in its head (its own script ends the body). */
export function withSpeedscopeShim(html: Buffer): Buffer {
  const text = html.toString('utf8');
  const at = text.indexOf('<head>');
  if (at < 0) throw new Error("speedscope's index.html has no <head>");
  const end = at + '<head>'.length;
  return Buffer.from(
    `${text.slice(0, end)}<script src="${SPEEDSCOPE_SHIM_PATH}"></script>${text.slice(end)}`,
  );
}
