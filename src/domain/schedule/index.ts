/** Schedule math for check-ins: pure, DST-safe, clock-free (the caller passes instants). */
export * from './local-time.js';
export * from './skip-rules.js';
export * from './catch-up.js';
export * from './slots.js';
