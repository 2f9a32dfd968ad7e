import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODALITIES } from '../../src/registry/types.js';
import { cleanEnv, ROOT, runCli } from '../helpers/cli.js';

/** Candidates from the hidden __complete command, values only. */
async function complete(...words: string[]): Promise<string[]> {
  const r = await runCli(['__complete', '--', ...words]);
  expect(r.code).toBe(0);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t')[0] as string);
}

describe('__complete (generated from the commander program)', () => {
  it('completes commands and subcommands, with descriptions for zsh and fish', async () => {
    expect(await complete('ge')).toEqual(['get']);
    expect(await complete('c')).toEqual(expect.arrayContaining(['cite', 'clone', 'config', 'completion']));
    expect(await complete('')).not.toContain('__complete');
    expect(await complete('config', '')).toEqual(['path', 'get', 'set', 'unset', 'list']);
    const r = await runCli(['__complete', '--', 'doc']);
    expect(r.stdout).toMatch(/^doctor\tcheck node, git/);
  });

  it('completes flags of the command and the global ones', async () => {
    const flags = await complete('get', 'endo-fm', '--');
    expect(flags).toEqual(
      expect.arrayContaining([
        '--checkpoint',
        '--dest',
        '--no-code',
        '--jobs',
        '--registry',
        '--offline',
        '--help',
      ]),
    );
    expect(await complete('list', '--mo')).toEqual(['--modality']);
    expect(await complete('--ca')).toEqual(['--cache-dir']);
  });

  it('completes project ids and aliases where an id is expected', async () => {
    const ids = await complete('info', '');
    expect(ids).toEqual(expect.arrayContaining(['stu-net', 'endo-fm', 'retfound']));
    expect(await complete('get', 'endo')).toEqual(expect.arrayContaining(['endo-fm']));
    expect(await complete('cite', 'stu-net', 'med')).toEqual(expect.arrayContaining(['medfmc']));
    expect(await complete('--offline', 'info', 'stu-n')).toEqual(['stu-net']);
  });

  it('completes vocabularies after their flags', async () => {
    expect(await complete('list', '--modality', '')).toEqual([...MODALITIES]);
    expect(await complete('list', '--kind', 'd')).toEqual(['dataset']);
    expect(await complete('list', '--host', 'google')).toEqual(['google-drive', 'google-drive-folder']);
    expect(await complete('cite', 'stu-net', '--format', '')).toEqual([
      'bibtex',
      'biblatex',
      'apa',
      'ris',
      'csl-json',
    ]);
    expect(await complete('list', '--task', 'segm')).toEqual(['segmentation']);
    expect(await complete('completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect(await complete('config', 'get', 'endpoints.h')).toEqual(['endpoints.huggingface']);
  });

  it("completes a project's checkpoint names after get <id> --checkpoint, repeatedly", async () => {
    const names = await complete('get', 'endo-fm', '--checkpoint', '');
    expect(names).toEqual(expect.arrayContaining(['pretrained', 'polypdiag']));
    expect(await complete('get', 'endo-fm', '--checkpoint', 'pretrained', 'poly')).toEqual(['polypdiag']);
    expect(await complete('get', 'no-such-project', '--checkpoint', '')).toEqual([]);
  });

  it('asks the shell for file names where a file or directory is expected', async () => {
    for (const words of [
      ['--registry', ''],
      ['get', 'endo-fm', '--dest', ''],
      ['clone', 'endo-fm', ''],
    ]) {
      expect((await runCli(['__complete', '--', ...words])).stdout).toBe(':files\n');
    }
  });
});

/** A real shell, with `openmedlab` on PATH running the CLI from source. */
describe('completion scripts in real shells', () => {
  let dir: string;
  let env: Record<string, string | undefined>;
  const has = (shell: string): boolean => spawnSync(shell, ['-c', 'true']).status === 0;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'oml-completion-'));
    const tsx = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs');
    const main = path.join(ROOT, 'test', 'helpers', 'cli-main.ts');
    await writeFile(
      path.join(dir, 'openmedlab'),
      `#!/bin/sh\nexec "${process.execPath}" --import "${tsx}" "${main}" "$@"\n`,
    );
    await chmod(path.join(dir, 'openmedlab'), 0o755);
    for (const shell of ['bash', 'zsh', 'fish'])
      await writeFile(path.join(dir, `script.${shell}`), (await runCli(['completion', shell])).stdout);
    env = cleanEnv({ PATH: `${dir}:${process.env.PATH}` });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Source the bash script, set COMP_WORDS/COMP_CWORD, call the function, print COMPREPLY. */
  function bash(words: string[]): string[] {
    const quoted = words.map((w) => `'${w}'`).join(' ');
    const script = `source "${dir}/script.bash"; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _openmedlab; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['-c', script], { env, cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean);
  }

  it('bash: commands, checkpoint names and file names', () => {
    expect(bash(['openmedlab', 'doc'])).toEqual(['doctor']);
    expect(bash(['openmedlab', 'get', 'endo-fm', '--checkpoint', 'poly'])).toEqual(['polypdiag']);
    expect(bash(['openmedlab', '--registry', 'scr']).sort()).toEqual([
      'script.bash',
      'script.fish',
      'script.zsh',
    ]);
  });

  it('bash: the script is registered for the command', () => {
    const r = spawnSync('bash', ['-c', `source "${dir}/script.bash"; complete -p openmedlab`], {
      encoding: 'utf8',
    });
    expect(r.stdout.trim()).toBe('complete -F _openmedlab openmedlab');
  });

  it.skipIf(!has('fish'))('fish: real completions through complete -C', () => {
    const r = spawnSync(
      'fish',
      ['--no-config', '-c', `source "${dir}/script.fish"; complete -C 'openmedlab list --modality ul'`],
      {
        env,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(r.stdout.trim()).toBe('ultrasound');
  });

  it.skipIf(!has('zsh'))(
    'zsh: the function turns candidates into value:description pairs (compsys stubbed)',
    () => {
      const script = [
        'compdef() { :; }',
        '_describe() { print -l -- "$' + '{(@P)4}"; }',
        '_files() { print FILES; }',
        `source "${dir}/script.zsh"`,
        'words=(openmedlab list --modality ul); CURRENT=4; _openmedlab',
        'words=(openmedlab --registry ""); CURRENT=3; _openmedlab',
        'words=(openmedlab doc); CURRENT=2; _openmedlab',
      ].join('\n');
      const r = spawnSync('zsh', ['-f', '-c', script], { env, cwd: dir, encoding: 'utf8', timeout: 60_000 });
      expect(r.stdout.split('\n')).toEqual([
        'ultrasound',
        'FILES',
        expect.stringMatching(/^doctor:check node, git/),
        '',
      ]);
    },
  );

  it.skipIf(!has('zsh'))('zsh: the script parses', () => {
    const r = spawnSync('zsh', ['-n', path.join(dir, 'script.zsh')], { encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
  });

  it('fish and zsh scripts carry the same protocol', async () => {
    const zsh = (await runCli(['completion', 'zsh'])).stdout;
    const fish = (await runCli(['completion', 'fish'])).stdout;
    expect(zsh).toMatch(/^#compdef openmedlab\n/);
    expect(zsh).toContain('__complete -- "$' + '{(@)words[2,CURRENT]}"');
    expect(fish).toContain("complete -c openmedlab -f -a '(__openmedlab_complete)'");
    expect(fish).toContain('__complete -- $tokens $current');
  });
});
