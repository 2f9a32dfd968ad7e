import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkTrust,
  forgetTrust,
  readTrust,
  recordTrust,
  trustKey,
  trustPath,
} from '../../src/cache/trust.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'oml-trust-'));
});
afterEach(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('trust store', () => {
  const key = trustKey('endo-fm', 'pretrained', 'endo_fm.pth');
  const rec = { key, sha256: 'a'.repeat(64), size: 10, source: 'google-drive 1abc' };

  it('records the first download once; a later recorder gets the first record', async () => {
    expect(await recordTrust(dataDir, rec)).toMatchObject({ created: true, record: rec });
    const second = await recordTrust(dataDir, { ...rec, sha256: 'b'.repeat(64) });
    expect(second).toMatchObject({ created: false, record: { sha256: 'a'.repeat(64) } });
    expect(await readTrust(dataDir, key)).toMatchObject(rec);
    expect(path.basename(trustPath(dataDir, key))).toMatch(
      /^endo-fm__pretrained__endo_fm\.pth-[0-9a-f]{8}\.json$/,
    );
  });

  it('passes a matching file and fails a different one with Wanted/Found and the reset hint', async () => {
    const { record } = await recordTrust(dataDir, rec);
    expect(() => checkTrust(dataDir, record, { sha256: 'a'.repeat(64), size: 10 })).not.toThrow();
    let error: unknown;
    try {
      checkTrust(dataDir, record, { sha256: 'c'.repeat(64), size: 10 });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: 'E_INTEGRITY',
      expected: `sha256:${'a'.repeat(64)} (10 bytes)`,
      found: `sha256:${'c'.repeat(64)} (10 bytes)`,
      hint: expect.stringContaining(trustPath(dataDir, key)),
    });
    expect((error as Error).message).toMatch(/Wanted: .*\n\s+Found: /);
  });

  it('forgets a record (reset)', async () => {
    await recordTrust(dataDir, rec);
    expect(await forgetTrust(dataDir, key)).toBe(true);
    expect(await readTrust(dataDir, key)).toBeUndefined();
    expect(await forgetTrust(dataDir, key)).toBe(false);
  });
});
