import { describe, expect, it } from 'vitest';
import { parseViewState, serializeViewState } from '../../../renderer/state/viewHash';

describe('view state in the URL', () => {
  it('round-trips the view, sample type and filters', () => {
    const state = {
      view: 'top' as const,
      filters: { sampleIndex: 2, focus: '^sort\\.', tagFocus: 'controller=bundle' },
    };
    expect(parseViewState(`#${serializeViewState(state)}`)).toEqual(state);
  });

  it('ignores hashes that are not ours', () => {
    expect(parseViewState('#profileURL=x')).toBeNull();
    expect(parseViewState('#view=nope')).toBeNull();
    expect(parseViewState('#view=flame&si=-1')).toEqual({ view: 'flame', filters: {} });
  });
});
