import { useState } from 'react';
import type { ViewOptions } from '../model/types';

export type FilterKey = 'focus' | 'ignore' | 'hide' | 'show' | 'tagFocus' | 'tagIgnore';

const FIELDS: { key: FilterKey; label: string; hint: string }[] = [
  { key: 'focus', label: 'Focus', hint: 'keep stacks through matching frames' },
  { key: 'ignore', label: 'Ignore', hint: 'drop stacks through matching frames' },
  { key: 'hide', label: 'Hide', hint: 'remove matching frames from stacks' },
  { key: 'show', label: 'Show', hint: 'keep only matching frames' },
  { key: 'tagFocus', label: 'Tag', hint: 'key=value, e.g. controller=bundle' },
  { key: 'tagIgnore', label: 'Not tag', hint: 'key=value' },
];

/** pprof's focus/ignore/hide/show and tag filters; applied on Enter or when a field loses focus. */
export function FilterBar({
  opts,
  labelKeys,
  onChange,
  invalid = null,
}: {
  opts: ViewOptions;
  labelKeys: string[];
  onChange: (patch: Partial<ViewOptions>) => void;
  /** The field the engine refused (a bad regular expression): marked until it changes. */
  invalid?: FilterKey | null;
}) {
  const [draft, setDraft] = useState<Partial<Record<FilterKey, string>>>({});
  const value = (k: FilterKey) => draft[k] ?? opts[k] ?? '';
  const commit = (k: FilterKey) => {
    if (draft[k] === undefined) return;
    onChange({ [k]: draft[k] || undefined });
    setDraft((d) => ({ ...d, [k]: undefined }));
  };
  return (
    <div className="filter-bar" data-testid="filter-bar">
      {FIELDS.filter((f) => labelKeys.length > 0 || !f.key.startsWith('tag')).map((f) => (
        <label key={f.key} title={f.hint}>
          {f.label}
          <input
            data-testid={`filter-${f.key}`}
            value={value(f.key)}
            placeholder={f.key.startsWith('tag') ? `${labelKeys[0] ?? 'key'}=…` : 'regex'}
            className={opts[f.key] ? 'active' : ''}
            aria-invalid={invalid === f.key && draft[f.key] === undefined}
            onChange={(e) => setDraft((d) => ({ ...d, [f.key]: e.target.value }))}
            onBlur={() => commit(f.key)}
            onKeyDown={(e) => e.key === 'Enter' && commit(f.key)}
          />
        </label>
      ))}
    </div>
  );
}
