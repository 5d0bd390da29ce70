// Generates peapod.tmLanguage.json, the TextMate grammar of the PeaPod policy
// language (grammar/PeaPod.g4, docs/language.md). Edit this file, never the
// JSON: run `node editors/textmate/generate.mjs` and commit both; the test
// tests/editors/grammar.test.mjs fails when they disagree.
//
// How the grammar mirrors the compiler. A TextMate grammar is a stack of
// begin/end regions scanned with regular expressions; at each position the
// earliest match wins. So that no keyword is ever found in the middle of a
// word or a path, every region also holds the "lexical" fallbacks below,
// which consume each token of the lexer (compiler/lib/Lexer.cpp) from its
// first character: paths, strings, network specifications, words, commas and
// stray characters. Tokenising then proceeds token by token exactly as the
// lexer does, and the regions play the parser's part:
//
//   source      pod | pea | rule          (a pea or rule at the top level is
//   pod         'pod' NAME body              highlighted too: rule groups are
//   pea         'pea' NAME body              bare rules, and docs quote peas)
//   rule        one region per rule keyword; it ends where the rule's last
//               token must end (a NAME for transition and namespace, the
//               string for include) or, for path, dir-default, outgoing and
//               bind, just before the next structural keyword or brace.
//
// Keywords are keywords only where the parser expects one: `pea read { }`
// names a pea `read`, `transition /usr/bin/bind bind` targets a pea `bind`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const R = String.raw;

// ---- Lexical pieces (grammar/PeaPod.g4's lexer rules) ----------------------
const NAME_CHAR = R`[A-Za-z0-9_.\-]`;
const NAME = R`[A-Za-z_][A-Za-z0-9_.\-]*`;
/// A NETSPEC starts here: the lexer takes the longest token, so `bind/25`
/// is one NETSPEC, not the keyword bind.
const AT_NETSPEC = R`[A-Za-z]+/[0-9]`;
const PATH_CHAR = R`[^ \t\r\n,{}#"]`;
/// Characters no token starts with (the lexer's UNKNOWN), whitespace aside.
const UNKNOWN = R`[^ \t\r\n\fA-Za-z_/"#{},]`;
const PORT = R`0*(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})(?![0-9])`;

/// The keyword `word` as a whole token: not the start of a longer name nor
/// of a network specification.
function kw(word) {
  const netspec = /^[A-Za-z]+$/.test(word) ? R`|/[0-9]` : '';
  return `${word}(?!${NAME_CHAR}${netspec})`;
}

/// The keywords that start a declaration or a rule. A path, dir-default,
/// outgoing or bind rule, whose last token cannot be told from the grammar
/// alone, ends just before one of these (or a brace).
const STRUCTURAL = ['pod', 'pea', 'path', 'dir-default', 'transition',
  'outgoing', 'bind', 'namespace', 'include'];
const RULE_END = `(?=[{}]|${STRUCTURAL.map(kw).join('|')})`;

// ---- Repository -------------------------------------------------------------
const repository = {};

// The comment takes its line's end too, so that a comment ending in `}` or
// `"` cannot satisfy the look-behinds that end a declaration or an include.
repository.comment = {
  match: R`(#)[^\r\n]*\n?`,
  name: 'comment.line.number-sign.peapod',
  captures: { 1: { name: 'punctuation.definition.comment.peapod' } },
};

// Inside quotes `\"` and `\\` are the only escapes (E004 otherwise). A
// backslash at the end of a line escapes the newline, as in the lexer, and
// the string goes on on the next line.
repository['string-escapes'] = {
  patterns: [
    { match: R`\\["\\]`, name: 'constant.character.escape.peapod' },
    { match: R`\\\n`, name: 'invalid.illegal.escape.peapod' },
    { match: R`\\.`, name: 'invalid.illegal.escape.peapod' },
  ],
};

