// How the extension's settings (package.json, "peapod.*") become the language
// server's command line and its configuration. Kept apart from extension.js,
// and free of the vscode module, so tests/editors can check it with plain
// Node. `settings` is anything with get(key), such as
// vscode.workspace.getConfiguration('peapod'); `folder` is the first
// workspace folder's path, or undefined.
'use strict';

const os = require('os');
const path = require('path');

/// `~` and `${workspaceFolder}` expanded; '' for an unset or blank value.
function expand(value, folder) {
  if (typeof value !== 'string') return '';
  let v = value.trim();
  if (!v) return '';
  if (folder) v = v.replace(/\$\{workspaceFolder\}/g, folder);
  if (v === '~') return os.homedir();
  if (v.startsWith('~/')) return path.join(os.homedir(), v.slice(2));
  return v;
}

/// A file or directory setting as an absolute path (relative ones are taken
/// from the workspace folder), or null when unset: null tells the server to
/// use its default.
function resolvePath(value, folder) {
  const v = expand(value, folder);
  if (!v) return null;
  return path.isAbsolute(v) || !folder ? v : path.resolve(folder, v);
}

/// What the server reads, both as initializationOptions and as the settings
/// of workspace/didChangeConfiguration (docs/editors.md, "The server's
/// settings").
function serverSettings(settings, folder) {
  const dirs = settings.get('includeDirs');
  return {
    includeDirs: (Array.isArray(dirs) ? dirs : [])
      .map((d) => resolvePath(d, folder))
      .filter((d) => d !== null),
    stdrulesDir: resolvePath(settings.get('stdrulesDir'), folder),
    lintConfig: resolvePath(settings.get('lintConfig'), folder),
  };
}

/// The server process: `peapodc lsp`, speaking LSP on stdin and stdout. A
/// bare name is looked up in PATH; a relative path with a slash is taken from
/// the workspace folder.
function serverCommand(settings, folder) {
  const exe = expand(settings.get('path'), folder) || 'peapodc';
  const command = exe.includes('/') && !path.isAbsolute(exe) && folder
    ? path.resolve(folder, exe) : exe;
  return { command, args: ['lsp'] };
}

module.exports = { serverSettings, serverCommand, resolvePath };
