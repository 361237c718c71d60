// One answer from the main process, reloaded when what it depends on changes. The key names
// the question; an answer to an older key is dropped, so a slow reply for the namespace left
// behind never replaces the list of the namespace now shown.
import { useEffect, useRef, useState } from 'react';
import { message } from '../presets';

export interface Loaded<T> {
  /** The last answer (for an earlier key while `loading`), null after a failure. */
  value: T | null;
  error: string | null;
  loading: boolean;
}

/**
 * Runs `load` whenever `key` changes (not when `load` does: it is read from a ref, so callers
 * need not memoize it); a null key loads nothing. Put a retry counter in the key to reload.
 */
export function useLoaded<T>(key: string | null, load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<Loaded<T> & { key: string | null }>({
    key: null,
    value: null,
    error: null,
    loading: false,
  });
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  useEffect(() => {
    if (key === null) return;
    let live = true;
    setState((s) => ({ ...s, key, loading: true, error: null }));
    loadRef.current().then(
      (value) => live && setState({ key, value, error: null, loading: false }),
      (err: unknown) => live && setState({ key, value: null, error: message(err), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  // Until the new answer comes, the old one stays in view (marked loading): a refresh must not
  // blank the list it refreshes.
  return state.key === key ? state : { ...state, error: null, loading: key !== null };
}
