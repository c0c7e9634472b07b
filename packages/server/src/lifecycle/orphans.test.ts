import { describe, expect, it } from 'vitest';
import { eventBelongsTo, owningDisbursement } from './orphans.js';

type Keys = { id: string; notification_id: string | null; participant_unique_id1: string };
const staged: Keys = { id: 'a', notification_id: '100', participant_unique_id1: 'p-a' };
const unstaged: Keys = { id: 'b', notification_id: null, participant_unique_id1: 'p-b' };

describe('eventBelongsTo: the one orphan-matching rule', () => {
  it.each([
    ['its notification_id', { notificationId: '100', puid1: null }, staged, true],
    ['its notification_id, whatever the puid1', { notificationId: '100', puid1: 'p-other' }, staged, true],
    ['its puid1 without a notification_id', { notificationId: null, puid1: 'p-a' }, staged, true],
    ['its puid1 and the same notification_id', { notificationId: '100', puid1: 'p-a' }, staged, true],
    ['its puid1 but another notification_id', { notificationId: '200', puid1: 'p-a' }, staged, false],
    ['its puid1 and a notification_id before Ingo gave one', { notificationId: '300', puid1: 'p-b' }, unstaged, true],
    ['neither key', { notificationId: '999', puid1: 'p-x' }, staged, false],
    ['no keys at all', { notificationId: null, puid1: null }, unstaged, false],
  ] as const)('an event naming %s → %s', (_label, event, disbursement, expected) => {
    expect(eventBelongsTo(event, disbursement)).toBe(expected);
  });
});

describe('owningDisbursement', () => {
  it('prefers the disbursement holding the notification_id over the one holding the puid1', () => {
    expect(owningDisbursement({ notificationId: '100', puid1: 'p-b' }, staged, unstaged)).toBe(staged);
  });

  it('falls back to the puid1 holder when the rule accepts it, and to nothing otherwise', () => {
    expect(owningDisbursement({ notificationId: '300', puid1: 'p-b' }, undefined, unstaged)).toBe(unstaged);
    expect(owningDisbursement({ notificationId: '200', puid1: 'p-a' }, undefined, staged)).toBeUndefined();
    expect(owningDisbursement({ notificationId: null, puid1: null }, undefined, undefined)).toBeUndefined();
  });
});
