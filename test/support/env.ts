// Loaded before anything else: the suite's own logs stay quiet unless LOG_LEVEL asks otherwise.
process.env.LOG_LEVEL ??= 'silent';
// The suite (and the processes it starts) uses development tokens, chosen explicitly.
process.env.AUTH_MODE ??= 'development';
