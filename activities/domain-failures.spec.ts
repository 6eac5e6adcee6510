import { ApplicationFailure } from '@temporalio/common';
import { RuleViolationError, ServiceUnavailableError } from '../libs/domain/src/errors';
import { withDomainFailures } from './domain-failures';

describe('withDomainFailures', () => {
  const acts = withDomainFailures({
    brokenRule: async (): Promise<void> =>
      Promise.reject(new RuleViolationError('RN-3', 'already', 'Already verified')),
    serviceDown: async (): Promise<void> => Promise.reject(new ServiceUnavailableError(30, 'Mail is down')),
    plainFailure: async (): Promise<void> => Promise.reject(new Error('socket hang up')),
    fine: async (x: number): Promise<number> => Promise.resolve(x + 1),
  });

  it('makes a broken rule a non-retryable failure typed by the error name, keeping its code', async () => {
    const err = await acts.brokenRule().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'RuleViolationError', nonRetryable: true });
    expect((err as ApplicationFailure).details).toEqual([{ code: 'already', rule: 'RN-3' }]);
  });

  it('leaves an outside service that is down retryable', async () => {
    const err = await acts.serviceDown().catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'ServiceUnavailableError', nonRetryable: false });
  });

  it('passes other errors and results through untouched', async () => {
    await expect(acts.plainFailure()).rejects.toThrow('socket hang up');
    await expect(acts.plainFailure()).rejects.not.toBeInstanceOf(ApplicationFailure);
    expect(await acts.fine(1)).toBe(2);
  });
});
