export interface Periodic {
  /** Stops the timer and waits for a pass still running. */
  stop(): Promise<void>;
}

/**
 * Runs a background job every `everyMs` in this process, one pass at a time (a tick that finds a
 * pass still running does nothing); a failed pass goes to `onError` and the next tick tries again.
 * The first pass runs after `firstAfterMs` (at once by default). Timers never keep the process alive.
 */
export function runEvery(
  run: () => Promise<unknown>,
  options: { everyMs: number; firstAfterMs?: number; onError: (error: unknown) => void },
): Periodic {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = run()
      .catch(options.onError)
      .finally(() => {
        running = null;
      });
  };
  const first = setTimeout(tick, options.firstAfterMs ?? 0);
  const timer = setInterval(tick, options.everyMs);
  first.unref();
  timer.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
