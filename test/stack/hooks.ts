import { stopStackHarness } from './harness';

// Interrupted (Ctrl-C, a CI timeout): stop the stack's processes before leaving, as after the run.
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    void stopStackHarness().finally(() => process.exit(130));
  });
}

export const mochaHooks = {
  async afterAll() {
    await stopStackHarness();
  },
};
