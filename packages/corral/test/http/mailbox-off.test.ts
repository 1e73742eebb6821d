import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCorral, type TestCorral } from '../support/corral.js';

describe('CORRAL_MAILBOX=off', () => {
  let corral: TestCorral;
  beforeAll(async () => {
    corral = await startTestCorral({ env: { CORRAL_MAILBOX: 'off' } });
  });
  afterAll(() => corral.stop());

  it('does not serve the outbox (codes stay private)', async () => {
    const res = await fetch(`${corral.url}/_corral/mail`);
    expect(res.status).toBe(404);
  });
});
