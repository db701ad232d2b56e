#!/usr/bin/env node
// Screenshots a drill's HTML report in Debian's Chromium (playwright-core), for the README.
// Usage: switchyard drill 2024-06-04-domino --html report.html
//        node scripts/drill-screenshot.mjs report.html docs/drill-report.png [height]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [html, png, height = '1500'] = process.argv.slice(2);
if (!html || !png) {
  console.error('usage: node scripts/drill-screenshot.mjs <report.html> <out.png> [height]');
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: Number(height) }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(resolve(html)).href, { waitUntil: 'load' });
  await page.screenshot({ path: png });
} finally {
  await browser.close();
}
