import type { DataConverter } from '@temporalio/common';
import { parseConfig } from '../../libs/config/src/config';
import { payloadDataConverter } from '../../libs/temporal/src/payload-codec';

/**
 * The data converter of test clients and workers that are not built from a platform's config:
 * the payload codec under the local key ring, the same keys the API and worker of a test platform
 * get from their (default) configuration. Every Temporal client and worker in tests uses it.
 */
export const TEST_DATA_CONVERTER: DataConverter = payloadDataConverter(parseConfig({}).temporal.payloadKeys);
