// Driver for bench/download.mjs: runs downloadToStore from a bundle of src/fetch/download.ts.
// Usage: node download-driver.mjs <bundle.mjs> <cacheRoot> <jobs> <url>...
// Prints one JSON line per file. Several URLs are fetched with a small pool of <jobs> workers.
const [bundle, cacheRoot, jobsText, ...urls] = process.argv.slice(2);
const { downloadToStore, createDispatcher, tuneV8 } = await import(bundle);
tuneV8(); // as the CLI entry (src/cli/run.ts) does
const ctx = { offline: false, userAgent: 'openmedlab-bench', proxy: {} };
const dispatcher = createDispatcher({ connections: Number(jobsText) });
const queue = urls.map((url, i) => ({ url, key: `bench-${i}` }));
async function worker() {
  for (let item = queue.shift(); item; item = queue.shift()) {
    const plan = { host: 'https', url: item.url, headers: {} };
    const result = await downloadToStore({ plan, ctx, cacheRoot, key: item.key, dispatcher });
    process.stdout.write(
      `${JSON.stringify({ url: item.url, sha256: result.sha256, resumedFrom: result.resumedFrom })}\n`,
    );
  }
}
await Promise.all(Array.from({ length: Number(jobsText) }, worker));
await dispatcher.close();
