// The highlighting categories the editor tests compare: what a token is, as
// the reference parser (reference.mjs), the TextMate grammar and the Vim
// syntax file each say it.

/// TextMate: the innermost scope that says what the token is (a string's or
/// comment's own punctuation belongs to the string or comment).
const TEXTMATE = [
  [/^invalid\./, 'error'],
  [/^storage\.type\.(pod|pea)\./, 'decl'],
  [/^keyword\./, 'keyword'],
  [/^entity\.name\.namespace\.pod\./, 'pod-name'],
  [/^entity\.name\.type\.pea\./, 'pea-name'],
  [/^string\.(unquoted|quoted\.double)\.path\./, 'path'],
  [/^string\.quoted\.double\.include\./, 'include'],
  [/^string\.quoted\.double\.peapod$/, 'string'],
  [/^constant\.character\.escape\./, 'escape'],
  [/^constant\.language\.access\.(read|write|execute)\./, 'access'],
  [/^constant\.language\.(access|network)\.(allow|deny)\./, 'allow-deny'],
  [/^variable\.language\.global\./, 'global'],
  [/^constant\.other\.netspec\./, 'netspec'],
  [/^comment\./, 'comment'],
  [/^punctuation\.(section\.block|separator\.comma)\./, 'punct'],
];
// Scopes that take the category of the scope around them.
const TRANSPARENT = /^(punctuation\.definition\.(string|comment)|support\.type\.protocol|constant\.numeric\.integer\.port|punctuation\.separator\.(port|range))\./;

export function textmateCategory(scopes) {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const s = scopes[i];
    // A scope name may hold several scopes ("a b"): the last is innermost.
    const parts = s.split(' ').reverse();
    for (const part of parts) {
      for (const [re, cat] of TEXTMATE) if (re.test(part)) return cat;
      if (!TRANSPARENT.test(part) && !/^(meta\.|source\.)/.test(part)) return `unknown:${part}`;
    }
  }
  return 'none';
}

const VIM = {
  peapodPodKw: 'decl', peapodPeaKw: 'decl',
  peapodPathKw: 'keyword', peapodTransitionKw: 'keyword', peapodNamespaceKw: 'keyword',
  peapodNetKw: 'keyword', peapodIncludeKw: 'keyword',
  peapodPodName: 'pod-name', peapodPeaName: 'pea-name', peapodPeaRef: 'pea-name',
  peapodPath: 'path', peapodPathString: 'path', peapodTransPath: 'path', peapodTransString: 'path',
  peapodStrayPath: 'path', peapodIncludeName: 'include', peapodString: 'string',
  peapodEscape: 'escape', peapodPerm: 'access',
  peapodAllow: 'allow-deny', peapodDeny: 'allow-deny', peapodNetAllow: 'allow-deny', peapodNetDeny: 'allow-deny',
  peapodGlobal: 'global', peapodNetSpec: 'netspec', peapodProtocol: 'netspec',
  peapodBrace: 'punct', peapodComma: 'punct', peapodAccessComma: 'punct', peapodNetComma: 'punct',
  peapodBadEscape: 'error', peapodRelativePath: 'error', peapodTransRelative: 'error', peapodBadProtocol: 'error',
  peapodBadPort: 'error', peapodReservedName: 'error', peapodError: 'error',
  peapodStrayOpen: 'error', peapodStrayClose: 'error',
  peapodWord: 'none', peapodPeaBlock: 'none', peapodPodBlock: 'none', '': 'none',
};

export function vimCategory(group) {
  if (/^peapod(Comment|Todo)/.test(group)) return 'comment';
  return VIM[group] ?? `unknown:${group}`;
}
