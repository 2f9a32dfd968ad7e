import { describe, expect, it } from 'vitest';
import { validateCommit, validateRef, validateRepoUrl, validateSubfolder } from '../../src/git/validate.js';

describe('validateRepoUrl', () => {
  it.each([
    'https://github.com/med-air/Endo-FM',
    'http://127.0.0.1:8080/x.git',
    'http://localhost/x.git',
    'git://127.0.0.1:9418/x.git',
    'file:///tmp/x.git',
    'ssh://git@github.com/owner/repo.git',
  ])('accepts %s', (url) => {
    expect(validateRepoUrl(url)).toBe(url);
  });

  it.each([
    ['-uhttps://x', /option/],
    ['--upload-pack=touch /tmp/x', /option/],
    ['https://github.com/a\nb', /control/],
    ['ext::sh -c touch% /tmp/x', /remote-helper/],
    ['fd::3', /remote-helper/],
    ['http://example.org/x.git', /loopback/],
    ['ftp://example.org/x.git', /scheme ftp/],
    ['/tmp/x.git', /not a URL/],
    ['git@github.com:owner/repo.git', /scheme|not a URL/],
    ['ssh://-oProxyCommand=touch/x', /host/],
    ['https://user:secret@github.com/o/r', /credentials/],
  ])('refuses %s', (url, why) => {
    expect(() => validateRepoUrl(url)).toThrow(why);
    expect(() => validateRepoUrl(url)).toThrowError(expect.objectContaining({ code: 'E_USAGE' }));
  });

  it('does not echo a password it refuses', () => {
    expect(() => validateRepoUrl('https://u:hunter2@github.com/o/r')).toThrowError(/^(?!.*hunter2)/s);
  });
});

describe('validateRef and validateCommit', () => {
  it('accepts commits (lower-cased) and plain names', () => {
    expect(validateRef('A'.repeat(40))).toBe('a'.repeat(40));
    expect(validateRef('v1.2.0')).toBe('v1.2.0');
    expect(validateRef('feature/x')).toBe('feature/x');
    expect(validateCommit('0123456789abcdef0123456789abcdef01234567')).toBe(
      '0123456789abcdef0123456789abcdef01234567',
    );
  });

  it.each([
    '--upload-pack=touch /tmp/x',
    '-b',
    'a..b',
    'a b',
    'x\u0001',
    'HEAD~1',
    'a:b',
    '.hidden',
    'x.lock',
    '',
  ])('refuses ref %j', (ref) => {
    expect(() => validateRef(ref)).toThrowError(expect.objectContaining({ code: 'E_USAGE' }));
  });

  it('refuses short or non-hex commits', () => {
    expect(() => validateCommit('abc123')).toThrowError(expect.objectContaining({ code: 'E_USAGE' }));
    expect(() => validateCommit(`--${'a'.repeat(38)}`)).toThrowError(
      expect.objectContaining({ code: 'E_USAGE' }),
    );
  });
});

describe('validateSubfolder', () => {
  it('keeps relative folders, trims slashes', () => {
    expect(validateSubfolder('Axon Segmentation')).toBe('Axon Segmentation');
    expect(validateSubfolder('a/b/')).toBe('a/b');
  });
  it.each(['/etc', '../x', 'a/../b', '', 'a//b', 'x\ny'])('refuses %j', (folder) => {
    expect(() => validateSubfolder(folder)).toThrowError(expect.objectContaining({ code: 'E_USAGE' }));
  });
});
