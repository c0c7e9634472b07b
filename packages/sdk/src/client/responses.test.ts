import { describe, expect, it } from 'vitest';
import { IngoApiError, IngoStateError, IngoValidationError, ResponseParseError } from '../errors.js';
import { parseCancelResponse, parseManagedStageResponse, parseStageResponse } from './responses.js';

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
      parties: [{ clientProvidedId: 'party-001', partyId: 'uuid-1', role: 0 }],
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
});
