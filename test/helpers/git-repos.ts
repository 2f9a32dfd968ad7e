/**
 * Real git repositories for tests, made in temp dirs with an isolated git configuration (no system
 * or user config leaks in), plus a Context pointing at a temp cache.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Context, createContext } from '../../src/context.js';

/** A temp root with its own HOME and git config; `cleanup()` removes it. */
export interface GitSandbox {
  root: string;
  env: Record<string, string>;
  /** Run git synchronously in `cwd`; returns trimmed stdout. */
  git(cwd: string, ...args: string[]): string;
  /** A Context whose cache lives in the sandbox. */
  context(overrides?: Partial<Context>, env?: Record<string, string>): Context;
  cleanup(): void;
}

/** Create a sandbox. */
export function gitSandbox(): GitSandbox {
  const root = mkdtempSync(path.join(os.tmpdir(), 'oml-git-'));
  const home = path.join(root, 'home');
  mkdirSync(home);
  const gitconfig = path.join(home, '.gitconfig');
  writeFileSync(
    gitconfig,
    '[user]\n\tname = Test\n\temail = test@example.org\n[init]\n\tdefaultBranch = main\n[protocol "file"]\n\tallow = always\n',
  );
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: gitconfig,
    GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
    GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
  };
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const context = (overrides: Partial<Context> = {}, extraEnv: Record<string, string> = {}): Context => ({
    ...createContext(
      {
        cwd: root,
        cacheDir: path.join(root, 'cache'),
        dataDir: path.join(root, 'data'),
        configDir: path.join(root, 'config'),
      },
      { ...env, ...extraEnv },
    ),
    ...overrides,
  });
  return { root, env, git, context, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Files of one commit: path -> content (null deletes). */
export type CommitFiles = Record<string, string | Buffer | null>;

/** A repository: its work tree, its bare copy (what servers serve) and its commits, oldest first. */
export interface TestRepo {
  work: string;
  bare: string;
  commits: string[];
}

/** Make a repository with one commit per entry of `history`, and a bare copy `<name>.git` under `serveRoot`. */
export function makeRepo(box: GitSandbox, serveRoot: string, name: string, history: CommitFiles[]): TestRepo {
  const work = path.join(box.root, 'work', name);
  mkdirSync(work, { recursive: true });
  box.git(work, 'init', '--quiet');
  const commits: string[] = [];
  history.forEach((files, i) => {
    for (const [file, content] of Object.entries(files)) {
      const full = path.join(work, file);
      if (content === null) rmSync(full, { force: true });
      else {
        mkdirSync(path.dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
    box.git(work, 'add', '-A');
    box.git(work, 'commit', '--quiet', '--allow-empty', '-m', `commit ${i + 1}`);
    commits.push(box.git(work, 'rev-parse', 'HEAD'));
  });
  const bare = publish(box, serveRoot, name, work);
  return { work, bare, commits };
}

/** (Re)publish a work tree as the bare `<serveRoot>/<name>.git` (server config included). */
export function publish(box: GitSandbox, serveRoot: string, name: string, work: string): string {
  const bare = path.join(serveRoot, `${name}.git`);
  rmSync(bare, { recursive: true, force: true });
  mkdirSync(serveRoot, { recursive: true });
  box.git(serveRoot, 'clone', '--quiet', '--bare', work, bare);
  box.git(bare, 'config', 'uploadpack.allowFilter', 'true');
  return bare;
}

/** Deterministic pseudo-random bytes (xorshift), incompressible like model weights. */
export function noise(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeUInt32LE(x >>> 0, Math.min(i, size - 4));
  }
  return out;
}

/** The object ids present in a repository (no lazy fetch). */
export function objectsIn(box: GitSandbox, gitDir: string): Set<string> {
  const out = execFileSync('git', ['cat-file', '--batch-check=%(objectname)', '--batch-all-objects'], {
    cwd: gitDir,
    env: { ...box.env, GIT_NO_LAZY_FETCH: '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Set(out.split('\n').filter(Boolean));
}
