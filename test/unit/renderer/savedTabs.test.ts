import { describe, expect, it } from 'vitest';
import { parseSavedTabs, tabsToSave } from '../../../renderer/state/savedTabs';
import type { Tab } from '../../../renderer/state/tabs';

const tab = (key: number, source: Tab['source'], status: Tab['status'] = 'ready'): Tab => ({
  key,
  title: `t${key}`,
  source,
  status,
});

describe('saved tabs', () => {
  it('keeps what can be opened again, in order, through JSON', () => {
    const tabs: Tab[] = [
      tab(1, { kind: 'file', path: '/p/cpu.pb.gz' }),
      tab(2, { kind: 'upload' }),
      tab(3, { kind: 'merged', paths: ['/a', '/b'], labels: [{ pod: 'a' }, { pod: 'b' }] }),
      {
        ...tab(4, { kind: 'merged', paths: ['/c'] }, 'loading'),
        initial: { view: 'diff', baseKey: 3 },
      },
      tab(5, { kind: 'folder', path: '/p' }),
      tab(6, { kind: 'triage', id: 'x', dir: null }),
    ];
    const saved = parseSavedTabs(JSON.stringify(tabsToSave(tabs, 3)));
    expect(saved?.active).toBe(3);
    expect(saved?.clean).toBe(false);
    expect(saved?.tabs.map((t) => t.key)).toEqual([1, 3, 4, 5, 6]);
    expect(saved?.tabs[2]).toMatchObject({ loading: true, initial: { view: 'diff', baseKey: 3 } });
    expect(saved?.tabs[1].source).toEqual(tabs[2].source);
  });

  it('drops what is not ours', () => {
    expect(parseSavedTabs(null)).toBeNull();
    expect(parseSavedTabs('{')).toBeNull();
    expect(parseSavedTabs('{"tabs":[]}')).toBeNull();
    const odd = parseSavedTabs(
      JSON.stringify({
        tabs: [
          { key: 1, title: 'x', source: { kind: 'file', path: 7 } },
          { key: 2, title: 'y', source: { kind: 'merged', paths: ['/a'], labels: [1] } },
          { key: 3, title: 'z', source: { kind: 'file', path: '/ok' } },
        ],
        active: 'no',
        clean: true,
      }),
    );
    expect(odd).toEqual({
      tabs: [{ key: 3, title: 'z', source: { kind: 'file', path: '/ok' }, loading: false }],
      active: null,
      clean: true,
    });
  });
});
