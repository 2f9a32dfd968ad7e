// Exit statuses that CI scripts branch on: internal errors (1), usage (2), interruption (130).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { BIN, cleanEnv, runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'oml-exit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const crash = (program: Command): void => {
  program.command('crash').action(() => {
    throw new TypeError('boom');
  });
};

describe('exit codes', () => {
  it('exits 1 for an internal error, asks for a bug report, stack only with --verbose', async () => {
    const quiet = await runCli(['crash'], { extra: [crash] });
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toContain('error: internal error: boom');
    expect(quiet.stderr).toContain('please report it');
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    const verbose = await runCli(['--verbose', 'crash'], { extra: [crash] });
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/TypeError: boom\n\s+at /);
  });

  it('exits 130 when interrupted', async () => {
    // A server that answers headers, then stalls: `get` is busy downloading when SIGINT arrives.
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '1000000' });
      res.write(Buffer.alloc(1000));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const registry = path.join(tmp, 'r.yaml');
    writeFileSync(
      registry,
      `schemaVersion: 1
version: "t"
projects:
  - id: slow
    aliases: []
    name: Slow
    summary: A slow host
    kind: model
    modalities: []
    tasks: []
    organs: []
    license: { spdx: unknown }
    repo: { url: "https://github.com/example/slow", commit: "${'a'.repeat(40)}" }
    checkpoints:
      - name: weights
        filename: w.bin
        sources: [{ host: https, url: "http://127.0.0.1:${port}/w.bin" }]
    datasets: []
    notes: []
`,
    );
    const env = cleanEnv({
      OPENMEDLAB_CACHE: path.join(tmp, 'cache'),
      OPENMEDLAB_DATA: path.join(tmp, 'data'),
    });
    const child = spawn(process.execPath, [BIN, '--registry', registry, 'get', 'slow', '--no-code'], {
      env: env as NodeJS.ProcessEnv,
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((r) => server.once('request', () => setTimeout(r, 300)));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    server.closeAllConnections();
    server.close();
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted');
  });

  it('gives every command and subcommand an example in --help', async () => {
    const { program } = await buildProgram(
      { stdout: { write: () => true }, stderr: { write: () => true }, env: cleanEnv(), cwd: tmp },
      [],
      [],
      true,
    );
    const paths: string[][] = [];
    const walk = (cmd: Command, prefix: string[]): void => {
      for (const sub of cmd.commands) {
        if (sub.name() === 'help' || sub.name().startsWith('__')) continue; // hidden internals
        const here = [...prefix, sub.name()];
        if (sub.commands.length === 0) paths.push(here);
        walk(sub, here);
      }
    };
    walk(program, []);
    expect(paths.length).toBeGreaterThanOrEqual(10);
    for (const p of paths) {
      const r = await runCli([...p, '--help']);
      expect(r.code, p.join(' ')).toBe(0);
      expect(r.stdout, p.join(' ')).toMatch(/Examples:\n {2}\$ /);
    }
  });
});
