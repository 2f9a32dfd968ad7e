// The CLI from source as a real process (for shell-completion tests): `node --import tsx cli-main.ts ...`.
import { run } from '../../src/cli/run.js';

await run();
