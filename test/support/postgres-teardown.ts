import { stopTestPostgres } from './postgres-setup';

export default async function postgresTeardown(): Promise<void> {
  await stopTestPostgres();
}
