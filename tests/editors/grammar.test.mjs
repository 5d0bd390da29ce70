// The TextMate grammar (editors/textmate/peapod.tmLanguage.json) through the
// engine VS Code uses: it is generated from its source, every example and
// shipped rule group tokenises with every token in the category the
// reference parser gives it (as do thousands of random policies), chosen
// tokens have the exact scopes themes colour, and golden snippets of odd and
// wrong input keep their token dumps. Run by ctest (editors_textmate); needs
// editors/node_modules, which scripts/setup-deps.sh installs.
//
//   UPDATE_GOLDEN=1 node --test tests/editors/grammar.test.mjs   rewrites the
//   golden dumps after an intended change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadGrammar, tokenize, grammarFile } from '../../editors/textmate/tokenizer.mjs';
import { grammarText } from '../../editors/textmate/generate.mjs';
import { roles } from './reference.mjs';
import { textmateCategory } from './categories.mjs';
import { randomPolicy } from './random-policy.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const g = await loadGrammar();

/// Every example and shipped rule group, relative to the source root.
export function sourceFiles() {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (/\.(pea|rules)$/.test(e.name)) out.push(rel);
    }
  };
  walk('examples');
  walk('stdrules');
  return out.sort();
}

/// The token covering a character offset of the text.
function tokenAt(lines, text, offset) {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  const line = lines[before.length - 1];
  const column = before[before.length - 1].length + 1;
  return line.find((t) => t.column <= column && column < t.column + t.text.length);
}

/// Checks that each token has its role's category; returns the count.
function checkCategories(text, where) {
  const lines = tokenize(g, text);
  let n = 0;
  for (const t of roles(text)) {
    const tm = tokenAt(lines, text, t.start);
    const got = textmateCategory(tm.scopes);
    assert.equal(got, t.role, `${where}: ${JSON.stringify(t.text)} at offset ${t.start} is ${t.role}, ` +
      `highlighted as ${got} (${tm.scopes.join(' ')})`);
    n++;
  }
  return n;
}

/// The scopes of the first token with this text on a line (1-based).
function scopesOf(lines, line, text, nth = 1) {
  const tokens = lines[line - 1].filter((t) => t.text === text);
  assert.ok(tokens.length >= nth, `no ${JSON.stringify(text)} on line ${line}: ` +
    lines[line - 1].map((t) => JSON.stringify(t.text)).join(' '));
  return tokens[nth - 1].scopes;
}

function innermostOf(lines, line, text, nth = 1) {
  const s = scopesOf(lines, line, text, nth);
  return s[s.length - 1];
}

// Every scope name the grammar can give.
function grammarScopes(node, out = new Set()) {
  if (Array.isArray(node)) node.forEach((n) => grammarScopes(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'name' || k === 'contentName') && typeof v === 'string' && node !== grammarJson) v.split(' ').forEach((s) => out.add(s));
      else grammarScopes(v, out);
    }
  }
  return out;
}
const grammarJson = JSON.parse(readFileSync(grammarFile, 'utf8'));
const known = grammarScopes(grammarJson);
const used = new Set();
function expectScope(lines, line, text, scope, nth = 1) {
  used.add(scope);
  assert.equal(innermostOf(lines, line, text, nth), scope, `line ${line} ${JSON.stringify(text)}`);
}

test('the committed grammar is what generate.mjs makes, and is valid JSON', () => {
  assert.equal(readFileSync(grammarFile, 'utf8'), grammarText,
    'peapod.tmLanguage.json is stale: run `node editors/textmate/generate.mjs`');
  assert.equal(grammarJson.scopeName, 'source.peapod');
  assert.deepEqual(grammarJson.fileTypes, ['pea', 'rules']);
  // Every include names a repository entry.
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    if (typeof node.include === 'string' && node.include.startsWith('#'))
      assert.ok(grammarJson.repository[node.include.slice(1)], `include of unknown rule ${node.include}`);
    Object.values(node).forEach(walk);
  };
  walk(grammarJson);
  // Scope names follow the TextMate convention: dotted, lower case, ending
  // in the language's name.
  for (const s of known) assert.match(s, /^[a-z][a-z0-9-]*(\.[a-z0-9+-]+)*\.peapod$/, s);
});

