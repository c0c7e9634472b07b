// Recipients' contact data at rest (`--encrypt-pii`): AES-256-GCM per value, the envelope and key format
// of the server's field encryption (`enc1:<key id>:<base64 iv‖tag‖ciphertext>`, a base64 32-byte key).
// The sandbox is a test tool; this exists so a sandbox database fed real-looking data can be kept as
// carefully as the server's. Values stored before the key was set (no envelope) are read as they are.

import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ConfigurationError } from '@notifykit/sdk';

const PREFIX = 'enc1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class PiiCipher {
  private readonly key: Buffer;
  private readonly id: string;

  constructor(base64Key: string) {
    const key = Buffer.from(base64Key, 'base64');
    if (key.length !== 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64Key.trim())) {
      throw new ConfigurationError('the PII key must be the base64 of exactly 32 bytes');
    }
    this.key = key;
    this.id = createHash('sha256').update(key).digest('hex').slice(0, 8);
  }

  /** `context` (column and row) is bound as AAD, so a value cannot be moved to another row unnoticed. */
  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${PREFIX}:${this.id}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  decrypt(value: string, context: string): string {
    if (!value.startsWith(`${PREFIX}:`)) return value;
    const [, id, payload = ''] = value.split(':');
    if (id !== this.id) throw new ConfigurationError(`stored contact data is under another PII key (id ${id})`);
    const raw = Buffer.from(payload, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}
