/** Held-out accuracy targets of issue 5 for the built-in classifier. */
export const TARGETS = { leadType: 0.95, priority: 0.8 } as const;
