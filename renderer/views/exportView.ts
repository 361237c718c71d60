import type { FlameTree } from '../model/types';
import { packageColor } from './flame/colors';
import { frameName, ROW_HEIGHT, rowOf, type Viewport } from './flame/layout';

/** Saves bytes or text as a download: the browser's own save in browser mode, Electron's save dialog in the app. */
export function download(name: string, data: Uint8Array | string | Blob, type: string): void {
  const blob =
    data instanceof Blob
      ? data
      : new Blob([typeof data === 'string' ? data : new Uint8Array(data)], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Text safe in XML 1.0: markup escaped, and characters XML cannot hold at all (C0 controls but
 * tab/newline/CR, lone surrogates, U+FFFE/U+FFFF; a stranger's profile may name functions
 * with them) replaced by U+FFFD, or the file does not open.
 */
export function escapeXml(s: string): string {
  return s
    .replace(
      // eslint-disable-next-line no-control-regex
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      '\uFFFD',
    )
    .replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);
}

/**
 * The flame graph as SVG, at the current zoom: the same layout as the canvas, frames under
 * half a pixel left out, each frame with a <title> so names show on hover in any viewer.
 */
export function flameToSvg(
  tree: FlameTree,
  viewport: Viewport,
  width: number,
  inverted: boolean,
): string {
  const height = (tree.maxDepth + 1) * ROW_HEIGHT;
  const scale = width / (viewport.end - viewport.start);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="monospace" font-size="11">`,
  ];
  for (let i = 0; i < tree.frame.length;) {
    const x0 = (tree.start[i] - viewport.start) * scale;
    const w = tree.total[i] * scale;
    if (w < 0.5 || x0 >= width || x0 + w <= 0) {
      i += tree.subtreeSize[i];
      continue;
    }
    const x = Math.max(0, x0);
    const rw = Math.min(width, x0 + w) - x;
    const y = rowOf(tree, tree.depth[i], inverted) * ROW_HEIGHT;
    const name = frameName(tree, i);
    const chars = Math.floor((rw - 6) / 7);
    const label = chars >= 3 ? (name.length <= chars ? name : `${name.slice(0, chars - 1)}…`) : '';
    parts.push(
      `<g><title>${escapeXml(name)}</title><rect x="${x.toFixed(1)}" y="${y}" width="${Math.max(rw - 1, 0.5).toFixed(1)}" height="${ROW_HEIGHT - 1}" fill="${packageColor(name, false)}"/>` +
        (label ? `<text x="${(x + 3).toFixed(1)}" y="${y + 13}">${escapeXml(label)}</text>` : '') +
        '</g>',
    );
    i++;
  }
  parts.push('</svg>');
  return parts.join('\n');
}
