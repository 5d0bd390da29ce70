// A second, independent reading of grammar/PeaPod.g4 for the editor tests:
// a lexer (the g4's lexer rules, as compiler/lib/Lexer.cpp implements them)
// and the parser's LL(1) walk, which gives every token of a valid policy or
// rule group its role. The highlighters (TextMate grammar, Vim syntax) must
// give each token the category of its role.
const KEYWORDS = new Set(['pod', 'pea', 'path', 'dir-default', 'transition', 'outgoing', 'bind',
  'namespace', 'include', 'read', 'write', 'execute', 'allow', 'deny']);
const isNameStart = (c) => /[A-Za-z_]/.test(c);
const isNameChar = (c) => /[A-Za-z0-9_.\-]/.test(c);
const endsPath = (c) => ' \t\r\n,{}#"'.includes(c);

/// Tokens {type, start, end, text}; type is a keyword itself, or NAME, PATH,
/// STRING, NETSPEC, COMMENT, '{', '}', ',', UNKNOWN.
export function lex(text) {
  const tokens = [];
  let i = 0;
  const push = (type, end) => { tokens.push({ type, start: i, end, text: text.slice(i, end) }); i = end; };
  while (i < text.length) {
    const c = text[i];
    if (' \t\r\n\f'.includes(c)) { i++; continue; }
    if (c === '#') { let e = i; while (e < text.length && text[e] !== '\n' && text[e] !== '\r') e++; push('COMMENT', e); continue; }
    if ('{},'.includes(c)) { push(c, i + 1); continue; }
    if (c === '/') { let e = i + 1; while (e < text.length && !endsPath(text[e])) e++; push('PATH', e); continue; }
    if (c === '"') {
      let e = i + 1;
      for (;;) {
        if (e >= text.length || text[e] === '\n' || text[e] === '\r') break;
        if (text[e] === '"') { e++; break; }
        if (text[e] === '\\' && e + 1 < text.length) { e += 2; continue; }
        if (text[e] === '\\') break;
        e++;
      }
      push('STRING', e);
      continue;
    }
    if (isNameStart(c)) {
      let w = i + 1;
      while (w < text.length && isNameChar(text[w])) w++;
      const net = /^[A-Za-z]+\/[0-9]+(?:-[0-9]+)?/.exec(text.slice(i, i + 64));
      if (net && net[0].length > w - i) { push('NETSPEC', i + net[0].length); continue; }
      const word = text.slice(i, w);
      push(KEYWORDS.has(word) ? word : 'NAME', w);
      continue;
    }
    push('UNKNOWN', i + 1);
  }
  return tokens;
}

const RULE_KEYWORDS = new Set(['path', 'dir-default', 'transition', 'outgoing', 'bind', 'namespace', 'include']);
const isName = (t) => t && (t.type === 'NAME' || KEYWORDS.has(t.type));

/// The role of each token of a valid file: decl (pod, pea), keyword (rule
/// keywords), pod-name, pea-name (declared or referenced), path, include,
/// access (read, write, execute), allow-deny, netspec, global, comment,
/// punct. Throws on a syntax error: the tests feed it valid input only.
export function roles(text) {
  const all = lex(text);
  const out = all.map((t) => ({ ...t, role: t.type === 'COMMENT' ? 'comment' : null }));
  const toks = out.filter((t) => t.type !== 'COMMENT');
  let k = 0;
  const peek = () => toks[k];
  const fail = (what) => { const t = peek(); throw new Error(`reference parser: expected ${what} at offset ${t ? t.start : 'EOF'} (${t ? t.text : 'EOF'})`); };
  const take = (role, ok) => { const t = peek(); if (!t || !ok(t)) fail(role); t.role = role; k++; return t; };
  const list = (role, ok) => {
    take(role(peek()), ok);
    while (peek() && peek().type === ',') { take('punct', () => true); take(role(peek()), ok); }
  };
  const accessRole = (t) => (t && (t.type === 'allow' || t.type === 'deny') ? 'allow-deny' : 'access');
  const netRole = (t) => (t && t.type === 'NETSPEC' ? 'netspec' : 'allow-deny');
  function rule() {
    const kw = take('keyword', (t) => RULE_KEYWORDS.has(t.type)).type;
    if (kw === 'path' || kw === 'dir-default') {
      take('path', (t) => t.type === 'PATH' || t.type === 'STRING');
      list(accessRole, (t) => ['read', 'write', 'execute', 'allow', 'deny'].includes(t.type));
    } else if (kw === 'transition') {
      take('path', (t) => t.type === 'PATH' || t.type === 'STRING');
      take('pea-name', isName);
    } else if (kw === 'outgoing' || kw === 'bind') {
      list(netRole, (t) => ['NETSPEC', 'allow', 'deny'].includes(t.type));
    } else if (kw === 'namespace') {
      take(peek() && peek().text === 'global' ? 'global' : 'pea-name', isName);
    } else {
      take('include', (t) => t.type === 'STRING');
    }
  }
  function block(body) {
    take('punct', (t) => t.type === '{');
    while (peek() && peek().type !== '}') body();
    take('punct', (t) => t.type === '}');
  }
  function pea() {
    take('decl', (t) => t.type === 'pea');
    take('pea-name', isName);
    block(rule);
  }
  while (peek()) {
    if (peek().type === 'pod') {
      take('decl', () => true);
      take('pod-name', isName);
      block(() => (peek().type === 'pea' ? pea() : rule()));
    } else if (peek().type === 'pea') {
      pea();
    } else {
      rule();
    }
  }
  return out;
}
