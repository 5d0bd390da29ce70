// The VS Code extension (editors/vscode): its manifest and language
// configuration are valid and consistent, the settings become the server's
// command and configuration as docs/editors.md says, extension.js starts
// `peapodc lsp` over stdio and passes settings on (run here against stand-ins
// for the vscode module and the language client, since VS Code itself is not
// on the machine), and `vsce package` makes a .vsix holding all it needs.
// Run by ctest (editors_vscode); needs editors/node_modules and
// editors/vscode/node_modules, which scripts/setup-deps.sh installs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, realpathSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { inflateRawSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const ext = path.join(root, 'editors/vscode');
const require = createRequire(path.join(ext, 'package.json'));
const manifest = JSON.parse(readFileSync(path.join(ext, 'package.json'), 'utf8'));
const langConfig = JSON.parse(readFileSync(path.join(ext, 'language-configuration.json'), 'utf8'));
const grammar = JSON.parse(readFileSync(path.join(root, 'editors/textmate/peapod.tmLanguage.json'), 'utf8'));

test('package.json: the language, its files, grammar, configuration and entry point', () => {
  assert.equal(manifest.name, 'peapod');
  assert.ok(manifest.publisher && manifest.version && manifest.engines.vscode, 'vsce needs publisher, version, engines');
  const [lang] = manifest.contributes.languages;
  assert.equal(lang.id, 'peapod');
  assert.deepEqual(lang.extensions, ['.pea', '.rules']);
  assert.ok(existsSync(path.join(ext, lang.configuration)), lang.configuration);
  const [g] = manifest.contributes.grammars;
  assert.equal(g.language, 'peapod');
  assert.equal(g.scopeName, grammar.scopeName);
  // The grammar is the one in editors/textmate, not a copy.
  assert.equal(realpathSync(path.join(ext, g.path)), realpathSync(path.join(root, 'editors/textmate/peapod.tmLanguage.json')));
  assert.ok(existsSync(path.join(ext, manifest.main)), manifest.main);
  assert.ok(manifest.activationEvents.includes('onLanguage:peapod'));
  assert.ok(manifest.dependencies['vscode-languageclient']);
  const props = manifest.contributes.configuration.properties;
  assert.equal(props['peapod.path'].default, 'peapodc');
  assert.equal(props['peapod.includeDirs'].type, 'array');
  assert.equal(props['peapod.stdrulesDir'].type, 'string');
  assert.equal(props['peapod.lintConfig'].type, 'string');
  assert.deepEqual(props['peapod.trace.server'].enum, ['off', 'messages', 'verbose']);
});

test('language-configuration.json: comments, brackets, quotes, indentation, words', () => {
  assert.equal(langConfig.comments.lineComment, '#');
  assert.deepEqual(langConfig.brackets, [['{', '}']]);
  const pairs = langConfig.autoClosingPairs.map((p) => p.open + p.close);
  assert.deepEqual(pairs.sort(), ['""', '{}']);
  // VS Code compiles these as JavaScript regular expressions.
  const word = new RegExp(`^(?:${langConfig.wordPattern})$`);
  for (const w of ['mail-delivery', 'dir-default', 'php5.6', 'global_access', 'fileLISTER', 'tcp/25', 'udp/8000-8080'])
    assert.match(w, word, w);
  for (const w of ['read,', '{', '/etc', '"x"', 'a b']) assert.doesNotMatch(w, word, w);
  const inc = new RegExp(langConfig.indentationRules.increaseIndentPattern);
  const dec = new RegExp(langConfig.indentationRules.decreaseIndentPattern);
  for (const l of ['pod mail-delivery {', '  pea sendmail {', 'pea p { # comment }', 'pea "odd" {'])
    assert.match(l, inc, l);
  for (const l of ['pea p { }', 'path "/srv/odd{1}" read', '# {', '    path /a read']) assert.doesNotMatch(l, inc, l);
  for (const l of ['}', '  }  # end of pod']) assert.match(l, dec, l);
  assert.doesNotMatch('path /a read }', dec);
});

// ---- config.js --------------------------------------------------------------
const config = require('./config.js');
const settingsOf = (values) => ({ get: (key) => values[key] });

test('settings: include dirs, stdrules dir and lint config as absolute paths, null when unset', () => {
  const home = os.homedir();
  assert.deepEqual(config.serverSettings(settingsOf({
    includeDirs: ['rules', '/abs/dir', '~/groups', '${workspaceFolder}/x', '  ', 42],
    stdrulesDir: '~/std',
    lintConfig: 'lint.toml',
  }), '/proj'), {
    includeDirs: ['/proj/rules', '/abs/dir', path.join(home, 'groups'), '/proj/x'],
    stdrulesDir: path.join(home, 'std'),
    lintConfig: '/proj/lint.toml',
  });
  assert.deepEqual(config.serverSettings(settingsOf({}), undefined),
    { includeDirs: [], stdrulesDir: null, lintConfig: null });
  assert.deepEqual(config.serverSettings(settingsOf({ includeDirs: 'not-a-list', stdrulesDir: '' }), '/p'),
    { includeDirs: [], stdrulesDir: null, lintConfig: null });
  // Without a workspace folder a relative path is passed as written.
  assert.equal(config.serverSettings(settingsOf({ lintConfig: 'lint.toml' }), undefined).lintConfig, 'lint.toml');
});

