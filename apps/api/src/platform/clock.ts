/** Time comes from here, so tests can move it and rules read one consistent "now". */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const nowIso = (clock: Clock) => clock.now().toISOString();
