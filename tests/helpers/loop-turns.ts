/** Keeps the CPU busy for `ms`, as encrypting, writing or decoding a message does. */
export function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/** Calls `onTurn` at every turn of the event loop until the returned function is called. */
function everyTurn(onTurn: () => void): () => void {
  let running = true;
  const tick = () => {
    onTurn();
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return () => {
    running = false;
  };
}

/** The longest stretch between two turns of the event loop while `work` runs. */
export async function longestTurn(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const stop = everyTurn(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  });
  try {
    await work();
  } finally {
    stop();
  }
  return longest;
}

/**
 * Counts what runs between two turns of the event loop: call `hit()` from the work, `stop()`
 * returns the most hits seen in one turn. A count, not a time: a busy machine (other tests, the
 * other core taken) only makes a time slice hold fewer.
 */
export function hitsPerTurn(): { hit(): void; stop(): number } {
  let current = 0;
  let most = 0;
  const stopTurns = everyTurn(() => {
    most = Math.max(most, current);
    current = 0;
  });
  return {
    hit: () => void current++,
    stop: () => {
      stopTurns();
      return Math.max(most, current);
    },
  };
}
