import { stopStackHarness } from './harness';

export const mochaHooks = {
  async afterAll() {
    await stopStackHarness();
  },
};