test('the server command: peapodc lsp, the executable from peapod.path', () => {
  assert.deepEqual(config.serverCommand(settingsOf({}), '/proj'), { command: 'peapodc', args: ['lsp'] });
  assert.deepEqual(config.serverCommand(settingsOf({ path: '  ' }), '/proj'), { command: 'peapodc', args: ['lsp'] });
  assert.deepEqual(config.serverCommand(settingsOf({ path: 'build/bin/peapodc' }), '/proj'),
    { command: '/proj/build/bin/peapodc', args: ['lsp'] });
  assert.deepEqual(config.serverCommand(settingsOf({ path: '/opt/peapod/bin/peapodc' }), '/proj'),
    { command: '/opt/peapod/bin/peapodc', args: ['lsp'] });
  assert.equal(config.serverCommand(settingsOf({ path: 'my-peapodc' }), '/proj').command, 'my-peapodc'); // from PATH
});

// ---- extension.js against stand-ins ----------------------------------------
/// A stand-in for the parts of the vscode API and of vscode-languageclient
/// the extension uses, recording what it is asked to do.
function fakeEditor() {
  const state = {
    values: { path: 'peapodc', includeDirs: ['rules'], stdrulesDir: '', lintConfig: '' },
    keysRead: new Set(),
    clients: [],
    commands: {},
    errors: [],
    configListeners: [],
    startFails: false,
  };
  class LanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      Object.assign(this, { id, name, serverOptions, clientOptions, running: false, stopped: false, notifications: [] });
      state.clients.push(this);
    }
    async start() {
      if (state.startFails) throw new Error('spawn peapodc ENOENT');
      this.running = true;
    }
    async stop() { this.running = false; this.stopped = true; }
    isRunning() { return this.running; }
    sendNotification(method, params) { this.notifications.push({ method, params }); }
  }
  const vscode = {
    workspace: {
      workspaceFolders: [{ uri: { fsPath: '/proj' } }],
      getConfiguration: (section) => {
        assert.equal(section, 'peapod');
        return { get: (key) => { state.keysRead.add(key); return state.values[key]; } };
      },
      onDidChangeConfiguration: (cb) => { state.configListeners.push(cb); return { dispose() {} }; },
      onDidChangeWorkspaceFolders: () => ({ dispose() {} }),
    },
    window: {
      createOutputChannel: () => ({ show() {}, dispose() {}, append() {}, appendLine() {} }),
      showErrorMessage: async (msg, ...items) => { state.errors.push({ msg, items }); return undefined; },
    },
    commands: {
      registerCommand: (name, fn) => { state.commands[name] = fn; return { dispose() {} }; },
      executeCommand: async () => {},
    },
  };
  const change = (...keys) => ({ affectsConfiguration: (s) => keys.some((k) => k === s || k.startsWith(`${s}.`)) });
  const fire = async (event) => { for (const cb of state.configListeners) await cb(event); await new Promise((r) => setTimeout(r, 10)); };
  return { state, vscode, languageclient: { LanguageClient }, change, fire };
}

/// extension.js loaded fresh, with `vscode` and the language client
/// replaced by the stand-ins.
function loadExtension(fake) {
  const Module = require('node:module');
  const original = Module._load;
  Module._load = function (request, ...rest) {
    if (request === 'vscode') return fake.vscode;
    if (request === 'vscode-languageclient/node') return fake.languageclient;
    return original.call(this, request, ...rest);
  };
  try {
    const file = require.resolve('./extension.js');
    delete require.cache[file];
    return require(file);
  } finally {
    Module._load = original;
  }
}

const context = () => ({ subscriptions: [] });

