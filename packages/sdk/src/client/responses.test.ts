import { describe, expect, it } from 'vitest';
import {
  IngoApiError,
  IngoInProgressError,
  IngoStateError,
  IngoValidationError,
  ResponseParseError,
} from '../errors.js';
import {
  isSuccessStatus,
  parseCancelResponse,
  parseCheckActionResponse,
  parseManagedStageResponse,
  parseStageResponse,
  readIngoStatus,
} from './responses.js';

describe('response parsing (docs/ingo-contract.md §2 drift)', () => {
  const stageOk = {
    status: 100,
    client_message: 'Success',
    data: {
      notification_id: 9876543,
      tracer_id: 'trc-1',
      participant_unique_id1: 'pay-1',
      participant_unique_id2: '',
      request_timestamp: 1700000000,
    },
    time: '0.85',
  };

  it('parses the documented stage success', () => {
    expect(parseStageResponse(stageOk)).toEqual({
      status: 100,
      clientMessage: 'Success',
      notificationId: '9876543',
      tracerId: 'trc-1',
      participantUniqueId1: 'pay-1',
      participantUniqueId2: '',
      requestTimestamp: 1700000000,
      time: '0.85',
      idempotentReplay: false,
      raw: stageOk,
    });
  });

  it('tolerates status, notification_id, time and participant_unique_id2 of either JSON type', () => {
    const drifted = {
      ...stageOk,
      status: '101',
      time: 0.85,
      data: {
        ...stageOk.data,
        notification_id: '9876543',
        participant_unique_id2: 42,
        request_timestamp: '1700000000',
      },
    };
    const result = parseStageResponse(JSON.stringify(drifted));
    expect(result).toMatchObject({
      status: 101,
      notificationId: '9876543',
      participantUniqueId2: '42',
      requestTimestamp: 1700000000,
      time: '0.85',
      idempotentReplay: true,
    });
  });

  it('throws IngoApiError for a business error and ResponseParseError for a non-envelope', () => {
    const refused = (() => {
      try {
        parseStageResponse(
          { status: '600', client_message: 'amount: must be greater than 0', data: {} },
          { httpStatus: 400, requestId: 'rid-1' },
        );
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(IngoApiError);
    expect(refused).toBeInstanceOf(IngoValidationError);
    expect(refused).toMatchObject({ status: 600, family: 'validation', httpStatus: 400, requestId: 'rid-1' });
    expect(() => parseStageResponse({ hello: 'world' })).toThrow(ResponseParseError);
    expect(() => parseStageResponse('<html>')).toThrow(ResponseParseError);
    expect(() => parseStageResponse({ status: 100, client_message: 'Success', data: {} })).toThrow(/notification_id/);
  });

  it('parses a cancel, whose notification_id is a string', () => {
    const result = parseCancelResponse({
      status: 100,
      client_message: 'Disbursement Request Canceled',
      data: {
        notification_id: '9876543',
        participant_unique_id1: 'pay-1',
        tracer_id: 'trc-1',
        request_timestamp: 1745356800,
      },
    });
    expect(result).toMatchObject({
      status: 100,
      notificationId: '9876543',
      tracerId: 'trc-1',
      idempotentReplay: false,
    });
    expect(() => parseCancelResponse({ status: 781, client_message: 'terminal', data: {} })).toThrow(
      expect.objectContaining({ family: 'state' }),
    );
  });

  it('parses the managed stage response with its stringly status', () => {
    const body = {
      request: { participant_id: 12345, timestamp: 1745356800 },
      response: { status: '100', message: 'Success', duration: '0' },
      transaction: {
        participant_unique_ids: { participant_unique_id1: 'mp-1', participant_unique_id2: 7 },
        notification_id: 9876543,
        tracer_id: 'trc-9',
        parties: [{ client_provided_id: 'party-001', party_id: 'uuid-1', role: '0' }],
      },
    };
    expect(parseManagedStageResponse(body)).toEqual({
      status: 100,
      message: 'Success',
      notificationId: '9876543',
      tracerId: 'trc-9',
      participantUniqueIds: { participantUniqueId1: 'mp-1', participantUniqueId2: '7' },
      parties: [
        {
          clientProvidedId: 'party-001',
          partyId: 'uuid-1',
          role: 0,
          raw: { client_provided_id: 'party-001', party_id: 'uuid-1', role: '0' },
        },
      ],
      idempotentReplay: false,
      raw: body,
    });
    expect(() => parseManagedStageResponse({ ...body, response: { status: '610', message: 'velocity' } })).toThrow(
      IngoApiError,
    );
    expect(() => parseCancelResponse({ status: 781, client_message: 'Cancel refused: terminal', data: {} })).toThrow(
      IngoStateError,
    );
  });

  it('reads v4 parties by client_provided_id and party_id only: role optional, extra fields kept', () => {
    // Ingo's published example is cut short; a party with no role, or with fields we do not model, parses.
    const body = {
      response: { status: '100', message: 'Success' },
      transaction: {
        notification_id: '9876543',
        parties: [
          { client_provided_id: 'party-001', party_id: 'uuid-1' },
          { client_provided_id: 'party-002', party_id: 'uuid-2', role: 1, party_status: 'NOTIFIED', extra: { a: 1 } },
          { client_provided_id: 'party-003', party_id: 'uuid-3', role: 'approver' },
        ],
      },
    };
    const result = parseManagedStageResponse(body);
    expect(result.parties).toEqual([
      { clientProvidedId: 'party-001', partyId: 'uuid-1', role: undefined, raw: body.transaction.parties[0] },
      { clientProvidedId: 'party-002', partyId: 'uuid-2', role: 1, raw: body.transaction.parties[1] },
      { clientProvidedId: 'party-003', partyId: 'uuid-3', role: undefined, raw: body.transaction.parties[2] },
    ]);
    expect(result.parties[1]!.raw.party_status).toBe('NOTIFIED');
    // party_id is still what identifies a party: without it the answer is unusable.
    expect(() =>
      parseManagedStageResponse({
        ...body,
        transaction: { ...body.transaction, parties: [{ client_provided_id: 'x' }] },
      }),
    ).toThrow(/transaction\.parties\.0\.party_id/);
  });

  it('111–132 (soft verification results, "approved, proceed") are successes; 104 is not finished', () => {
    for (const status of [100, 101, 105, 110, 111, 120, 132])
      expect([status, isSuccessStatus(status)]).toEqual([status, true]);
    for (const status of [99, 104, 133, 200, 600]) expect([status, isSuccessStatus(status)]).toEqual([status, false]);
    const soft = parseStageResponse({
      status: 115,
      client_message: 'Approved - soft result',
      data: { notification_id: 5 },
    });
    expect(soft).toMatchObject({ status: 115, notificationId: '5', idempotentReplay: false });
    // 104 may carry no data: it is neither a replay nor a parse failure, but "in progress".
    expect(() => parseStageResponse({ status: 104, client_message: 'In Progress - Idempotent Response' })).toThrow(
      IngoInProgressError,
    );
    expect(() => parseCancelResponse({ status: '104', client_message: 'In Progress' })).toThrow(
      expect.objectContaining({ code: 'ERR_INGO_IN_PROGRESS', status: 104, retryable: true }),
    );
  });

  it('reads the status under status_code too (the check API names it so), at the top and in a v4 response', () => {
    expect(readIngoStatus({ status_code: '100', client_message: 'Check Canceled' })).toEqual({
      status: 100,
      clientMessage: 'Check Canceled',
      dialect: 'v3',
    });
    expect(readIngoStatus({ response: { status_code: 610, message: 'velocity' } })).toMatchObject({
      status: 610,
      dialect: 'v4',
    });
    // `status` wins when both are present; a non-integer `status` falls through to `status_code`.
    expect(readIngoStatus({ status: 101, status_code: 100 })?.status).toBe(101);
    expect(readIngoStatus({ status: 'ok', status_code: 781 })?.status).toBe(781);
    expect(readIngoStatus({ message: 'no status' })).toBeUndefined();
    expect(() => parseCancelResponse({ status_code: 781, client_message: 'terminal', data: {} })).toThrow(
      IngoStateError,
    );
  });

  it('parses a check void/stop response whose outcome is in status_code', () => {
    const body = {
      status_code: '100',
      client_message: 'Check Canceled',
      data: {
        notification_id: '1000001',
        participant_unique_id1: 'pay-1',
        tracer_id: 'trc-1',
        check_number: 1010101010,
        reason_code: 75,
        request_timestamp: 1745356800,
      },
    };
    expect(parseCheckActionResponse(body)).toEqual({
      status: 100,
      clientMessage: 'Check Canceled',
      notificationId: '1000001',
      participantUniqueId1: 'pay-1',
      tracerId: 'trc-1',
      checkNumber: '1010101010',
      reasonCode: '75',
      requestTimestamp: 1745356800,
      idempotentReplay: false,
      raw: body,
    });
    expect(parseCheckActionResponse({ ...body, status_code: 101 }).idempotentReplay).toBe(true);
    expect(() =>
      parseCheckActionResponse({ status_code: 784, client_message: 'No issued check', data: {} }, {}, 'check stop'),
    ).toThrow(IngoStateError);
  });
});
