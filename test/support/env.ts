// Loaded before anything else: the suite's own logs show only errors (an unexpected 500 names its
// cause in the run's output) unless LOG_LEVEL asks otherwise.
process.env.LOG_LEVEL ??= 'error';
// The suite (and the processes it starts) uses development tokens, chosen explicitly.
process.env.AUTH_MODE ??= 'development';