test('every example and rule group: each token in its category', () => {
  const files = sourceFiles();
  assert.ok(files.length >= 20, `only ${files.length} files found under examples/ and stdrules/`);
  let tokens = 0;
  for (const f of files) {
    const text = readFileSync(path.join(root, f), 'utf8');
    // Include cycles, unknown peas, `read, allow`: errors, but valid syntax.
    if (f.endsWith('relative-path.pea')) continue; // a deliberate syntax error
    tokens += checkCategories(text, f);
  }
  assert.ok(tokens > 2500, `only ${tokens} tokens checked`);
});

test('3000 random policies and rule groups: each token in its category', () => {
  for (let seed = 1; seed <= 3000; seed++) {
    const text = randomPolicy(seed, seed % 4 === 0);
    checkCategories(text, `random policy, seed ${seed}`);
  }
});

// The random policies must be what the compiler itself parses, or the test
// above proves nothing: no syntax error (E001-E004) from `peapodc check`.
// ctest passes the built peapodc in $PEAPODC.
test('the random policies have no syntax error for peapodc', { skip: !process.env.PEAPODC && 'PEAPODC is not set' }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'peapod-random-'));
  try {
    const files = [];
    for (let seed = 1; seed <= 400; seed++) {
      const file = path.join(dir, `p${seed}.${seed % 4 === 0 ? 'rules' : 'pea'}`);
      writeFileSync(file, randomPolicy(seed, seed % 4 === 0));
      files.push(file);
    }
    const run = spawnSync(process.env.PEAPODC, ['check', ...files], { encoding: 'utf8' });
    assert.ok(run.status === 0 || run.status === 1, `peapodc check: status ${run.status}: ${run.stderr}`);
    const syntax = `${run.stdout}${run.stderr}`.split('\n').filter((l) => /\[E00[0-9]\]/.test(l));
    assert.deepEqual(syntax, []);
    assert.match(`${run.stdout}${run.stderr}`, /\[E401\]/, 'peapodc check reported nothing at all');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keywords are keywords only in keyword position', () => {
  const lines = tokenize(g, [
    /* 1 */ 'pod pod {',
    /* 2 */ '  pea read { path /read read }',
    /* 3 */ '  pea bind {',
    /* 4 */ '    transition /usr/bin/bind bind',
    /* 5 */ '    namespace pea namespace global',
    /* 6 */ '    bind tcp/25 outgoing allow',
    /* 7 */ '    include "include"',
    /* 8 */ '  }',
    /* 9 */ '  pea dir-default { dir-default /dir-default deny }',
    /* 10 */ '}',
  ].join('\n'));
  expectScope(lines, 1, 'pod', 'storage.type.pod.peapod', 1);
  expectScope(lines, 1, 'pod', 'entity.name.namespace.pod.peapod', 2);
  expectScope(lines, 2, 'pea', 'storage.type.pea.peapod');
  expectScope(lines, 2, 'read', 'entity.name.type.pea.peapod', 1);
  expectScope(lines, 2, 'path', 'keyword.other.path.peapod');
  expectScope(lines, 2, '/read', 'string.unquoted.path.peapod');
  expectScope(lines, 2, 'read', 'constant.language.access.read.peapod', 2);
  expectScope(lines, 3, 'bind', 'entity.name.type.pea.peapod');
  expectScope(lines, 4, 'transition', 'keyword.other.transition.peapod');
  expectScope(lines, 4, '/usr/bin/bind', 'string.unquoted.path.peapod');
  expectScope(lines, 4, 'bind', 'entity.name.type.pea.peapod');
  expectScope(lines, 5, 'namespace', 'keyword.other.namespace.peapod', 1);
  expectScope(lines, 5, 'pea', 'entity.name.type.pea.peapod');
  expectScope(lines, 5, 'global', 'variable.language.global.peapod');
  expectScope(lines, 6, 'bind', 'keyword.other.bind.peapod');
  expectScope(lines, 6, 'outgoing', 'keyword.other.outgoing.peapod');
  expectScope(lines, 6, 'allow', 'constant.language.network.allow.peapod');
  expectScope(lines, 7, 'include', 'keyword.control.import.include.peapod', 1);
  expectScope(lines, 7, 'include', 'string.quoted.double.include.peapod', 2);
  expectScope(lines, 9, 'dir-default', 'entity.name.type.pea.peapod', 1);
  expectScope(lines, 9, 'dir-default', 'keyword.other.dir-default.peapod', 2);
  expectScope(lines, 9, '/dir-default', 'string.unquoted.path.peapod');
  expectScope(lines, 9, 'deny', 'constant.language.access.deny.peapod');
  // Whole words only: longer names and network specifications are not
  // keywords (the lexer's longest match).
  const words = tokenize(g, 'pea p { pathx /a read bind/25 }');
  assert.notEqual(innermostOf(words, 1, 'pathx'), 'keyword.other.path.peapod');
  expectScope(words, 1, 'bind', 'invalid.illegal.protocol.peapod'); // NETSPEC bind/25
  // A keyword touching a path: `path/etc` is the keyword and a path.
  const touching = tokenize(g, 'path/etc/passwd read');
  expectScope(touching, 1, 'path', 'keyword.other.path.peapod');
  expectScope(touching, 1, '/etc/passwd', 'string.unquoted.path.peapod');
});

