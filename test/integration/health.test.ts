import { Client } from '@temporalio/client';
import { startPlatform, type Platform } from '../support/platform';

/**
 * Issue 12 §5: liveness touches nothing, readiness checks the database and Temporal. A process
 * whose dependencies are gone is alive (not restarted) but not ready (no traffic sent to it).
 */
describe('health: liveness and readiness', () => {
  let p: Platform;
  beforeAll(async () => {
    p = await startPlatform();
  }, 60_000);
  afterAll(async () => {
    await p.close();
  });

  it('answers live, ready and the old /health when the database and Temporal are up', async () => {
    const live = await p.http.get('/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok' });
    for (const path of ['/health/ready', '/health']) {
      const ready = await p.http.get(path);
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: 'ok', database: 'ok', temporal: 'ok' });
    }
  });

  it('stays live but is not ready, naming what is down, once Temporal and then the database are gone', async () => {
    // The API's own Temporal connection is closed: nothing it asks Temporal can succeed now.
    await p.app.get(Client).connection.close();
    const noTemporal = await p.http.get('/health/ready');
    expect(noTemporal.status).toBe(503);
    expect(noTemporal.body.error).toMatchObject({ code: 'not_ready' });
    expect(noTemporal.body.error.message).toMatch(/Temporal/);
    expect(noTemporal.body.error.message).not.toMatch(/database/);
    expect(noTemporal.headers.get('retry-after')).toBe('1');
    expect((await p.http.get('/health')).status).toBe(503);
    expect((await p.http.get('/health/live')).status).toBe(200);

    await p.orm.close(true);
    const neither = await p.http.get('/health/ready');
    expect(neither.status).toBe(503);
    expect(neither.body.error.message).toMatch(/the database and Temporal/);
    expect(neither.body.error.correlationId).toMatch(/^[0-9A-Z]{26}$/);
    const live = await p.http.get('/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok' });
  });
});
