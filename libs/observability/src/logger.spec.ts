import { Writable } from 'node:stream';
import { withCorrelationId } from './correlation';
import { createLogger, PinoNestLogger } from './logger';

function capture(): { lines: Array<Record<string, unknown>>; stream: Writable } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n'))
        if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

describe('structured logs (issue 12 §3)', () => {
  it('writes one JSON object a line with level, service and the correlation ID of the scope', async () => {
    const { lines, stream } = capture();
    const logger = createLogger(
      { logLevel: 'log', logFormat: 'json' },
      { service: 'api', destination: stream },
    );
    logger.info('outside');
    await withCorrelationId('req-1', async () => {
      await Promise.resolve();
      logger.warn({ route: '/x' }, 'inside');
    });
    expect(lines[0]).toMatchObject({ level: 'info', service: 'api', msg: 'outside' });
    expect(lines[0]).not.toHaveProperty('correlationId');
    expect(lines[1]).toMatchObject({ level: 'warn', msg: 'inside', route: '/x', correlationId: 'req-1' });
    expect(typeof lines[1]?.['time']).toBe('string');
  });

  it("maps Nest's logger and LOG_LEVEL onto pino: context kept, levels below the setting dropped", () => {
    const { lines, stream } = capture();
    const nest = new PinoNestLogger(
      createLogger({ logLevel: 'warn', logFormat: 'json' }, { service: 'worker', destination: stream }),
    );
    nest.log('dropped', 'Worker');
    nest.warn('kept', 'Worker');
    nest.error('failed', 'Error: boom\n    at x', 'Errors');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'kept', context: 'Worker' }),
      expect.objectContaining({
        level: 'error',
        msg: 'failed',
        context: 'Errors',
        stack: 'Error: boom\n    at x',
      }),
    ]);
  });
});
