// esbuild plugin: commander requires node:child_process at load time, only for git-style executable
// subcommands, which openmedlab does not use. Loading child_process (and with it net, dgram, stream
// internals) costs start-up time on every run, so commander gets a proxy that loads it on first use.
export const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /node_modules[\\/]commander[\\/]/.test(args.importer)
        ? { path: 'lazy-child-process', namespace: 'lazy' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents:
        "let real; const load = () => (real ??= require('node:child_process'));\n" +
        'module.exports = new Proxy({}, { get: (_t, key) => load()[key], has: (_t, key) => key in load() });',
      loader: 'js',
    }));
  },
};
