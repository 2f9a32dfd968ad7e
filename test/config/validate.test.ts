import { describe, expect, it } from 'vitest';
import { validateConfigText } from '../../src/config/validate.js';

describe('validateConfigText', () => {
  it('accepts every documented key', () => {
    const text = [
      'cacheDir: ~/models',
      'jobs: 8',
      'registry: ./my-registry.yaml',
      'offline: false',
      'proxy:',
      '  https: http://proxy.example:3128',
      '  noProxy: localhost,.internal',
      'endpoints:',
      '  huggingface: https://hf-mirror.com',
      '  onedrive: http://127.0.0.1:9999',
    ].join('\n');
    const result = validateConfigText(text, 'c.yaml');
    expect(result.errors).toEqual([]);
    expect(result.value).toEqual({
      cacheDir: '~/models',
      jobs: 8,
      registry: './my-registry.yaml',
      offline: false,
      proxy: { https: 'http://proxy.example:3128', noProxy: 'localhost,.internal' },
      endpoints: { huggingface: 'https://hf-mirror.com', onedrive: 'http://127.0.0.1:9999' },
    });
  });

  it('treats an empty or comment-only file as an empty config', () => {
    expect(validateConfigText('', 'c.yaml').value).toEqual({});
    expect(validateConfigText('# nothing yet\n', 'c.yaml').value).toEqual({});
  });

  it('locates an unknown key at the key, with the expected keys', () => {
    const result = validateConfigText('jobs: 2\nendpoints:\n  hugginface: https://x.org\n', 'c.yaml');
    expect(result.value).toBeUndefined();
    expect(result.errors).toEqual([
      {
        file: 'c.yaml',
        line: 3,
        column: 3,
        path: 'endpoints.hugginface',
        message: expect.stringMatching(
          /^unknown field "hugginface"; expected one of huggingface, googleDrive/,
        ),
      },
    ]);
  });

  it('locates bad values at the value', () => {
    const result = validateConfigText('jobs: many\noffline: maybe\nproxy:\n  https: proxy:3128\n', 'c.yaml');
    expect(result.errors.map((e) => [e.line, e.column, e.path, e.message])).toEqual([
      [1, 7, 'jobs', 'expected an integer, found string'],
      [2, 10, 'offline', 'expected true or false, found string'],
      [4, 10, 'proxy.https', '"proxy:3128" is not an http(s) URL'],
    ]);
  });

  it('bounds jobs to 1..64', () => {
    expect(validateConfigText('jobs: 0', 'c.yaml').errors[0]).toMatchObject({
      path: 'jobs',
      message: 'must be >= 1',
    });
    expect(validateConfigText('jobs: 65', 'c.yaml').errors[0]).toMatchObject({
      path: 'jobs',
      message: 'must be <= 64',
    });
  });

  it('refuses secrets: token keys and passwords in proxy URLs', () => {
    const result = validateConfigText(
      'hfToken: hf_abc\nproxy:\n  https: http://me:pw@proxy:3128\n',
      'c.yaml',
    );
    expect(result.secret).toBe(true);
    expect(result.errors.map((e) => [e.line, e.column, e.path])).toEqual([
      [1, 1, 'hfToken'],
      [3, 10, 'proxy.https'],
    ]);
    expect(JSON.stringify(result.errors)).not.toContain('hf_abc');
    expect(JSON.stringify(result.errors)).not.toContain(':pw@');
  });

  it('reports YAML syntax errors with their position', () => {
    const result = validateConfigText('jobs: 2\njobs: 3\n', 'c.yaml');
    expect(result.errors[0]).toMatchObject({ file: 'c.yaml', line: 2, column: 1 });
  });
});
