import { describe, expect, it } from 'vitest';
import { isTransientGitFailure } from '../../src/git/classify.js';
import { rewriteGithubUrl } from '../../src/git/endpoint.js';
import { inCone } from '../../src/git/objects.js';
import { gitEnv, redact } from '../../src/git/run.js';
import { parseGitmodules, resolveSubmoduleUrl } from '../../src/git/submodules.js';

const ctx = (over: Record<string, unknown> = {}) => ({
  env: { PATH: '/bin', GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'a.b', GIT_CONFIG_VALUE_0: 'c' },
  githubToken: 'ghp_SECRET',
  endpoints: { github: 'https://github.com' } as never,
  offline: false,
  ...over,
});

describe('gitEnv', () => {
  it("appends the token header after the caller's GIT_CONFIG_* pairs, scoped to the GitHub endpoint", () => {
    const env = gitEnv(ctx());
    expect(env).toMatchObject({
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: 'a.b',
      GIT_CONFIG_KEY_1: 'http.https://github.com/.extraheader',
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: '',
      LC_ALL: 'C',
      GIT_ALLOW_PROTOCOL: 'https:http:git:ssh:file',
    });
    expect(env.GIT_CONFIG_VALUE_1).toBe(
      `AUTHORIZATION: basic ${Buffer.from('x-access-token:ghp_SECRET').toString('base64')}`,
    );
  });
  it('allows only file:// offline, and adds no header without a token', () => {
    const env = gitEnv(ctx({ offline: true, githubToken: undefined }));
    expect(env.GIT_ALLOW_PROTOCOL).toBe('file');
    expect(env.GIT_CONFIG_COUNT).toBe('1');
  });
});

describe('redact', () => {
  it('hides secrets and URL passwords', () => {
    expect(redact('x ghp_SECRET y https://u:pw@h/x', ['ghp_SECRET'])).toBe('x *** y https://u:***@h/x');
  });
});

describe('rewriteGithubUrl', () => {
  it.each([
    ['https://github.com/a/b', 'https://github.com', 'https://github.com/a/b'],
    ['https://github.com/a/b', 'https://git.example.org/gh', 'https://git.example.org/gh/a/b'],
    ['https://gitlab.com/a/b', 'https://git.example.org', 'https://gitlab.com/a/b'],
    ['https://github.com.evil/a', 'https://m', 'https://github.com.evil/a'],
  ])('%s with %s -> %s', (url, endpoint, out) => {
    expect(rewriteGithubUrl(url, endpoint)).toBe(out);
  });
});

describe('inCone', () => {
  it.each([
    ['README.md', 'a/b', true],
    ['a/x.py', 'a/b', true],
    ['a/b/c/d.py', 'a/b', true],
    ['a/c/d.py', 'a/b', false],
    ['ab/x', 'a', false],
    ['z/x', 'a', false],
    ['anything', undefined, true],
  ])('%s in cone of %s: %s', (file, folder, expected) => {
    expect(inCone(file, folder)).toBe(expected);
  });
});

describe('submodules', () => {
  it('resolves relative URLs like git', () => {
    expect(resolveSubmoduleUrl('../lib.git', 'https://h/o/super.git')).toBe('https://h/o/lib.git');
    expect(resolveSubmoduleUrl('./lib.git', 'https://h/o/super')).toBe('https://h/o/super/lib.git');
    expect(resolveSubmoduleUrl('https://x/y', 'https://h/o/super')).toBe('https://x/y');
  });
  it('parses .gitmodules listings', () => {
    const text = 'submodule.vendor/lib.path\nvendor/lib\0submodule.vendor/lib.url\n../lib.git\0';
    expect(parseGitmodules(text).get('vendor/lib')).toEqual({ path: 'vendor/lib', url: '../lib.git' });
  });
});

describe('isTransientGitFailure', () => {
  it.each([
    ['fatal: unable to access: Could not resolve host: github.com', true],
    ['fatal: the remote end hung up unexpectedly', true],
    ['error: RPC failed; HTTP 502', true],
    ['fatal: unable to access: The requested URL returned error: 404', false],
    ['fatal: remote error: upload-pack: not our ref abc\nfatal: the remote end hung up unexpectedly', false],
    ['fatal: Server does not allow request for unadvertised object abc', false],
  ])('%s -> %s', (stderr, expected) => {
    expect(isTransientGitFailure(stderr)).toBe(expected);
  });
});
