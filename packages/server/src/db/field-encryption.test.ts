import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FieldCipher, FieldDecryptionError, parseEncryptionKeys } from './field-encryption.js';

const key = () => randomBytes(32);

describe('FieldCipher', () => {
  it('round-trips and never stores the plaintext', () => {
    const cipher = new FieldCipher([key()]);
    const envelope = cipher.encrypt('123-45-6789', 'disbursements.request:dsb_1');
    expect(envelope).not.toContain('123-45-6789');
    expect(envelope.startsWith('enc1:')).toBe(true);
    expect(cipher.decrypt(envelope, 'disbursements.request:dsb_1')).toBe('123-45-6789');
  });

  it('uses a fresh IV for every value', () => {
    const cipher = new FieldCipher([key()]);
    expect(cipher.encrypt('same', 'ctx')).not.toBe(cipher.encrypt('same', 'ctx'));
  });

  it('refuses a ciphertext moved to another field or row (AAD)', () => {
    const cipher = new FieldCipher([key()]);
    const envelope = cipher.encrypt('secret', 'row-1');
    expect(() => cipher.decrypt(envelope, 'row-2')).toThrow(FieldDecryptionError);
  });

  it('refuses a tampered ciphertext', () => {
    const cipher = new FieldCipher([key()]);
    const envelope = cipher.encrypt('secret value', 'ctx');
    const [p, id, body] = envelope.split(':');
    const raw = Buffer.from(body!, 'base64');
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
    expect(() => cipher.decrypt(`${p}:${id}:${raw.toString('base64')}`, 'ctx')).toThrow(FieldDecryptionError);
  });

  it('rotation: old values stay readable with the old key listed second; new ones use the first key', () => {
    const oldKey = key();
    const newKey = key();
    const before = new FieldCipher([oldKey]).encrypt('v', 'ctx');
    const rotated = new FieldCipher([newKey, oldKey]);
    expect(rotated.decrypt(before, 'ctx')).toBe('v');
    expect(rotated.needsReencryption(before)).toBe(true);
    const after = rotated.encrypt('v', 'ctx');
    expect(rotated.needsReencryption(after)).toBe(false);
    expect(() => new FieldCipher([oldKey]).decrypt(after, 'ctx')).toThrow(/no configured encryption key/);
  });

  it('parses comma-separated base64 keys and rejects wrong lengths without echoing them', () => {
    const a = key().toString('base64');
    const b = key().toString('base64');
    expect(parseEncryptionKeys(`${a}, ${b}`)).toHaveLength(2);
    const short = randomBytes(16).toString('base64');
    expect(() => parseEncryptionKeys(short)).toThrow(/exactly 32 bytes/);
    try {
      parseEncryptionKeys(short);
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(short);
    }
    expect(() => parseEncryptionKeys(' , ')).toThrow(/empty/);
  });
});
