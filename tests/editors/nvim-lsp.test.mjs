// End to end with a real editor and the real server: Debian 12's Neovim 0.7
// headless, its built-in LSP client started by editors/nvim's module, and
// `peapodc lsp` ($PEAPODC, set by ctest). Neovim opens a policy with an
// error (in a directory and file with non-ASCII names, after non-ASCII text
// on the error's line), waits for the diagnostics, asks for hover,
// definition and the outline, fixes the error by typing, and formats; the
// test checks what the editor received. Skipped (exit 77) only when nvim
// is not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

if (spawnSync('nvim', ['--version']).error) {
  console.log('SKIPPED: nvim is not installed (scripts/setup-deps.sh installs Debian\'s neovim)');
  process.exit(77);
}
const peapodc = process.env.PEAPODC || path.join(root, 'build/bin/peapodc');
assert.ok(existsSync(peapodc), `no peapodc at ${peapodc} (ctest sets PEAPODC)`);

const work = mkdtempSync(path.join(os.tmpdir(), 'peapod-nvim-lsp-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const project = path.join(work, 'projét');
mkdirSync(path.join(project, '.git'), { recursive: true });
mkdirSync(path.join(project, 'rules'));
writeFileSync(path.join(project, 'rules', 'base.rules'), 'path /etc/hosts read\n');
const file = path.join(project, 'mäil.pea');
const text = [
  'pod mail {',                                   // 0
  '  pea sendmail {',                             // 1
  '    include "base"',                           // 2
  '    path /usr/bin/procmail read, execute',     // 3
  '    transition /usr/bin/procmail procmal # é', // 4: E301
  '    transition /usr/bin/é procmail',           // 5
  '  }',
  '  pea procmail {',
  '    dir-default / allow',
  '  }',
  '}',
  '',
].join('\n');
writeFileSync(file, text);
// Line 5 has "é" (2 bytes, 1 UTF-16 unit) before the target.
const input = {
  peapodc,
  file,
  settings: { includeDirs: ['rules'] },
  hover: [3, 10],
  definition: [5, 28],
  edit: [4, 33, 40, 'procmail'],
};
writeFileSync(path.join(work, 'in.json'), JSON.stringify(input));
const run = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n',
  '--cmd', `set runtimepath^=${path.join(root, 'editors/nvim')}`,
  '-c', 'filetype plugin indent on',
  '-c', `luafile ${path.join(here, 'nvim-lsp-driver.lua')}`], {
  cwd: project,
  env: { ...process.env, HOME: work, PEAPOD_TEST_IN: path.join(work, 'in.json'),
    PEAPOD_TEST_OUT: path.join(work, 'out.json'),
    XDG_CONFIG_HOME: path.join(work, 'config'), XDG_DATA_HOME: path.join(work, 'data'),
    XDG_STATE_HOME: path.join(work, 'state'), XDG_CACHE_HOME: path.join(work, 'cache') },
  encoding: 'utf8',
  timeout: 120000,
});
const out = existsSync(path.join(work, 'out.json'))
  ? JSON.parse(readFileSync(path.join(work, 'out.json'), 'utf8'))
  : { errors: [`nvim wrote no result (status ${run.status}, signal ${run.signal}): ${run.stderr}`] };

test('the editor session ran every step', () => {
  assert.deepEqual(out.errors, []);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(out.filetype, 'peapod');
  assert.ok(out.attached, 'no client attached');
});

test('diagnostics: the error, its ID and link, at the right column', () => {
  assert.ok(out.got_diagnostics, 'no diagnostics arrived');
  assert.equal(out.diagnostics.length, 1, JSON.stringify(out.diagnostics));
  const [d] = out.diagnostics;
  assert.equal(d.code, 'E301');
  assert.equal(d.message, "unknown pea 'procmal' in pod 'mail'");
  assert.equal(d.source, 'peapod');
  assert.equal(d.lnum, 4);
  assert.equal(d.col, 33);
  assert.equal(d.end_col, 40);
  assert.match(d.href, /docs\/diagnostics\.md#e301-unknown-pea$/);
});

test('hover: the access the rule gives and what decides it', () => {
  assert.match(out.hover, /This path: \*\*r-x\*\* for pea `sendmail`/);
  assert.match(out.hover, /decided by `path \/usr\/bin\/procmail` \(mäil\.pea:4\)/);
});

test('definition: from a transition target (after a non-ASCII path) to the pea', () => {
  // The document's URI as Neovim spelled it (lowercase hex escapes).
  assert.equal(fileURLToPath(out.definition.uri), file);
  assert.deepEqual(out.definition.range.start, { line: 7, character: 6 });
});

test('outline: the pod and its peas', () => {
  assert.equal(out.outline.length, 1);
  assert.equal(out.outline[0].name, 'mail');
  assert.deepEqual(out.outline[0].children.map((c) => c.name), ['sendmail', 'procmail']);
});

test('typing the fix clears the error; formatting gives the canonical text', () => {
  assert.ok(out.cleared, `diagnostics after the edit: ${JSON.stringify(out.after_edit)}`);
  assert.ok(out.after_edit.every((d) => d.severity !== 1), 'no error after the edit');
  assert.ok(out.after_edit.some((d) => d.code === 'A205'), 'the analyzer\'s findings are published');
  assert.match(out.formatted, /^    transition \/usr\/bin\/procmail procmail  # é$/m);
  assert.match(out.formatted, /^    include "base"$/m);
});
