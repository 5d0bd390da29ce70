// The Neovim set-up (editors/nvim) in a real `nvim --headless` (Debian 12's
// 0.7): filetype detection, the ftplugin's options, indentation, the Vim
// syntax file (every token of every example, rule group and random policy
// in the same category as the TextMate grammar and the reference parser
// say), and the LSP client module against a stand-in server installed as
// `peapodc` on PATH (tests/editors/fake-lsp-server.mjs), which records the
// command line, initialize, didOpen and didChangeConfiguration. Run by ctest
// (editors_nvim); skipped (exit 77) only when nvim is not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, mkdirSync, rmSync, chmodSync, existsSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { roles } from './reference.mjs';
import { textmateCategory, vimCategory } from './categories.mjs';
import { randomPolicy } from './random-policy.mjs';
import { loadGrammar, tokenize } from '../../editors/textmate/tokenizer.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

if (spawnSync('nvim', ['--version']).error) {
  console.log('SKIPPED: nvim is not installed (scripts/setup-deps.sh installs Debian\'s neovim)');
  process.exit(77);
}

const g = await loadGrammar();
const work = mkdtempSync(path.join(os.tmpdir(), 'peapod-nvim-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

// ---- the inputs -------------------------------------------------------------
function sourceFiles() {
  const out = [];
  for (const dir of ['examples', 'examples/diagnostics', 'examples/diagnostics/include-cycle', 'stdrules'])
    for (const f of execFileSync('ls', [path.join(root, dir)], { encoding: 'utf8' }).split('\n'))
      if (/\.(pea|rules)$/.test(f) && !f.endsWith('relative-path.pea')) out.push(path.join(root, dir, f));
  return out;
}
const randomFiles = [];
mkdirSync(path.join(work, 'random'));
for (let seed = 1; seed <= 150; seed++) {
  // Vim reads CR LF files in dos format; the random policies mix endings.
  const file = path.join(work, 'random', `p${seed}.${seed % 4 === 0 ? 'rules' : 'pea'}`);
  writeFileSync(file, randomPolicy(seed, seed % 4 === 0).replace(/\r\n/g, '\n'));
  randomFiles.push(file);
}
const syntaxFiles = [...sourceFiles(), ...randomFiles];

/// Token starts as [line, byte column] (what synID takes), with the role.
function probes(text) {
  const toks = roles(text);
  return toks.map((t) => {
    const before = text.slice(0, t.start).split('\n');
    const last = before[before.length - 1];
    return { pos: [before.length, Buffer.byteLength(last) + 1], column: last.length + 1, role: t.role, text: t.text };
  });
}

// Filetype detection: by name, and by content for the many kinds of .rules.
const ft = (rel, text) => { const f = path.join(work, 'ft', rel); mkdirSync(path.dirname(f), { recursive: true }); writeFileSync(f, text); return f; };
const filetypeCases = {
  [path.join(root, 'examples/mail.pea')]: 'peapod',
  [path.join(root, 'stdrules/stdlibs.rules')]: 'peapod',
  [path.join(root, 'examples/rule07-compiler.rules')]: 'peapod',
  [ft('empty.rules', '')]: 'peapod',
  [ft('comments-only.rules', '# nothing yet\n\n')]: 'peapod',
  [ft('nested.rules', '# a group\ninclude "stdlibs"\n')]: 'peapod',
  [ft('etc/udev/rules.d/99-x.rules', 'SUBSYSTEM=="usb", MODE="0660"\n')]: 'udevrules',
  [ft('snort.rules', 'alert tcp any any -> any 80 (msg:"x";)\n')]: 'hog',
  [ft('policy.pea', 'pod p { }\n')]: 'peapod',
};

// Indentation: every example, re-indented from column 0, comes back as
// written (they are in the canonical two-space style), and braces in quotes
// and comments do not count.
const indentTexts = [
  ...['mail.pea', 'rule06-namespace-fixed.pea', 'rule10-web.pea', 'rule11-desktop.pea']
    .map((f) => readFileSync(path.join(root, 'examples', f), 'utf8').replace(/\n$/, '')),
  'pod p {\n  pea q {\n    path "/srv/odd{1" read  # { not a brace\n    path /b write\n  }\n  pea r { }\n}',
];

// The LSP client: a project with a root marker and a stand-in peapodc.
const project = path.join(work, 'project');
mkdirSync(path.join(project, '.git'), { recursive: true });
mkdirSync(path.join(project, 'sub'));
writeFileSync(path.join(project, 'a.pea'), 'pod p {\n  pea q {\n    path /etc/motd read\n  }\n}\n');
writeFileSync(path.join(project, 'sub', 'b.rules'), 'path /etc/hosts read\n');
const bin = path.join(work, 'bin');
mkdirSync(bin);
const log = path.join(work, 'lsp.log');
writeFileSync(path.join(bin, 'peapodc'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(here, 'fake-lsp-server.mjs')}" "$@"\n`);
chmodSync(path.join(bin, 'peapodc'), 0o755);

const allProbes = syntaxFiles.map((file) => ({ file, probes: probes(readFileSync(file, 'utf8')) }));
const input = {
  filetypes: Object.keys(filetypeCases),
  syntax: allProbes.map((p) => ({ file: p.file, positions: p.probes.map((x) => x.pos) })),
  indent: indentTexts,
  lsp: {
    files: [path.join(project, 'a.pea'), path.join(project, 'sub', 'b.rules')],
    settings: { includeDirs: ['rules', '/abs/groups'], stdrulesDir: '~/stdrules' },
    update: { lintConfig: 'lint.toml' },
  },
};

// ---- one editor session -------------------------------------------------------
writeFileSync(path.join(work, 'in.json'), JSON.stringify(input));
const run = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n',
  '--cmd', `set runtimepath^=${path.join(root, 'editors/nvim')}`,
  '-c', 'filetype plugin indent on', '-c', 'syntax on',
  '-c', `luafile ${path.join(here, 'nvim-driver.lua')}`], {
  cwd: work,
  env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, PEAPOD_FAKE_LOG: log, HOME: work,
    PEAPOD_TEST_IN: path.join(work, 'in.json'), PEAPOD_TEST_OUT: path.join(work, 'out.json'),
    XDG_CONFIG_HOME: path.join(work, 'config'), XDG_DATA_HOME: path.join(work, 'data'), XDG_STATE_HOME: path.join(work, 'state') },
  encoding: 'utf8',
  timeout: 120000,
});
const out = existsSync(path.join(work, 'out.json'))
  ? JSON.parse(readFileSync(path.join(work, 'out.json'), 'utf8'))
  : { errors: [`nvim wrote no result (status ${run.status}, signal ${run.signal}): ${run.stderr}`] };

