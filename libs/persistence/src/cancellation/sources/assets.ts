import { num, plural, readRow, type CancellationBlockerSource } from '../source';

/**
 * Assets (cloud resources; apps/api/src/assets): rule CAN-1 "no resources in use". A resource is
 * in use until released (running and stopped ones both count, as `GET /resources` lists them).
 */
export const assetsSource: CancellationBlockerSource = {
  module: 'assets',
  async blockers(em, accountId) {
    const row = await readRow(
      em,
      `select count(*) as resources from cloud_resources where account_id = ? and status <> 'released'`,
      [accountId],
    );
    const resources = num(row['resources']);
    if (resources === 0) return [];
    return [
      {
        code: 'resources_in_use',
        message: `${plural(resources, 'resource')} in use (running or stopped)`,
        action: 'Release every resource',
        count: resources,
        href: '/resources',
      },
    ];
  },
};
