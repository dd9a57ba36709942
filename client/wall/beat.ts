/**
 * The wall's one beat: every panel takes the stream's newest state on the clock's tick (once a
 * second), so a burst of deltas, the clock, the tiles, the charts, the boards and the pulsing
 * markers all repaint in the same frame. Each repaint of a 4K screen costs the GPU a whole frame
 * (about 100 ms in a software-rendered Chromium), so one repaint a second instead of many is what
 * keeps the wall's frames short.
 */
import { createEffect, createSignal, untrack, type Accessor } from 'solid-js';

/** `source`'s value as of the latest `tick` (the first non-null value at once). */
export function sampleOnTick<T>(source: Accessor<T>, tick: Accessor<unknown>): Accessor<T> {
  const [value, setValue] = createSignal<T>(untrack(source), { equals: false });
  let dirty = false;
  createEffect(() => {
    const current = source();
    if (untrack(value) === null && current !== null) setValue(() => current);
    else dirty = true;
  });
  createEffect(() => {
    tick();
    if (!dirty) return;
    dirty = false;
    setValue(() => untrack(source));
  });
  return value;
}
