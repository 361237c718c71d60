// A text field whose value counts once the user is done with it: on Enter, on leaving the
// field, or on picking one of its suggestions. Typing a namespace or a selector letter by
// letter would otherwise ask the cluster for every prefix on the way.
import { useState, type InputHTMLAttributes } from 'react';

interface Props extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> {
  value: string;
  onCommit: (value: string) => void;
  /** Offered in a datalist; picking one commits it at once. */
  suggestions?: readonly string[];
  /** The datalist's id (required with suggestions). */
  listId?: string;
}

export function CommitInput({ value, onCommit, suggestions, listId, ...rest }: Props) {
  const [draft, setDraft] = useState(value);
  const [shown, setShown] = useState(value);
  // A new value from outside (a preset, another context) replaces the draft.
  if (shown !== value) {
    setShown(value);
    setDraft(value);
  }
  const commit = (v: string) => {
    const t = v.trim();
    if (t !== value) onCommit(t);
  };
  const offered = suggestions && suggestions.length > 0 && listId;
  return (
    <>
      <input
        {...rest}
        list={offered ? listId : undefined}
        value={draft}
        onChange={(e) => {
          setDraft(e.target.value);
          if (suggestions?.includes(e.target.value)) commit(e.target.value);
        }}
        onBlur={() => commit(draft)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit(draft);
          else if (e.key === 'Escape') setDraft(value);
        }}
      />
      {offered && (
        <datalist id={listId}>
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      )}
    </>
  );
}
