// Loaded first: the benchmark prints figures, not request logs.
process.env.LOG_LEVEL ??= 'warn';
