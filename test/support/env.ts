// Loaded before anything else: the suite's own logs stay quiet unless LOG_LEVEL asks otherwise.
process.env.LOG_LEVEL ??= 'silent';