test('paths: unquoted, quoted with escapes, invalid escapes, unterminated, relative', () => {
  const lines = tokenize(g, [
    /* 1 */ 'path /usr/lib/x86_64-linux-gnu/libstdc++.so.6 read',
    /* 2 */ 'path "/home/spotter/My Documents" read',
    /* 3 */ 'path "/srv/a\\"b\\\\c" read',
    /* 4 */ 'path "/srv/bad\\n" read',
    /* 5 */ 'path "/srv/open read',
    /* 6 */ 'path etc/passwd read',
    /* 7 */ 'path "/srv/odd,name{1}" read',
  ].join('\n'));
  expectScope(lines, 1, '/usr/lib/x86_64-linux-gnu/libstdc++.so.6', 'string.unquoted.path.peapod');
  expectScope(lines, 2, '"', 'punctuation.definition.string.begin.peapod', 1);
  expectScope(lines, 2, '/home/spotter/My Documents', 'string.quoted.double.path.peapod');
  expectScope(lines, 2, '"', 'punctuation.definition.string.end.peapod', 2);
  expectScope(lines, 2, 'read', 'constant.language.access.read.peapod');
  expectScope(lines, 3, '\\"', 'constant.character.escape.peapod');
  expectScope(lines, 3, '\\\\', 'constant.character.escape.peapod');
  expectScope(lines, 3, 'read', 'constant.language.access.read.peapod');
  expectScope(lines, 4, '\\n', 'invalid.illegal.escape.peapod');
  // The opening quote of a string that never closes carries both scopes.
  assert.deepEqual(scopesOf(lines, 5, '"').slice(-3),
    ['string.quoted.double.path.peapod', 'punctuation.definition.string.begin.peapod', 'invalid.illegal.unterminated-string.peapod']);
  used.add('invalid.illegal.unterminated-string.peapod');
  expectScope(lines, 5, '/srv/open read', 'string.quoted.double.path.peapod');
  expectScope(lines, 6, 'etc/passwd', 'invalid.illegal.relative-path.peapod');
  expectScope(lines, 7, '/srv/odd,name{1}', 'string.quoted.double.path.peapod');
});

test('comments: # starts one, except inside quotes; an unquoted path ends at #', () => {
  const lines = tokenize(g, [
    /* 1 */ '# header comment',
    /* 2 */ 'path "/srv/a#b" read # trailing',
    /* 3 */ 'path /etc/motd# note',
    /* 4 */ '  read',
    /* 5 */ 'include "std#libs"',
  ].join('\n'));
  expectScope(lines, 1, '#', 'punctuation.definition.comment.peapod');
  expectScope(lines, 1, ' header comment', 'comment.line.number-sign.peapod');
  expectScope(lines, 2, '/srv/a#b', 'string.quoted.double.path.peapod');
  expectScope(lines, 2, ' trailing', 'comment.line.number-sign.peapod');
  expectScope(lines, 3, '/etc/motd', 'string.unquoted.path.peapod');
  expectScope(lines, 3, ' note', 'comment.line.number-sign.peapod');
  expectScope(lines, 4, 'read', 'constant.language.access.read.peapod'); // the rule goes on
  expectScope(lines, 5, 'std#libs', 'string.quoted.double.include.peapod');
});