/// A quoted string: `"..."` on one line. One without its closing quote
/// (E002) runs to the end of the line, with its opening quote marked.
function quoted(scope) {
  const body = {
    end: R`(")|$`,
    endCaptures: { 1: { name: 'punctuation.definition.string.end.peapod' } },
    name: scope,
    patterns: [{ include: '#string-escapes' }],
  };
  return {
    patterns: [
      {
        begin: R`(")(?=(?:[^"\\\n]|\\.)*(?:"|\\$))`,
        beginCaptures: { 1: { name: 'punctuation.definition.string.begin.peapod' } },
        ...body,
      },
      {
        begin: R`(")`,
        beginCaptures: {
          1: { name: 'punctuation.definition.string.begin.peapod invalid.illegal.unterminated-string.peapod' },
        },
        ...body,
      },
    ],
  };
}
repository['path-quoted'] = quoted('string.quoted.double.path.peapod');
repository['include-name'] = quoted('string.quoted.double.include.peapod');
repository['string'] = quoted('string.quoted.double.peapod');

repository['path-unquoted'] = {
  match: `/${PATH_CHAR}*`,
  name: 'string.unquoted.path.peapod',
};

/// Where a path is expected, a word that goes on with a `/` (etc/passwd,
/// ./x, tcp/25) is a relative path (E101).
repository['path-relative'] = {
  match: R`[^ \t\r\n\f,{}#"/]+/` + `${PATH_CHAR}*`,
  name: 'invalid.illegal.relative-path.peapod',
};

repository.netspec = {
  match: `(?:(tcp|udp)|([A-Za-z]+))(/)(?:(${PORT})|([0-9]+))(?:(-)(?:(${PORT})|([0-9]+)))?`,
  name: 'constant.other.netspec.peapod',
  captures: {
    1: { name: 'support.type.protocol.peapod' },
    2: { name: 'invalid.illegal.protocol.peapod' },
    3: { name: 'punctuation.separator.port.peapod' },
    4: { name: 'constant.numeric.integer.port.peapod' },
    5: { name: 'invalid.illegal.port.peapod' },
    6: { name: 'punctuation.separator.range.peapod' },
    7: { name: 'constant.numeric.integer.port.peapod' },
    8: { name: 'invalid.illegal.port.peapod' },
  },
};

repository.comma = { match: ',', name: 'punctuation.separator.comma.peapod' };

/// Every token the lexer knows, with its plain lexical scope (a word in no
/// particular position has none), so that scanning never skips into the
/// middle of one. Included last in every region.
repository.lexical = {
  patterns: [
    { include: '#string' },
    { include: '#path-unquoted' },
    { include: '#netspec' },
    { match: NAME },
    { include: '#comma' },
    { match: `${UNKNOWN}+`, name: 'invalid.illegal.character.peapod' },
  ],
};

repository['stray-brace'] = {
  match: '[{}]',
  name: 'invalid.illegal.stray-brace.peapod',
};

// ---- Rules ------------------------------------------------------------------
function words(list, prefix) {
  return list.map((w) => ({ match: kw(w), name: `${prefix}.${w}.peapod` }));
}

/// A rule whose value is a comma-separated list, ending before the next
/// structural keyword or brace: path / dir-default PATH ACCESS and
/// outgoing / bind NET.
function listRule(word, valuePatterns) {
  return {
    begin: `(${kw(word)})`,
    beginCaptures: { 1: { name: `keyword.other.${word}.peapod` } },
    end: RULE_END,
    name: `meta.rule.${word}.peapod`,
    patterns: [
      { include: '#comment' },
      ...valuePatterns,
      { include: '#comma' },
      { include: '#lexical' },
    ],
  };
}
const pathValues = [
  { include: '#path-quoted' },
  { include: '#path-unquoted' },
  { include: '#path-relative' },
  ...words(['read', 'write', 'execute', 'allow', 'deny'], 'constant.language.access'),
];
const netValues = [
  { include: '#netspec' },
  ...words(['allow', 'deny'], 'constant.language.network'),
];
repository['rule-path'] = listRule('path', pathValues);
repository['rule-dir-default'] = listRule('dir-default', pathValues);
repository['rule-outgoing'] = listRule('outgoing', netValues);
repository['rule-bind'] = listRule('bind', netValues);

/// transition PATH PEA: the rule ends with the pea's name (any word, keywords
/// included, that does not go on as a relative path).
repository['rule-transition'] = {
  begin: `(${kw('transition')})`,
  beginCaptures: { 1: { name: 'keyword.other.transition.peapod' } },
  end: `(?=[{}])|(?!${NAME}/)(${NAME})`,
  endCaptures: { 1: { name: 'entity.name.type.pea.peapod' } },
  name: 'meta.rule.transition.peapod',
  patterns: [
    { include: '#comment' },
    { include: '#path-quoted' },
    { include: '#path-unquoted' },
    { include: '#path-relative' },
    { include: '#lexical' },
  ],
};

