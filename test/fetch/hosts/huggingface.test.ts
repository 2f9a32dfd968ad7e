import { describe, expect, it } from 'vitest';
import { planSource } from '../../../src/fetch/hosts/index.js';
import type { Source } from '../../../src/registry/types.js';
import { ctxWith } from './helpers.js';

describe('huggingface adapter', () => {
  const cases: Array<[string, Source, Record<string, string>, string]> = [
    [
      'file at main',
      { host: 'huggingface', repo: 'OpenMEDLab/OmniFM-DR', path: 'omnifmdr.pt' },
      {},
      'https://huggingface.co/OpenMEDLab/OmniFM-DR/resolve/main/omnifmdr.pt',
    ],
    [
      'dataset file, nested path, revision',
      {
        host: 'huggingface',
        repo: 'tyang816/cath',
        path: 'data/dompdb.tar',
        revision: 'v1.0',
        repoType: 'dataset',
      },
      {},
      'https://huggingface.co/datasets/tyang816/cath/resolve/v1.0/data/dompdb.tar',
    ],
    [
      'HF_ENDPOINT mirror',
      { host: 'huggingface', repo: 'OpenMEDLab/OmniFM-DR', path: 'a b.pt' },
      { HF_ENDPOINT: 'https://hf-mirror.com/' },
      'https://hf-mirror.com/OpenMEDLab/OmniFM-DR/resolve/main/a%20b.pt',
    ],
  ];
  it.each(cases)('%s', (_name, source, env, url) => {
    const plan = planSource(source, ctxWith(env));
    expect(plan).toMatchObject({
      kind: 'file',
      plan: { host: 'huggingface', url, digestHeader: 'x-linked-etag' },
    });
  });

  it('sends HF_TOKEN as a bearer token and names the access page', () => {
    const plan = planSource(
      {
        host: 'huggingface',
        repo: 'YukunZhou/RETFound_mae_natureCFP',
        path: 'RETFound_mae_natureCFP.pth',
        gated: true,
      },
      ctxWith({}, 'hf_secret'),
    );
    if (plan.kind !== 'file') throw new Error('expected a file plan');
    expect(plan.plan.headers).toEqual({ authorization: 'Bearer hf_secret' });
    expect(plan.plan.authHint).toContain('https://huggingface.co/YukunZhou/RETFound_mae_natureCFP');
    const anon = planSource({ host: 'huggingface', repo: 'o/r', path: 'x', repoType: 'dataset' }, ctxWith());
    if (anon.kind !== 'file') throw new Error('expected a file plan');
    expect(anon.plan.headers).toEqual({});
    expect(anon.plan.authHint).toContain('https://huggingface.co/datasets/o/r');
    expect(anon.plan.authHint).toContain('HF_TOKEN');
  });

  it('lists a whole repo through the tree API, one plan per file with the LFS sha256', () => {
    const plan = planSource(
      { host: 'huggingface', repo: 'OpenMEDLab/PULSE-7bv5' },
      ctxWith({ HF_ENDPOINT: 'http://127.0.0.1:9' }),
    );
    if (plan.kind !== 'listing') throw new Error('expected a listing');
    expect(plan.listing.url).toBe(
      'http://127.0.0.1:9/api/models/OpenMEDLab/PULSE-7bv5/tree/main?recursive=true',
    );
    const sha = 'a'.repeat(64);
    const body = JSON.stringify([
      { type: 'file', oid: 'f00', size: 12, path: 'config.json' },
      { type: 'directory', oid: 'd00', size: 0, path: 'weights' },
      {
        type: 'file',
        oid: 'b00',
        size: 134,
        path: 'weights/model.bin',
        lfs: { oid: sha, size: 4096, pointerSize: 134 },
      },
    ]);
    const files = plan.listing.parse(body, plan.listing.url);
    expect(files.map((f) => [f.relPath, f.size, f.sha256, f.plan.url])).toEqual([
      ['config.json', 12, undefined, 'http://127.0.0.1:9/OpenMEDLab/PULSE-7bv5/resolve/main/config.json'],
      [
        'weights/model.bin',
        4096,
        sha,
        'http://127.0.0.1:9/OpenMEDLab/PULSE-7bv5/resolve/main/weights/model.bin',
      ],
    ]);
    const ds = planSource(
      { host: 'huggingface', repo: 'shaohao011/BrainMVP-16k', repoType: 'dataset' },
      ctxWith(),
    );
    expect(ds.kind === 'listing' && ds.listing.url).toBe(
      'https://huggingface.co/api/datasets/shaohao011/BrainMVP-16k/tree/main?recursive=true',
    );
  });

  it('rejects a listing that is not JSON with E_HOST', () => {
    const plan = planSource({ host: 'huggingface', repo: 'o/r' }, ctxWith());
    if (plan.kind !== 'listing') throw new Error('expected a listing');
    expect(() => plan.listing.parse('<html>', plan.listing.url)).toThrow(
      expect.objectContaining({ code: 'E_HOST' }),
    );
  });
});

describe('https adapter', () => {
  const cases: Array<[string, string, Record<string, string>, object]> = [
    [
      'lab server file',
      'https://lianglab.sjtu.edu.cn/files/ProtSSN-2024/protssn_k10_h512.pt',
      {},
      {
        host: 'https',
        url: 'https://lianglab.sjtu.edu.cn/files/ProtSSN-2024/protssn_k10_h512.pt',
        filename: 'protssn_k10_h512.pt',
      },
    ],
    [
      'http on loopback',
      'http://127.0.0.1:8080/f.bin',
      {},
      { host: 'https', url: 'http://127.0.0.1:8080/f.bin' },
    ],
    [
      'HF /blob/ link rewritten to /resolve/',
      'https://huggingface.co/OpenMEDLab/OmniFM-DR/blob/main/omnifmdr.pt',
      {},
      { host: 'huggingface', url: 'https://huggingface.co/OpenMEDLab/OmniFM-DR/resolve/main/omnifmdr.pt' },
    ],
    [
      'HF dataset /blob/ link through a mirror',
      'https://huggingface.co/datasets/tyang816/cath/blob/main/dompdb.tar',
      { HF_ENDPOINT: 'https://hf-mirror.com' },
      { host: 'huggingface', url: 'https://hf-mirror.com/datasets/tyang816/cath/resolve/main/dompdb.tar' },
    ],
  ];
  it.each(cases)('%s', (_n, url, env, expected) => {
    expect(planSource({ host: 'https', url }, ctxWith(env))).toMatchObject({ kind: 'file', plan: expected });
  });

  it('refuses plain http off loopback', () => {
    expect(() => planSource({ host: 'https', url: 'http://example.org/x' }, ctxWith())).toThrow(
      expect.objectContaining({ code: 'E_REGISTRY' }),
    );
  });
});
