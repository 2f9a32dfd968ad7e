/** Shared setup of get's end-to-end tests: the emulator, the registry fixture, a fresh machine state. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { type Context, createContext } from '../../src/context.js';
import type { OmlEvent } from '../../src/events.js';
import type { Artifact } from '../../src/registry/types.js';
import { makeTar } from '../cache/archive-builders.js';
import { type CliResult, cleanEnv, runCli } from '../helpers/cli.js';
import { bytes, type Emulator, sha256, startEmulator } from './host-emulator.js';
import { writeRegistry } from './registry-fixture.js';

export interface World {
  emu: Emulator;
  root: string;
  registryFile: string;
  big: Buffer;
}

/** Start the emulator and write the registry (once per test file). */
export async function startWorld(): Promise<World> {
  const emu = await startEmulator();
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'oml-get-'));
  const o = emu.origin;
  const lab = emu.data.lab!;
  const big = bytes(6 * 1024 * 1024, 9);
  emu.server.file('/files/big.bin', big, {
    etag: '"big-v1"',
    faults: [{ kind: 'stall', after: 4 * 1024 * 1024 }],
  });
  emu.server.file(
    '/files/evil.tar',
    makeTar([
      { name: 'ok.pt', data: 'ok' },
      { name: '../../escaped.txt', data: 'pwned' },
      { name: 'l', type: '2', linkname: '/etc' },
    ]),
  );
  emu.server.file(
    '/files/a.tar.gz',
    makeTar(
      [
        { name: 'w/', type: '5' },
        { name: 'w/x.pt', data: 'x-weights' },
      ],
      true,
    ),
  );
  const https = (p: string) => ({ host: 'https' as const, url: `${o}${p}` });
  const projects: Record<string, Artifact[]> = {
    'hf-model': [
      {
        name: 'main',
        filename: 'model.bin',
        sources: [{ host: 'huggingface', repo: 'OpenMEDLab/TestModel', path: 'model.bin' }],
      },
    ],
    'hf-repo': [{ name: 'repo', sources: [{ host: 'huggingface', repo: 'OpenMEDLab/TestRepo' }] }],
    'hf-many': [{ name: 'repo', sources: [{ host: 'huggingface', repo: 'OpenMEDLab/Many' }] }],
    'hf-paged': [{ name: 'repo', sources: [{ host: 'huggingface', repo: 'OpenMEDLab/Paged' }] }],
    gated: [
      { name: 'w', sources: [{ host: 'huggingface', repo: 'OpenMEDLab/Gated', path: 'w.bin', gated: true }] },
    ],
    drive: [{ name: 'weights', sources: [{ host: 'google-drive', id: 'DRIVE1' }] }],
    fallback: [
      {
        name: 'weights',
        filename: 'lab.pt',
        sources: [{ host: 'google-drive', id: 'QUOTA' }, https('/files/lab.pt')],
      },
    ],
    folder: [{ name: 'all', sources: [{ host: 'google-drive-folder', id: 'FOLDER' }] }],
    sp: [
      {
        name: 'pretrained',
        sources: [
          {
            host: 'onedrive',
            url: 'https://mycuhk-my.sharepoint.com/:u:/g/personal/user_cuhk_edu_hk/EZh5TOKEN?e=abc',
          },
        ],
      },
    ],
    zen: [{ name: 'rec', sources: [{ host: 'zenodo', record: '123', file: 'zen.bin' }] }],
    baidu: [
      {
        name: 'w',
        filename: 'w.pth',
        sources: [{ host: 'baidu-pan', url: 'https://pan.baidu.com/s/1abc', code: 'x7k2' }],
      },
    ],
    pinned: [
      {
        name: 'good',
        filename: 'lab.pt',
        sha256: sha256(lab),
        size: lab.length,
        sources: [https('/files/lab.pt')],
      },
      {
        name: 'bad',
        filename: 'lab.pt',
        sha256: '0'.repeat(64),
        size: lab.length,
        sources: [https('/files/lab.pt')],
      },
    ],
    lab: [{ name: 'w', filename: 'lab.pt', sources: [https('/files/lab.pt')] }],
    inrepo: [{ name: 'w', filename: 'w.pt', sources: [{ host: 'in-repo', path: 'weights/w.pt' }] }],
    mixed: [
      {
        name: 'pan',
        filename: 'p.pth',
        sources: [{ host: 'baidu-pan', url: 'https://pan.baidu.com/s/1xyz?pwd=abcd' }],
      },
      { name: 'form', sources: [{ host: 'manual', url: 'https://example.org/request-access' }] },
      { name: 'ok', filename: 'lab.pt', sources: [https('/files/lab.pt')] },
    ],
    evil: [{ name: 'evil', filename: 'evil.tar', archive: 'tar', sources: [https('/files/evil.tar')] }],
    arch: [{ name: 'arch', filename: 'a.tar.gz', archive: 'tar.gz', sources: [https('/files/a.tar.gz')] }],
    big: [{ name: 'big', filename: 'big.bin', sources: [https('/files/big.bin')] }],
    slow: [{ name: 'slow', filename: 'slow.bin', sources: [https('/files/slow.bin')] }],
  };
  const registryFile = await writeRegistry(root, projects);
  return { emu, root, registryFile, big };
}

/** A fresh machine: its own cwd, cache and data dirs. */
export async function machine(world: World, name: string, env: Record<string, string> = {}) {
  const dir = await fs.mkdtemp(path.join(world.root, `${name}-`));
  const ctxFor = (over: { cacheDir?: string; dataDir?: string; offline?: boolean } = {}): Context =>
    createContext(
      {
        cwd: dir,
        registryFile: world.registryFile,
        cacheDir: over.cacheDir ?? path.join(dir, 'cache'),
        dataDir: over.dataDir ?? path.join(dir, 'data'),
        configDir: path.join(dir, 'config'),
        ...(over.offline === undefined ? {} : { offline: over.offline }),
      },
      { ...world.emu.env, ...env },
    );
  const events: OmlEvent[] = [];
  return { dir, ctx: ctxFor(), ctxFor, events, sink: (e: OmlEvent) => events.push(e) };
}

/** Every file under a folder, relative, sorted. */
export async function listTree(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir, { recursive: true })).map(String).sort();
  } catch {
    return [];
  }
}

export const fastRetries = { retries: 1, integrityRetries: 0, baseDelayMs: 1, maxDelayMs: 5 };

/**
 * Start one world for the calling test file (beforeAll) and tear it down after (afterAll). The value
 * returned stands for the world once started (a proxy), so tests use it like the world itself.
 */
export function useWorld(): World {
  let world: World | undefined;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    if (!world) return;
    await world.emu.server.close();
    await fs.rm(world.root, { recursive: true, force: true });
  });
  const started = (): World => world ?? expect.fail('the test world is not started yet');
  return new Proxy({} as World, { get: (_target, key) => started()[key as keyof World] });
}

/** Run the CLI in-process in a machine dir, with every host pointed at the world's emulator. */
export function worldCli(world: World, dir: string, argv: string[]): Promise<CliResult> {
  const env = cleanEnv({
    ...world.emu.env,
    OPENMEDLAB_CACHE: path.join(dir, 'cache'),
    OPENMEDLAB_DATA: path.join(dir, 'data'),
    OPENMEDLAB_REGISTRY: world.registryFile,
  });
  return runCli(argv, { env, cwd: dir });
}