/// namespace global | namespace PEA
repository['rule-namespace'] = {
  begin: `(${kw('namespace')})`,
  beginCaptures: { 1: { name: 'keyword.other.namespace.peapod' } },
  end: `(?=[{}])|(${kw('global')})|(?!${AT_NETSPEC})(${NAME})`,
  endCaptures: {
    1: { name: 'variable.language.global.peapod' },
    2: { name: 'entity.name.type.pea.peapod' },
  },
  name: 'meta.rule.namespace.peapod',
  patterns: [{ include: '#comment' }, { include: '#lexical' }],
};

/// include "NAME": ends after the string, or at the first token that is not
/// one (so `include stdlibs` leaves `stdlibs` to the pea).
repository['rule-include'] = {
  begin: `(${kw('include')})`,
  beginCaptures: { 1: { name: 'keyword.control.import.include.peapod' } },
  end: R`(?<=")|(?=[^ \t\r\n\f#"])`,
  name: 'meta.rule.include.peapod',
  patterns: [{ include: '#comment' }, { include: '#include-name' }],
};

repository.rules = {
  patterns: ['path', 'dir-default', 'transition', 'outgoing', 'bind', 'namespace', 'include']
    .map((r) => ({ include: `#rule-${r}` })),
};

// ---- Declarations -----------------------------------------------------------
/// pod NAME { ... } and pea NAME { ... }. After the keyword comes the name
/// (keywords included; `global` is reserved, E304), then the body. A `}`
/// before the body ends the declaration, leaving the brace to the enclosing
/// block.
function declaration(word, nameScope, bodyPatterns) {
  const body = {
    begin: R`\{`,
    beginCaptures: { 0: { name: 'punctuation.section.block.begin.peapod' } },
    end: R`\}`,
    endCaptures: { 0: { name: 'punctuation.section.block.end.peapod' } },
    name: `meta.block.${word}.peapod`,
    patterns: bodyPatterns,
  };
  repository[`${word}-body`] = body;
  const end = R`(?<=\})|(?=\})`;
  return {
    begin: `(${kw(word)})`,
    beginCaptures: { 1: { name: `storage.type.${word}.peapod` } },
    end,
    name: `meta.${word}.peapod`,
    patterns: [
      { include: '#comment' },
      {
        begin: `(?:(${kw('global')})|(?!${AT_NETSPEC})(${NAME}))`,
        beginCaptures: {
          1: { name: 'invalid.illegal.reserved-name.peapod' },
          2: { name: nameScope },
        },
        end,
        patterns: [
          { include: '#comment' },
          { include: `#${word}-body` },
          { include: '#lexical' },
        ],
      },
      { include: `#${word}-body` },
      { include: '#lexical' },
    ],
  };
}

repository.pea = declaration('pea', 'entity.name.type.pea.peapod', [
  { include: '#comment' },
  { include: '#rules' },
  { match: R`\{`, name: 'invalid.illegal.stray-brace.peapod' },
  { include: '#lexical' },
]);

// A rule directly in a pod is an error (E306) the parser accepts: highlight
// it as a rule and let the compiler explain.
repository.pod = declaration('pod', 'entity.name.namespace.pod.peapod', [
  { include: '#comment' },
  { include: '#pea' },
  { include: '#rules' },
  { match: R`\{`, name: 'invalid.illegal.stray-brace.peapod' },
  { include: '#lexical' },
]);

export const grammar = {
  name: 'PeaPod',
  scopeName: 'source.peapod',
  fileTypes: ['pea', 'rules'],
  comment: 'Generated by editors/textmate/generate.mjs from grammar/PeaPod.g4 and docs/language.md; do not edit.',
  patterns: [
    { include: '#comment' },
    { include: '#pod' },
    { include: '#pea' },
    { include: '#rules' },
    { include: '#stray-brace' },
    { include: '#lexical' },
  ],
  repository,
};

export const grammarPath = fileURLToPath(new URL('./peapod.tmLanguage.json', import.meta.url));
export const grammarText = `${JSON.stringify(grammar, null, 2)}\n`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(grammarPath, grammarText);
  console.log(`wrote ${grammarPath}`);
}
