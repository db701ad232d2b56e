#!/usr/bin/env node
// The `switchyard` command. Built code lives in dist/ (npm run build).
import { main } from '../dist/cli/main.js';

// Exit explicitly: a command has finished its own graceful shutdown by the time main() resolves.
process.exit(await main(process.argv.slice(2)));
