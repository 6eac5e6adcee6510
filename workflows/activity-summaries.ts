import {
  patched,
  proxyActivities,
  type ActivityInterfaceFor,
  type ActivityOptions,
} from '@temporalio/workflow';

/**
 * Issue 12 §2: activities with a one-line summary (Temporal user metadata, SDK 1.24 `summary`), so
 * the Web UI's timeline reads as business steps. The summary is part of the schedule command, so
 * it is sent only behind the patch `activity-summaries-v1`: a run that scheduled its activities
 * without one replays without one. Summaries name steps only, never personal data.
 */
export const ACTIVITY_SUMMARIES_PATCH = 'activity-summaries-v1';

export type ActivitySummaries<A> = { readonly [K in keyof A]?: string };

/** `proxyActivities(options)`, each activity named in `summaries` scheduled with its summary. */
export function proxyActivitiesWithSummaries<A extends object>(
  options: ActivityOptions,
  summaries: ActivitySummaries<A>,
): ActivityInterfaceFor<A> {
  const plain = proxyActivities<A>(options);
  const summarised = new Map<string, ActivityInterfaceFor<A>>();
  return new Proxy(plain, {
    get(target, name, receiver): unknown {
      const summary = typeof name === 'string' ? summaries[name as keyof A] : undefined;
      if (typeof name !== 'string' || !summary) return Reflect.get(target, name, receiver);
      return (...args: unknown[]): Promise<unknown> => {
        if (!patched(ACTIVITY_SUMMARIES_PATCH)) {
          return (target as Record<string, (...a: unknown[]) => Promise<unknown>>)[name](...args);
        }
        let proxy = summarised.get(name);
        if (!proxy) {
          proxy = proxyActivities<A>({ ...options, summary });
          summarised.set(name, proxy);
        }
        return (proxy as Record<string, (...a: unknown[]) => Promise<unknown>>)[name](...args);
      };
    },
  });
}
