#!/usr/bin/env node
// Tiny shim: run the built CLI (npm's prepare script builds it on install).
import { run } from '../dist/cli.js';

run();
