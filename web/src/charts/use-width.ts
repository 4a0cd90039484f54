/** The width of an element in CSS pixels, followed as it changes, so charts draw at their real size. */
import type { RefObject } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export function useWidth(ref: RefObject<HTMLElement>, initial = 640): number {
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(240, Math.floor(el.getBoundingClientRect().width)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
