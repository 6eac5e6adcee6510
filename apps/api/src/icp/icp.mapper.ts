import type { IcpFiling, IcpFilingTransfer } from '../../../../libs/persistence/src/entities';
import type { IcpFilingResponse, IcpTransferResponse } from './icp.dto';

export function toIcpTransferResponse(t: IcpFilingTransfer, actingAccountId: number): IcpTransferResponse {
  return {
    id: t.id,
    filingId: t.filing.id,
    filingNumber: t.filing.filingNumber,
    fromAccountId: t.fromAccount.id,
    toAccountId: t.toAccount.id,
    direction: t.toAccount.id === actingAccountId ? 'incoming' : 'outgoing',
    status: t.status,
    createdAt: t.createdAt.toISOString(),
    decidedAt: t.decidedAt?.toISOString() ?? null,
  };
}

export function toIcpFilingResponse(f: IcpFiling, pendingTransferId: string | null): IcpFilingResponse {
  return {
    id: f.id,
    filingNumber: f.filingNumber,
    pendingTransferId,
    createdAt: f.createdAt.toISOString(),
  };
}
