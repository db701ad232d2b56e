#!/usr/bin/env node
// After tsc: copy what the compiled code reads at run time but tsc does not emit
// (the drills' built-in scenarios, src/drill/scenarios/*.yaml) into dist/, so
// `switchyard drill <name>` works from the build and from an installed package.
import { cpSync } from 'node:fs';

cpSync('src/drill/scenarios', 'dist/drill/scenarios', { recursive: true, filter: (src) => !/\.(ts|md)$/.test(src) });
