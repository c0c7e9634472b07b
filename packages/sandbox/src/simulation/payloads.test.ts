import { CATALOG_TOPICS as C, type CanonicalTopic, QUICKSTART_TOPICS as Q } from '@notifykit/sdk';
import { describe, expect, it } from 'vitest';
import { buildEnvelope, checkNumberOf } from './payloads.js';

const notification = {
  id: 1000001,
  puid1: 'pay-1',
  puid2: '',
  sessionId: 'sess-1',
  amount: '500.00',
  accountType: 'CK',
};

function payload(topic: CanonicalTopic, dialect: 'catalog' | 'quickstart' = 'catalog') {
  const built = buildEnvelope({ topic, dialect, eventId: 'evt-1', at: 1_760_000_000_000, notification, partyId: '' });
  if (built === undefined) throw new Error(`no ${topic} in ${dialect}`);
  return JSON.parse(built.body) as {
    metadata: Record<string, unknown>;
    data: { ancillary: Record<string, unknown>; event: Record<string, unknown> };
  };
}

describe('webhook payloads as Ingo’s pages show them (docs/ingo-contract.md §6.1)', () => {
  it('check issued: no session_id and no party_id, as in Ingo’s example; the check number and amount', () => {
    const issued = payload(C.checkIssued);
    expect(Object.keys(issued.data.ancillary).sort()).toEqual([
      'notification_id',
      'participant_unique_id1',
      'participant_unique_id2',
    ]);
    expect(issued.data.event).toMatchObject({ check_number: checkNumberOf(notification), check_amount: '500.00' });
    // Every other topic keeps both.
    for (const topic of [C.checkPaid, C.checkCanceled, C.paymentSuccess, C.recipientNotificationSent]) {
      expect(payload(topic).data.ancillary).toMatchObject({ session_id: 'sess-1', party_id: '' });
    }
  });

  it('1113 and 1103 carry Ingo’s texts; tokenization events are version "4" in both dialects', () => {
    expect(payload(C.paymentTerminated).data.event).toEqual({
      status: '1113',
      client_message: 'Disbursement / Payment has been terminated',
    });
    expect(payload(C.rvdmSuccess).data.event).toEqual({
      status: '1103',
      client_message: 'Address on file verified by customer',
    });
    expect(payload(C.tokenizationSuccess).metadata.version).toBe('4');
    expect(payload(C.tokenizationSuccess, 'quickstart').metadata).toMatchObject({
      topic: Q.tokenizationComplete,
      version: '4',
    });
    expect(payload(C.paymentSuccess).metadata.version).toBe('3');
  });

  it('a stopped check names the same check as the issued one', () => {
    expect(payload(C.checkStopped).data.event.check_number).toBe(payload(C.checkIssued).data.event.check_number);
  });
});
