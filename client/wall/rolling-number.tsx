/**
 * A KPI figure that rolls to its new value: a few steps a tenth of a second apart, started on the
 * wall's beat, so a change reads as movement from five metres without repainting every frame.
 */
import { createEffect, createSignal, on, onCleanup } from 'solid-js';
import { formatFigure } from './format.js';

const STEPS = 4;
const STEP_MS = 100;

export function RollingNumber(props: { value: number | null | undefined; kind?: string; name: string }) {
  const [shown, setShown] = createSignal<number | null | undefined>(props.value);
  let timer: ReturnType<typeof setTimeout> | null = null;
  const stop = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  createEffect(
    on(
      () => props.value,
      (target) => {
        stop();
        const from = shown();
        if (typeof target !== 'number' || typeof from !== 'number' || from === target) {
          setShown(target);
          return;
        }
        const whole = props.kind !== 'rate';
        let step = 0;
        const next = () => {
          step += 1;
          const value = from + ((target - from) * step) / STEPS;
          setShown(step >= STEPS ? target : whole ? Math.round(value) : value);
          timer = step >= STEPS ? null : setTimeout(next, STEP_MS);
        };
        next();
      },
      { defer: true },
    ),
  );
  onCleanup(stop);
  return (
    <div class="value" data-kpi={props.name}>
      {formatFigure(shown(), props.kind)}
    </div>
  );
}
