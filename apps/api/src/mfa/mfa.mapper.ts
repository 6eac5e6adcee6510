import type { MfaDevice } from '../../../../libs/persistence/src/entities';
import type { DeviceResponse } from './mfa.dto';

export function toDeviceResponse(d: MfaDevice): DeviceResponse {
  return {
    id: d.id,
    kind: d.kind,
    name: d.name,
    serial: d.hardwareSerial ?? null,
    status: d.confirmedAt ? 'bound' : 'pending',
    createdAt: d.createdAt.toISOString(),
    confirmedAt: d.confirmedAt?.toISOString() ?? null,
  };
}
