/**
 * How many fixed-height rows fit in a box: lists and tables on the wall show only whole rows (no
 * half-cut last line, no scrollbar), however tall their panel is at this screen's size.
 */
import { createSignal, onCleanup, onMount, type Accessor } from 'solid-js';

/** `rowVh`: one row's height with its gap, in hundredths of the viewport height (as the CSS sets it). */
export function createFit(rowVh: number): { ref: (element: HTMLElement) => void; count: Accessor<number> } {
  const [count, setCount] = createSignal(0);
  let element: HTMLElement | undefined;
  onMount(() => {
    const measure = () => setCount(Math.max(0, Math.floor(element!.clientHeight / ((rowVh * window.innerHeight) / 100) + 0.02)));
    const observer = new ResizeObserver(measure);
    observer.observe(element!);
    measure();
    onCleanup(() => observer.disconnect());
  });
  return { ref: (e) => (element = e), count };
}
