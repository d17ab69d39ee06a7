// Vitest stand-in for the `server-only` marker package, whose real export throws outside React's
// server environment. The marker only guards bundling; the code behind it is what tests exercise.
export {};
