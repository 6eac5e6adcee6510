import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_REGISTRY } from '../../libs/temporal/src/contract';

const TYPES = {
  Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Datetime: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
} as const;

/** Registers the contract's search attributes, with their types, on a test server. */
export async function registerSearchAttributes(connection: Connection, namespace = 'default'): Promise<void> {
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTE_REGISTRY.map((a) => [a.name, TYPES[a.type]])),
  });
}
