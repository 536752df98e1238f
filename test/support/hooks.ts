import { stopHarness } from './harness';


export const mochaHooks = {
  async afterAll() {
    await stopHarness();
  },
};
