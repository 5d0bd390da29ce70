// Random valid policies and rule groups for the editor tests: every
// construct of the language, pea and pod names that are keywords, paths made
// of keywords and odd characters, quoted paths with escapes and `#`,
// comments between any two tokens, and tokens written without the spaces the
// lexer does not need (`path/etc`, `read,write`, `"/a"read`, `x{`).

/// A small deterministic PRNG (mulberry32), so a failure names its seed.
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (xs) => xs[int(xs.length)];
  return { next, int, pick, chance: (p) => next() < p };
}

const KEYWORD_NAMES = ['pod', 'pea', 'path', 'dir-default', 'transition', 'outgoing', 'bind',
  'namespace', 'include', 'read', 'write', 'execute', 'allow', 'deny'];
const NAMES = ['sendmail', 'procmail', 'mail-delivery', 'php5.6', '_x', 'fileLISTER', 'a.b-c', 'globalx',
  'tcpx', ...KEYWORD_NAMES];
const COMPONENTS = ['usr', 'bin', 'bind', 'read', 'pea', 'pod', 'etc', 'lib', 'x86_64-linux-gnu',
  'libstdc++.so.6', 'a.b', 'tcp', '25', 'é', 'with@at', 'semi;colon', "it's", 'dir-default', '(x)', '%'];

function unquotedPath(r) {
  if (r.chance(0.05)) return '/';
  const n = 1 + r.int(4);
  let p = '';
  for (let i = 0; i < n; i++) p += `/${r.pick(COMPONENTS)}`;
  return r.chance(0.1) ? `${p}/` : p;
}

function quotedPath(r) {
  const odd = ['My Documents', 'odd,name{1}', 'hash#tag', 'q\\"uote', 'back\\\\slash', 'sp ace', '}{', 'a#b "c"'];
  const parts = [unquotedPath(r), `/${r.pick(odd).replace(/"/g, '\\"').replace(/\\\\"/g, '\\"')}`];
  let body = r.chance(0.5) ? parts.join('') : parts[1];
  body = body.replace(/\\\\\\"/g, '\\"');
  return `"${body}"`;
}

const path = (r) => (r.chance(0.3) ? quotedPath(r) : unquotedPath(r));

function accessList(r) {
  if (r.chance(0.3)) return [r.pick(['allow', 'deny'])];
  const perms = ['read', 'write', 'execute'].filter(() => r.chance(0.6));
  if (!perms.length) perms.push('read');
  perms.sort(() => r.next() - 0.5);
  return perms.flatMap((p, i) => (i ? [',', p] : [p]));
}

function netList(r) {
  if (r.chance(0.3)) return [r.pick(['allow', 'deny'])];
  const n = 1 + r.int(3);
  const specs = [];
  for (let i = 0; i < n; i++) {
    const low = 1 + r.int(65535);
    const spec = `${r.pick(['tcp', 'udp'])}/${low}`;
    specs.push(r.chance(0.3) ? `${spec}-${low + r.int(65536 - low)}` : spec);
  }
  return specs.flatMap((s, i) => (i ? [',', s] : [s]));
}

function rule(r, peas) {
  switch (r.int(7)) {
    case 0: return ['path', path(r), ...accessList(r)];
    case 1: return ['dir-default', path(r), ...accessList(r)];
    case 2: return ['transition', path(r), r.pick(peas)];
    case 3: return ['outgoing', ...netList(r)];
    case 4: return ['bind', ...netList(r)];
    case 5: return ['namespace', r.chance(0.3) ? 'global' : r.pick(peas)];
    default: return ['include', `"${r.pick(['stdlibs', 'net/dns', 'a.b-c', 'read'])}"`];
  }
}

/// Tokens of a random policy (pods of peas) or rule group (bare rules).
function tokens(r, ruleGroup) {
  const out = [];
  if (ruleGroup) {
    const peas = NAMES;
    for (let i = r.int(12); i > 0; i--) out.push(...rule(r, peas));
    return out;
  }
  for (let p = 1 + r.int(2); p > 0; p--) {
    const peas = [...new Set(Array.from({ length: 1 + r.int(4) }, () => r.pick(NAMES)))];
    out.push('pod', r.pick(NAMES), '{');
    for (const pea of peas) {
      out.push('pea', pea, '{');
      for (let i = r.int(6); i > 0; i--) out.push(...rule(r, peas));
      out.push('}');
    }
    out.push('}');
  }
  return out;
}

const wordEnd = /[A-Za-z0-9_.\-]$/;
const wordStart = /^[A-Za-z0-9_.\-]/;

/// May `next` follow `prev` with nothing between them, lexing the same?
function canTouch(prev, next) {
  if (wordEnd.test(prev) && wordStart.test(next)) return false;
  if (prev.startsWith('/') && !/^[,{}#"]/.test(next)) return false; // an unquoted path goes on
  if (/^[A-Za-z]+$/.test(prev) && /^\/[0-9]/.test(next)) return false; // would be a NETSPEC
  if (/^[A-Za-z]+\/[0-9]/.test(prev) && /^[0-9-]/.test(next)) return false;
  return true;
}

export function randomPolicy(seed, ruleGroup = false) {
  const r = rng(seed);
  const toks = tokens(r, ruleGroup);
  const comments = ['# a comment', '# path /etc read', '#pod pea { "', '#', '# "quoted # text"'];
  let text = r.chance(0.3) ? `${r.pick(comments)}\n` : '';
  toks.forEach((t, i) => {
    text += t;
    const next = toks[i + 1];
    if (next === undefined) return;
    const roll = r.next();
    if (roll < 0.1) text += ` ${r.pick(comments)}\n${r.chance(0.5) ? '  ' : ''}`;
    else if (roll < 0.25 && canTouch(t, next)) text += '';
    else if (roll < 0.4) text += r.pick(['\n', '\n\n    ', '\t', '\r\n  ']);
    else text += r.pick([' ', '  ', ' ']);
  });
  return `${text}\n`;
}
