// The PeaPod extension: runs `peapodc lsp` as the language server of every
// `peapod` document (.pea policies, .rules rule groups) over stdio. All
// language features come from the server; this file only starts it, passes
// it the settings, and restarts it when the executable changes.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');
const { serverCommand, serverSettings } = require('./config');

const SECTION = 'peapod';
let client;
let output;

function workspaceFolder() {
  const folders = vscode.workspace.workspaceFolders;
  return folders && folders.length ? folders[0].uri.fsPath : undefined;
}

function currentSettings() {
  return serverSettings(vscode.workspace.getConfiguration(SECTION), workspaceFolder());
}

function createClient() {
  const folder = workspaceFolder();
  const { command, args } = serverCommand(vscode.workspace.getConfiguration(SECTION), folder);
  // No `transport`: with TransportKind.stdio the client would append --stdio.
  const serverOptions = { command, args, options: folder ? { cwd: folder } : {} };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'peapod' },
      { scheme: 'untitled', language: 'peapod' },
    ],
    initializationOptions: currentSettings(),
    outputChannel: output,
  };
  return new LanguageClient('peapod', 'PeaPod', serverOptions, clientOptions);
}

async function startClient() {
  client = createClient();
  try {
    await client.start();
  } catch (err) {
    const { command } = serverCommand(vscode.workspace.getConfiguration(SECTION), workspaceFolder());
    const choice = await vscode.window.showErrorMessage(
      `PeaPod: could not start the language server \`${command} lsp\`: ${err && err.message ? err.message : err}. ` +
      'Set "peapod.path" to the peapodc executable.',
      'Open Settings', 'Show Output');
    if (choice === 'Open Settings')
      vscode.commands.executeCommand('workbench.action.openSettings', 'peapod.path');
    else if (choice === 'Show Output')
      output.show(true);
  }
}

async function stopClient() {
  const old = client;
  client = undefined;
  if (old && old.isRunning()) await old.stop();
}

async function restartClient() {
  await stopClient();
  await startClient();
}

/// Settings the server reads are sent with workspace/didChangeConfiguration;
/// a new executable needs a new server process.
function onConfigurationChanged(event) {
  if (!event.affectsConfiguration(SECTION)) return;
  if (event.affectsConfiguration(`${SECTION}.path`)) {
    restartClient();
    return;
  }
  sendSettings();
}

function sendSettings() {
  if (client && client.isRunning())
    client.sendNotification('workspace/didChangeConfiguration', { settings: currentSettings() });
}

async function activate(context) {
  output = vscode.window.createOutputChannel('PeaPod');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('peapod.restartServer', restartClient),
    vscode.commands.registerCommand('peapod.showOutput', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
    vscode.workspace.onDidChangeWorkspaceFolders(sendSettings));
  await startClient();
}

function deactivate() {
  return stopClient();
}

module.exports = { activate, deactivate };
