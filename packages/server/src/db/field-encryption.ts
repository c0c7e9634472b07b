import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ConfigurationError } from '@notifykit/sdk';

// Envelope: `enc1:<key id>:<base64(iv ‖ tag ‖ ciphertext)>`. The key id lets rotation find the right key
// without trial decryption; the AAD binds a ciphertext to its column so values cannot be swapped
// between fields (or rows) unnoticed.
const PREFIX = 'enc1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export class FieldDecryptionError extends Error {
  readonly code = 'ERR_FIELD_DECRYPTION';
}

interface KeyEntry {
  id: string;
  key: Buffer;
}

function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** Parses `NOTIFYKIT_ENCRYPTION_KEY`: comma-separated base64 keys of 32 bytes, the first one encrypts. */
export function parseEncryptionKeys(value: string): Buffer[] {
  const parts = value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (parts.length === 0) throw new ConfigurationError('NOTIFYKIT_ENCRYPTION_KEY is empty');
  return parts.map((part, index) => {
    const key = Buffer.from(part, 'base64');
    if (key.length !== KEY_BYTES || !/^[A-Za-z0-9+/]+={0,2}$/.test(part)) {
      throw new ConfigurationError(
        `NOTIFYKIT_ENCRYPTION_KEY entry #${index + 1} must be the base64 of exactly 32 bytes (got ${key.length} bytes)`,
      );
    }
    return key;
  });
}

/** AES-256-GCM encryption of individual column values, with several keys for rotation. */
export class FieldCipher {
  private readonly keys: KeyEntry[];

  constructor(keys: readonly Buffer[]) {
    if (keys.length === 0) throw new ConfigurationError('at least one encryption key is required');
    this.keys = keys.map((key) => {
      if (key.length !== KEY_BYTES) throw new ConfigurationError('encryption keys must be 32 bytes');
      return { id: keyId(key), key: Buffer.from(key) };
    });
  }

  /** Id of the key that encrypts new values. */
  get currentKeyId(): string {
    return this.keys[0]!.id;
  }

  encrypt(plaintext: string, context: string): string {
    const { id, key } = this.keys[0]!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${PREFIX}:${id}:${Buffer.concat([iv, tag, body]).toString('base64')}`;
  }

  decrypt(envelope: string, context: string): string {
    const [prefix, id, payload] = envelope.split(':');
    if (prefix !== PREFIX || id === undefined || payload === undefined) {
      throw new FieldDecryptionError('value is not an encrypted field envelope');
    }
    const entry = this.keys.find((k) => k.id === id);
    if (!entry) throw new FieldDecryptionError(`no configured encryption key has id ${id}`);
    const raw = Buffer.from(payload, 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new FieldDecryptionError('encrypted field is truncated');
    const decipher = createDecipheriv('aes-256-gcm', entry.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new FieldDecryptionError('encrypted field failed authentication (wrong key or tampered value)');
    }
  }

  /** True when a configured key has this id (the second field of an envelope). */
  hasKey(id: string): boolean {
    return this.keys.some((k) => k.id === id);
  }

  /** True when the value was encrypted with a key other than the current one (a rotation candidate). */
  needsReencryption(envelope: string): boolean {
    return envelope.split(':')[1] !== this.currentKeyId;
  }
}
