// Tokenises PeaPod source with the grammar in this folder, through the same
// engine VS Code uses (vscode-textmate on vscode-oniguruma). A library for
// tests/editors and, run directly, a tool that prints each token with its
// scopes:
//
//   node editors/textmate/tokenizer.mjs FILE...
//
// Needs editors/node_modules (scripts/setup-deps.sh runs `npm ci` there).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const editorsDir = path.dirname(here);
export const grammarFile = path.join(here, 'peapod.tmLanguage.json');
const require = createRequire(path.join(editorsDir, 'package.json'));

/// Throws with what to do when the npm packages are not installed.
function load(name) {
  try {
    return require(name);
  } catch (err) {
    throw new Error(`cannot load ${name} from ${editorsDir}/node_modules (${err.code || err.message}); ` +
      'run scripts/setup-deps.sh, or `npm ci` in editors/');
  }
}

/// The grammar, loaded by a vscode-textmate Registry.
export async function loadGrammar(file = grammarFile) {
  const oniguruma = load('vscode-oniguruma');
  const textmate = load('vscode-textmate');
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => scopeName === 'source.peapod'
      ? textmate.parseRawGrammar(readFileSync(file, 'utf8'), file) : null,
  });
  const grammar = await registry.loadGrammar('source.peapod');
  return { grammar, INITIAL: textmate.INITIAL };
}

/// Lines of tokens: [{ line, column, text, scopes }], line and column 1-based.
/// Lines end at \n, \r\n or a lone \r, as in the compiler.
export function tokenize({ grammar, INITIAL }, text) {
  const lines = text.split(/\r\n|\r|\n/);
  const out = [];
  let state = INITIAL;
  lines.forEach((lineText, i) => {
    const r = grammar.tokenizeLine(lineText, state);
    const tokens = r.tokens.map((t, k) => {
      const end = k + 1 < r.tokens.length ? r.tokens[k + 1].startIndex : lineText.length;
      return { line: i + 1, column: t.startIndex + 1, text: lineText.slice(t.startIndex, end), scopes: t.scopes };
    }).filter((t) => t.text.length > 0);
    out.push(tokens);
    state = r.ruleStack;
  });
  return out;
}

/// The innermost scope of a token, without the grammar's own `source.peapod`.
export function innermost(token) {
  return token.scopes[token.scopes.length - 1];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = process.argv.slice(2);
  if (!files.length) {
    console.error('usage: node editors/textmate/tokenizer.mjs FILE...');
    process.exit(2);
  }
  const g = await loadGrammar();
  for (const f of files) {
    for (const line of tokenize(g, readFileSync(f, 'utf8')))
      for (const t of line)
        if (t.text.trim())
          console.log(`${f}:${t.line}:${t.column}\t${JSON.stringify(t.text)}\t${t.scopes.slice(1).join(' ')}`);
  }
}
