import type { FlameTree } from '../../model/types';

/** Go package of a symbol: "github.com/x/y/pkg.(*T).M" → "github.com/x/y/pkg". */
export function packageOf(name: string): string {
  const slash = name.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  return dot > 0 ? name.slice(0, dot) : name;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A stable colour per package, warm hues as flame graphs traditionally use, plus blues for runtime. */
export function packageColor(name: string, dark: boolean): string {
  const pkg = packageOf(name);
  const h = hash(pkg);
  const runtime = pkg === 'runtime' || pkg.startsWith('runtime/') || pkg === 'syscall';
  const hue = runtime ? 200 + (h % 30) : (h % 60) + 5 + (h % 2 ? 0 : 10);
  const sat = 55 + (h % 25);
  const light = dark ? 38 + ((h >>> 8) % 14) : 62 + ((h >>> 8) % 14);
  return `hsl(${hue} ${sat}% ${light}%)`;
}

/**
 * Diff colour: red where the node's share grew against the base, blue where it shrank,
 * grey when unchanged; saturation follows the size of the change.
 */
export function diffColor(tree: FlameTree, i: number, dark: boolean): string {
  const cur = tree.grandTotal > 0 ? tree.total[i] / tree.grandTotal : 0;
  const baseGrand = tree.baseGrandTotal ?? 0;
  const base = baseGrand > 0 && tree.baseTotal ? tree.baseTotal[i] / baseGrand : 0;
  const delta = cur - base;
  const strength = Math.min(1, Math.abs(delta) * 8);
  const light = dark ? 30 + (1 - strength) * 15 : 85 - strength * 30;
  if (Math.abs(delta) < 1e-4) return dark ? 'hsl(0 0% 35%)' : 'hsl(0 0% 80%)';
  return delta > 0
    ? `hsl(0 ${40 + strength * 50}% ${light}%)`
    : `hsl(215 ${40 + strength * 50}% ${light}%)`;
}
