import { useEffect, useState, type RefObject } from 'react';

/**
 * The element's content box in CSS pixels (inside its padding and scrollbar), kept current as
 * it resizes; 0 × 0 until measured or while hidden. The content box, not clientWidth: a canvas
 * as wide as clientWidth in a padded box overflows it by the padding and is cut off.
 */
export function useElementSize(ref: RefObject<HTMLElement | null>): {
  width: number;
  height: number;
} {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const css = getComputedStyle(el);
      const px = (v: string) => parseFloat(v) || 0;
      const width = Math.max(0, el.clientWidth - px(css.paddingLeft) - px(css.paddingRight));
      const height = Math.max(0, el.clientHeight - px(css.paddingTop) - px(css.paddingBottom));
      setSize((s) => (s.width === width && s.height === height ? s : { width, height }));
    };
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    measure();
    return () => ro.disconnect();
  }, [ref]);
  return size;
}
