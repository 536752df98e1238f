import { stopHarness } from './harness';

process.env.LOG_LEVEL ??= 'silent';

export const mochaHooks = {
  async afterAll() {
    await stopHarness();
  },
};