test('access values and network specifications', () => {
  const lines = tokenize(g, [
    /* 1 */ 'path /a read,write , execute',
    /* 2 */ 'dir-default /b allow',
    /* 3 */ 'bind tcp/8000-8080, udp/53',
    /* 4 */ 'outgoing deny',
    /* 5 */ 'bind sctp/25, tcp/0, tcp/65536, tcp/65535',
  ].join('\n'));
  expectScope(lines, 1, 'read', 'constant.language.access.read.peapod');
  expectScope(lines, 1, ',', 'punctuation.separator.comma.peapod');
  expectScope(lines, 1, 'write', 'constant.language.access.write.peapod');
  expectScope(lines, 1, 'execute', 'constant.language.access.execute.peapod');
  expectScope(lines, 2, 'allow', 'constant.language.access.allow.peapod');
  expectScope(lines, 3, 'tcp', 'support.type.protocol.peapod');
  expectScope(lines, 3, '/', 'punctuation.separator.port.peapod');
  expectScope(lines, 3, '8000', 'constant.numeric.integer.port.peapod');
  expectScope(lines, 3, '-', 'punctuation.separator.range.peapod');
  expectScope(lines, 3, '8080', 'constant.numeric.integer.port.peapod');
  expectScope(lines, 3, 'udp', 'support.type.protocol.peapod');
  assert.ok(scopesOf(lines, 3, 'udp').includes('constant.other.netspec.peapod'));
  used.add('constant.other.netspec.peapod');
  expectScope(lines, 4, 'deny', 'constant.language.network.deny.peapod');
  expectScope(lines, 5, 'sctp', 'invalid.illegal.protocol.peapod');
  expectScope(lines, 5, '0', 'invalid.illegal.port.peapod');
  expectScope(lines, 5, '65536', 'invalid.illegal.port.peapod');
  expectScope(lines, 5, '65535', 'constant.numeric.integer.port.peapod');
});

test('the examples: chosen tokens of the paper\'s policies', () => {
  const mail = tokenize(g, readFileSync(path.join(root, 'examples/mail.pea'), 'utf8'));
  expectScope(mail, 4, 'mail-delivery', 'entity.name.namespace.pod.peapod');
  expectScope(mail, 6, 'stdlibs', 'string.quoted.double.include.peapod');
  expectScope(mail, 13, 'procmail', 'entity.name.type.pea.peapod');
  expectScope(mail, 14, '25', 'constant.numeric.integer.port.peapod');
  expectScope(mail, 16, '}', 'punctuation.section.block.end.peapod');
  const ns = tokenize(g, readFileSync(path.join(root, 'examples/rule06-namespace-fixed.pea'), 'utf8'));
  const global = ns.findIndex((l) => l.some((t) => t.text === 'global')) + 1;
  expectScope(ns, global, 'global', 'variable.language.global.peapod');
  const group = tokenize(g, readFileSync(path.join(root, 'stdrules/stdlibs.rules'), 'utf8'));
  const first = group.findIndex((l) => l.some((t) => t.text === 'path')) + 1;
  expectScope(group, first, 'path', 'keyword.other.path.peapod');
  expectScope(group, first, '/lib64/ld-linux-x86-64.so.2', 'string.unquoted.path.peapod');
});

test('errors: stray characters and braces, the reserved name global', () => {
  const lines = tokenize(g, [
    /* 1 */ 'pod p { pea global { path /a read; } }',
    /* 2 */ '}',
  ].join('\n'));
  expectScope(lines, 1, 'global', 'invalid.illegal.reserved-name.peapod');
  expectScope(lines, 1, ';', 'invalid.illegal.character.peapod');
  expectScope(lines, 2, '}', 'invalid.illegal.stray-brace.peapod');
});

// Golden dumps: one line per token, `LINE:COL "TEXT" SCOPES`.
const goldenDir = path.join(here, 'golden');
function dump(text) {
  return tokenize(g, text).flat().filter((t) => t.text.trim())
    .map((t) => `${t.line}:${t.column} ${JSON.stringify(t.text)} ${t.scopes.slice(1).join(' ')}`)
    .join('\n') + '\n';
}
for (const name of readdirSync(goldenDir).filter((f) => /\.(pea|rules)$/.test(f)).sort()) {
  test(`golden snippet ${name}`, () => {
    const text = readFileSync(path.join(goldenDir, name), 'utf8');
    const expectedFile = path.join(goldenDir, `${name}.tokens`);
    const got = dump(text);
    if (process.env.UPDATE_GOLDEN || !existsSync(expectedFile)) writeFileSync(expectedFile, got);
    assert.equal(got, readFileSync(expectedFile, 'utf8'), `token dump of ${name} changed`);
    for (const line of got.split('\n').filter(Boolean))
      for (const s of line.replace(/^\S+ "(?:[^"\\]|\\.)*" /, '').split(' ')) used.add(s);
  });
}

test('every scope the tests name exists in the grammar', () => {
  assert.ok(used.size > 30, `only ${used.size} scopes used`);
  for (const s of used) assert.ok(known.has(s), `scope ${s} is not in the grammar`);
});
