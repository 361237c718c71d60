// The flame graph's SVG export must be a well-formed XML file whatever the profile names its
// functions: a stranger's profile may hold control characters, which XML 1.0 cannot carry at
// all (even escaped), and markup.
import { gunzipSync } from 'node:zlib';
import { Profile as PProfile } from 'pprof-format';
import { describe, expect, it } from 'vitest';
import { buildFlameTree, decodeProfile } from '../../../renderer/model/index';
import { flameToSvg } from '../../../renderer/views/exportView';
import { fullViewport } from '../../../renderer/views/flame/layout';
import { fixture } from './helpers';

/** XML 1.0's Char production, applied to every code point. */
function invalidXmlChars(s: string): string[] {
  const bad: string[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    const ok =
      c === 0x9 ||
      c === 0xa ||
      c === 0xd ||
      (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) ||
      (c >= 0x10000 && c <= 0x10ffff);
    if (!ok) bad.push(`U+${c.toString(16).padStart(4, '0')}`);
  }
  return bad;
}

describe('flameToSvg', () => {
  it('writes XML 1.0 even when function names hold control characters and markup', async () => {
    const pp = PProfile.decode(gunzipSync(fixture('pprof', 'cpu.pb.gz')));
    const hostile = ['\u0001', '\u001b[31m', '<script>alert(1)</script>', '\ud800', '\u0000'];
    // Every function gets one, so every frame drawn carries one.
    pp.function.forEach((f, i) => {
      const name = pp.stringTable.strings[Number(f.name)];
      f.name = pp.stringTable.dedup(name + hostile[i % hostile.length]);
    });
    const profile = await decodeProfile(pp.encode());
    const tree = buildFlameTree(profile, {});
    const svg = flameToSvg(tree, fullViewport(tree), 1200, false);
    expect(invalidXmlChars(svg)).toEqual([]);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('\ufffd');
    expect(svg).toContain('&lt;script&gt;');
  });
});
