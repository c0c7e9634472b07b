// The development credentials the sandbox starts with, written out here rather than imported, so the
// tests notice if the sandbox's defaults change.

export const DEV = { username: 'dev', secret: 'dev-secret-not-for-production', participantId: 12345 } as const;
export const DEV_OTAC = {
  username: 'dev-otac',
  secret: 'dev-otac-secret-not-for-production',
  participantId: 12346,
} as const;
export const DEV_WEBHOOK_SECRET = 'dev-webhook-secret-not-for-production';
