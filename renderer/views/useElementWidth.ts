import { useEffect, useState, type RefObject } from 'react';

/** The element's width in CSS pixels, kept current as it resizes (never below `min`). */
export function useElementWidth(
  ref: RefObject<HTMLElement | null>,
  min: number,
  initial: number,
): number {
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(min, el.clientWidth));
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    measure();
    return () => ro.disconnect();
  }, [ref, min]);
  return width;
}