test('the editor session ran every step', () => {
  assert.deepEqual(out.errors, []);
  assert.equal(run.status, 0, run.stderr);
});

test('filetype detection: .pea, PeaPod .rules, and the .rules of other tools left alone', () => {
  for (const [file, expected] of Object.entries(filetypeCases))
    assert.equal(out.filetypes[file], expected, path.relative(work, file));
});

test('ftplugin: # comments, names with - and ., two-space indents', () => {
  assert.equal(out.options.commentstring, '# %s');
  assert.equal(out.options.comments, ':#');
  assert.match(out.options.iskeyword, /(^|,)-(,|$)/);
  assert.match(out.options.iskeyword, /(^|,)\.(,|$)/);
  assert.equal(out.options.shiftwidth, 2);
  assert.equal(out.options.expandtab, true);
  assert.equal(out.options.indentexpr, 'PeapodIndent()');
});

test('indent: = re-indents the examples as written', () => {
  indentTexts.forEach((text, i) => assert.equal(out.indent[i], text, `text ${i}`));
});

test('syntax: every token of every example, rule group and random policy in its category', () => {
  let n = 0;
  for (const { file, probes: ps } of allProbes) {
    const result = out.syntax[file];
    assert.equal(result.filetype, 'peapod', file);
    const lines = tokenize(g, readFileSync(file, 'utf8'));
    ps.forEach((p, i) => {
      const vim = vimCategory(result.groups[i]);
      assert.equal(vim, p.role, `${path.relative(root, file)}:${p.pos[0]}:${p.pos[1]} ${JSON.stringify(p.text)} ` +
        `is ${p.role}; Vim says ${result.groups[i]}`);
      // The TextMate grammar agrees (checked in full by grammar.test.mjs).
      const tm = lines[p.pos[0] - 1].find((t) => t.column <= p.column && p.column < t.column + t.text.length);
      assert.equal(textmateCategory(tm.scopes), vim, `TextMate and Vim disagree on ${JSON.stringify(p.text)}`);
      n++;
    });
  }
  assert.ok(n > 10000, `only ${n} tokens checked`);
});

// What the stand-in server received, in order.
const messages = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
const sessions = [];
for (const m of messages) {
  if (m.argv) sessions.push({ argv: m.argv, cwd: m.cwd, messages: [] });
  else sessions[sessions.length - 1].messages.push(m);
}

test('LSP: `peapodc lsp` from PATH, one server for the project, its root and settings', () => {
  assert.ok(out.lsp.started, 'the client never initialized');
  assert.equal(out.lsp.first, out.lsp.second, 'a second file of the project started a second server');
  assert.ok(sessions.length >= 1, 'the stand-in server never ran');
  const [first] = sessions;
  assert.deepEqual(first.argv, ['lsp']);
  const init = first.messages.find((m) => m.method === 'initialize');
  assert.equal(init.params.rootUri, `file://${project}`);
  const expected = { includeDirs: [path.join(project, 'rules'), '/abs/groups'], stdrulesDir: path.join(work, 'stdrules'), lintConfig: null };
  assert.deepEqual(init.params.initializationOptions, expected);
  assert.ok(first.messages.some((m) => m.method === 'initialized'));
  const opens = first.messages.filter((m) => m.method === 'textDocument/didOpen').map((m) => m.params.textDocument);
  assert.deepEqual(opens.map((d) => [d.uri, d.languageId]), [
    [`file://${project}/a.pea`, 'peapod'],
    [`file://${project}/sub/b.rules`, 'peapod'],
  ]);
  assert.match(opens[0].text, /path \/etc\/motd read/);
  const changes = first.messages.filter((m) => m.method === 'workspace/didChangeConfiguration').map((m) => m.params.settings);
  assert.deepEqual(changes, [expected, { ...expected, lintConfig: path.join(project, 'lint.toml') }]);
});

test('LSP: :PeapodRestart starts a new server with the current settings; quitting shuts it down', () => {
  assert.ok(out.lsp.restarted, 'no new client after :PeapodRestart');
  assert.notEqual(out.lsp.after_restart, out.lsp.first);
  assert.equal(sessions.length, 2);
  const [first, second] = sessions;
  for (const s of [first, second]) {
    const methods = s.messages.map((m) => m.method);
    assert.ok(methods.includes('shutdown') && methods.includes('exit'), `no shutdown/exit: ${methods.join(' ')}`);
  }
  const init = second.messages.find((m) => m.method === 'initialize');
  assert.equal(init.params.initializationOptions.lintConfig, path.join(project, 'lint.toml'));
  // Both open buffers are attached to the new server, and a buffer that is
  // no file is not.
  assert.equal(second.messages.filter((m) => m.method === 'textDocument/didOpen').length, 2);
  assert.equal(out.lsp.unnamed_clients, 0);
});
