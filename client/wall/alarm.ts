/**
 * The wall's alarm: a two-tone chime for red and breached alerts, played with Web Audio so no sound
 * file is fetched. Browsers keep audio suspended until a user gesture, so the wall shows "sound
 * off" until someone clicks it once (`arm`); a kiosk Chromium started with
 * `--autoplay-policy=no-user-gesture-required` is armed at load (`armWithoutGesture`).
 */
import { createSignal } from 'solid-js';
import type { AlertView } from '../../shared/protocol/payloads.js';

export interface Alarm {
  armed: () => boolean;
  arm(): Promise<void>;
  armWithoutGesture(): Promise<void>;
  /** Sounds for red and breached alerts, at most once every few seconds. */
  sound(alert: AlertView): void;
}

const QUIET_MS = 4000;

export function createAlarm(): Alarm {
  const [armed, setArmed] = createSignal(false);
  let context: AudioContext | null = null;
  let lastAt = 0;

  const arm = async () => {
    context ??= new AudioContext();
    if (context.state !== 'running') await context.resume().catch(() => undefined);
    setArmed(context.state === 'running');
  };

  const chime = (ctx: AudioContext) => {
    const start = ctx.currentTime;
    for (const [i, frequency] of [880, 660, 880, 660].entries()) {
      const tone = ctx.createOscillator();
      const gain = ctx.createGain();
      tone.type = 'sine';
      tone.frequency.value = frequency;
      const at = start + i * 0.22;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.4, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.2);
      tone.connect(gain).connect(ctx.destination);
      tone.start(at);
      tone.stop(at + 0.21);
    }
  };

  return {
    armed,
    arm,
    // Without a gesture the context stays suspended (and Chromium warns once) unless autoplay is
    // allowed, so the wall tries this only in kiosk mode.
    armWithoutGesture: arm,
    sound(alert) {
      if (!context || !armed() || (alert.kind !== 'red_case' && alert.kind !== 'sla_breached')) return;
      if (Date.now() - lastAt < QUIET_MS) return;
      lastAt = Date.now();
      chime(context);
    },
  };
}
