import { CHECK_CANCEL_REASON_CODES, CHECK_STOP_REASON_CODES } from '@notifykit/sdk';
import { z } from 'zod';

// The bodies of the API's actions on a disbursement (creation takes the SDK's stage request instead),
// defined once: validation (request-parsing.ts) and the OpenAPI document both come from here. The
// reason codes are the SDK's, so the API accepts exactly what Ingo's check API does (docs/ingo-contract.md §4.1).

function reasonCode(codes: readonly number[], meaning: string) {
  return z
    .int()
    .refine((code) => codes.includes(code), { error: `must be one of ${codes.join(', ')}` })
    .meta({ enum: [...codes], description: meaning });
}

const checkNumber = z
  .string()
  .min(1)
  .max(50)
  .meta({ description: "The check's number, as Ingo's check events give it (optional: checked by Ingo when sent)" });

export const checkVoidBody = z
  .strictObject({
    reason_code: reasonCode(
      CHECK_CANCEL_REASON_CODES,
      '73 not printed, 74 undelivered, 75 client request, 76 internal (Ingo checkcancel reason codes)',
    ),
    check_number: checkNumber.optional(),
  })
  .meta({ id: 'CheckVoidRequest', description: 'Void the mailed check (Ingo POST /gateway/checkcancel)' });

export const checkStopBody = z
  .strictObject({
    reason_code: reasonCode(CHECK_STOP_REASON_CODES, '77 or 78 (Ingo checkstop reason codes)'),
    check_number: checkNumber.optional(),
  })
  .meta({ id: 'CheckStopRequest', description: 'Stop payment on the issued check (Ingo POST /gateway/checkstop)' });