test('activation: starts `peapodc lsp` over stdio for peapod documents, with the settings', async () => {
  const fake = fakeEditor();
  const extension = loadExtension(fake);
  const ctx = context();
  await extension.activate(ctx);
  assert.equal(fake.state.clients.length, 1);
  const [client] = fake.state.clients;
  assert.equal(client.id, 'peapod');
  assert.equal(client.serverOptions.command, 'peapodc');
  assert.deepEqual(client.serverOptions.args, ['lsp']);
  // TransportKind.stdio would make the client append --stdio.
  assert.equal(client.serverOptions.transport, undefined);
  assert.equal(client.serverOptions.options.cwd, '/proj');
  assert.deepEqual(client.clientOptions.documentSelector.map((s) => s.language), ['peapod', 'peapod']);
  assert.deepEqual(client.clientOptions.initializationOptions,
    { includeDirs: ['/proj/rules'], stdrulesDir: null, lintConfig: null });
  assert.ok(client.running);
  // Every command the manifest declares is registered, and no other.
  assert.deepEqual(Object.keys(fake.state.commands).sort(),
    manifest.contributes.commands.map((c) => c.command).sort());
  // Every setting read is declared in the manifest.
  for (const key of fake.state.keysRead)
    assert.ok(manifest.contributes.configuration.properties[`peapod.${key}`], `peapod.${key} is not declared`);
  assert.ok(ctx.subscriptions.length >= 4);
  await extension.deactivate();
  assert.ok(client.stopped);
});

test('a settings change is sent with workspace/didChangeConfiguration; a new peapod.path restarts the server', async () => {
  const fake = fakeEditor();
  const extension = loadExtension(fake);
  await extension.activate(context());
  const [first] = fake.state.clients;

  fake.state.values.includeDirs = ['rules', 'more'];
  fake.state.values.lintConfig = 'lint.toml';
  await fake.fire(fake.change('peapod', 'peapod.includeDirs', 'peapod.lintConfig'));
  assert.equal(fake.state.clients.length, 1, 'no restart for server settings');
  assert.deepEqual(first.notifications, [{
    method: 'workspace/didChangeConfiguration',
    params: { settings: { includeDirs: ['/proj/rules', '/proj/more'], stdrulesDir: null, lintConfig: '/proj/lint.toml' } },
  }]);

  await fake.fire(fake.change('editor', 'editor.tabSize'));
  assert.equal(first.notifications.length, 1, 'other extensions\' settings are not sent');

  fake.state.values.path = '/opt/peapod/bin/peapodc';
  await fake.fire(fake.change('peapod', 'peapod.path'));
  assert.ok(first.stopped, 'the old server is stopped');
  assert.equal(fake.state.clients.length, 2);
  assert.equal(fake.state.clients[1].serverOptions.command, '/opt/peapod/bin/peapodc');
  assert.deepEqual(fake.state.clients[1].clientOptions.initializationOptions.includeDirs, ['/proj/rules', '/proj/more']);
  assert.ok(fake.state.clients[1].running);

  await fake.state.commands['peapod.restartServer']();
  assert.equal(fake.state.clients.length, 3);
  assert.ok(fake.state.clients[1].stopped && fake.state.clients[2].running);
  await extension.deactivate();
});

test('a server that cannot start is reported, pointing at peapod.path', async () => {
  const fake = fakeEditor();
  fake.state.startFails = true;
  const extension = loadExtension(fake);
  await extension.activate(context());
  assert.equal(fake.state.errors.length, 1);
  assert.match(fake.state.errors[0].msg, /peapodc lsp.*ENOENT.*peapod\.path/s);
  assert.deepEqual(fake.state.errors[0].items, ['Open Settings', 'Show Output']);
  await extension.deactivate();
});

// ---- vsce package -----------------------------------------------------------
/// The entries of a zip file: name -> contents.
function readZip(file) {
  const zip = readFileSync(file);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'not a zip file');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataAt, dataAt + size);
    entries.set(name, method === 8 ? inflateRawSync(data) : data);
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

test('vsce package: the .vsix holds the manifest, the entry point, the grammar and the language client', () => {
  const vsce = path.join(root, 'editors/node_modules/.bin/vsce');
  assert.ok(existsSync(vsce), `${vsce} is missing: run scripts/setup-deps.sh (npm ci in editors/)`);
  assert.ok(existsSync(path.join(ext, 'node_modules/vscode-languageclient')),
    'editors/vscode/node_modules is missing: run scripts/setup-deps.sh (npm ci in editors/vscode)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'peapod-vsix-'));
  try {
    const vsix = path.join(dir, 'peapod.vsix');
    execFileSync(vsce, ['package', '--skip-license', '--allow-missing-repository', '-o', vsix],
      { cwd: ext, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VSCE_TELEMETRY: 'off' } });
    const entries = readZip(vsix);
    for (const f of ['package.json', 'extension.js', 'config.js', 'language-configuration.json', 'readme.md',
      'node_modules/vscode-languageclient/package.json'])
      assert.ok(entries.has(`extension/${f}`), `extension/${f} is not in the .vsix`);
    // The grammar is packaged as a file (the symlink followed), unchanged.
    assert.deepEqual(JSON.parse(entries.get('extension/syntaxes/peapod.tmLanguage.json').toString('utf8')), grammar);
    assert.ok(entries.has('extension.vsixmanifest'));
    for (const name of entries.keys()) assert.doesNotMatch(name, /\.map$|\.d\.ts$/, `${name} should be ignored`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
