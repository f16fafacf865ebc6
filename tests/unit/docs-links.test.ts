import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The README stays short, and every relative link in it and in docs/ leads somewhere.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const README_LIMIT_BYTES = 15 * 1024;

function markdownFiles(): string[] {
  const docs = join(ROOT, 'docs');
  return [join(ROOT, 'README.md'), ...readdirSync(docs).filter((f) => f.endsWith('.md')).map((f) => join(docs, f))];
}

/** Targets of the Markdown links outside code (fenced blocks and inline code are skipped). */
function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
  const targets: string[] = [];
  for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const target = match[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue; // URLs, mailto:, same-page anchors
    targets.push(target);
  }
  return targets;
}

test('README.md is under 15 KB', () => {
  const size = statSync(join(ROOT, 'README.md')).size;
  assert.ok(size < README_LIMIT_BYTES, `README.md is ${size} bytes; keep it under ${README_LIMIT_BYTES} and move details to docs/`);
});

test('every relative link in README.md and docs/*.md points at a file that exists', () => {
  const broken: string[] = [];
  let checked = 0;
  for (const file of markdownFiles()) {
    for (const target of relativeLinks(readFileSync(file, 'utf8'))) {
      const path = decodeURIComponent(target.split('#')[0]);
      checked++;
      if (!existsSync(resolve(dirname(file), path))) broken.push(`${relative(ROOT, file)}: ${target}`);
    }
  }
  assert.deepEqual(broken, []);
  assert.ok(checked >= 20, `only ${checked} relative links found: is the link pattern still right?`);
});

test('the README links every docs/ page', () => {
  const linked = new Set(relativeLinks(readFileSync(join(ROOT, 'README.md'), 'utf8')).map((t) => t.split('#')[0]));
  const pages = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md'));
  assert.deepEqual(pages.filter((page) => !linked.has(`docs/${page}`)), []);
});

test('links are found in prose, not in code', () => {
  const md = 'See [a](docs/a.md) and [b](https://x.org) and [c](#here).\n```js\nx[0](y)\n```\n`[d](e.md)` [f](../f.md#top)';
  assert.deepEqual(relativeLinks(md), ['docs/a.md', '../f.md#top']);
});
