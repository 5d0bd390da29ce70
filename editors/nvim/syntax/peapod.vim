" Vim syntax file for the PeaPod policy language (grammar/PeaPod.g4,
" docs/language.md): regex highlighting for Vim and Neovim without
" tree-sitter. The language server's semantic tokens refine it where the
" client uses them.
"
" Keywords are keywords only where the parser expects one: each rule is a
" chain of `nextgroup`s (keyword, path, access, comma, access, ...), so
" `pea read { }` names a pea `read` and `transition /usr/bin/bind bind`
" targets a pea `bind`. A comment may sit between the tokens of a rule
" (`path /etc/motd # note` NEWLINE `read`): each link of a chain has its own
" comment group that leads on to the same next link.
if exists('b:current_syntax')
  finish
endif
let s:cpo_save = &cpo
set cpo&vim

syn case match
" Names are [A-Za-z_][A-Za-z0-9_.-]*: \< and \> see `dir-default` and
" `php5.6` as one word.
syn iskeyword 45,46,48-57,65-90,95,97-122

" Tokens out of place, consumed whole so that no keyword is found inside a
" word or a path. Defined first: later definitions win at the same column.
syn match peapodWord /\h[A-Za-z0-9_.-]*/
syn match peapodStrayPath /\/[^ \t,{}#"]*/
syn region peapodString start=/"/ skip=/\\./ end=/"\|$/ oneline contains=peapodEscape,peapodBadEscape
syn match peapodError /[^ \t\fA-Za-z_\/"#{},]\+/
syn match peapodComma /,/

syn keyword peapodTodo contained TODO FIXME XXX NOTE
syn match peapodComment /#.*$/ contains=peapodTodo,@Spell

syn match peapodEscape /\\["\\]/ contained
syn match peapodBadEscape /\\[^"\\]/ contained

" chain comment: a comment inside a rule, followed by the rule's next link.
function! s:ChainComment(name, next) abort
  execute 'syn match peapodComment' . a:name . ' /#.*$/ contained contains=peapodTodo,@Spell'
        \ . ' nextgroup=' . a:next . ',peapodComment' . a:name . ' skipwhite skipnl skipempty'
  execute 'hi def link peapodComment' . a:name . ' peapodComment'
  return a:next . ',peapodComment' . a:name
endfunction

let s:skip = ' skipwhite skipnl skipempty'
let s:name = '/\%(\a\+\/\d\)\@!\h[A-Za-z0-9_.-]*/'

" ---- path / dir-default PATH ACCESS ---------------------------------------
let s:access = s:ChainComment('Access', 'peapodPerm,peapodAllow,peapodDeny')
let s:accessNext = s:ChainComment('AccessNext', 'peapodAccessComma')
execute 'syn match peapodPerm /\<\%(read\|write\|execute\)\>\%(\/\d\)\@!/ contained nextgroup=' . s:accessNext . s:skip
execute 'syn match peapodAllow /\<allow\>\%(\/\d\)\@!/ contained nextgroup=' . s:accessNext . s:skip
execute 'syn match peapodDeny /\<deny\>\%(\/\d\)\@!/ contained nextgroup=' . s:accessNext . s:skip
execute 'syn match peapodAccessComma /,/ contained nextgroup=' . s:access . s:skip

let s:target = s:ChainComment('Target', 'peapodPath,peapodPathString,peapodRelativePath')
execute 'syn match peapodPath /\/[^ \t,{}#"]*/ contained nextgroup=' . s:access . s:skip
execute 'syn region peapodPathString start=/"/ skip=/\\./ end=/"\|$/ oneline contained'
      \ . ' contains=peapodEscape,peapodBadEscape nextgroup=' . s:access . s:skip
" etc/passwd, ./x: a relative path (E101).
execute 'syn match peapodRelativePath /[^ \t,{}#"\/]\+\/[^ \t,{}#"]*/ contained nextgroup=' . s:access . s:skip
execute 'syn match peapodPathKw /\<\%(path\>\%(\/\d\)\@!\|dir-default\>\)/ nextgroup=' . s:target . s:skip

" ---- transition PATH PEA ----------------------------------------------------
let s:peaRef = s:ChainComment('PeaRef', 'peapodPeaRef')
execute 'syn match peapodPeaRef ' . s:name . ' contained'
execute 'syn match peapodTransPath /\/[^ \t,{}#"]*/ contained nextgroup=' . s:peaRef . s:skip
execute 'syn region peapodTransString start=/"/ skip=/\\./ end=/"\|$/ oneline contained'
      \ . ' contains=peapodEscape,peapodBadEscape nextgroup=' . s:peaRef . s:skip
execute 'syn match peapodTransRelative /[^ \t,{}#"\/]\+\/[^ \t,{}#"]*/ contained nextgroup=' . s:peaRef . s:skip
let s:transTarget = s:ChainComment('TransTarget', 'peapodTransPath,peapodTransString,peapodTransRelative')
execute 'syn match peapodTransitionKw /\<transition\>\%(\/\d\)\@!/ nextgroup=' . s:transTarget . s:skip

" ---- namespace global | namespace PEA ---------------------------------------
syn match peapodGlobal /\<global\>\%(\/\d\)\@!/ contained
let s:nsTarget = s:ChainComment('NsTarget', 'peapodGlobal,peapodPeaRef')
execute 'syn match peapodNamespaceKw /\<namespace\>\%(\/\d\)\@!/ nextgroup=' . s:nsTarget . s:skip

" ---- outgoing / bind NET ----------------------------------------------------
let s:netNext = s:ChainComment('NetNext', 'peapodNetComma')
" tcp/25, udp/8000-8080; another protocol (E202) or port 0 or above 65535
" (E203) is marked.
execute 'syn match peapodNetSpec /\a\+\/\d\+\%(-\d\+\)\=/ contained contains=peapodProtocol,peapodBadProtocol,peapodBadPort'
      \ . ' nextgroup=' . s:netNext . s:skip
syn match peapodBadProtocol /\<\a\+\ze\// contained
syn match peapodProtocol /\<\%(tcp\|udp\)\ze\// contained
syn match peapodBadPort /[\/-]\zs0*\%(0\|6553[6-9]\|655[4-9]\d\|65[6-9]\d\d\|6[6-9]\d\{3}\|[7-9]\d\{4}\|[1-9]\d\{5,}\)\d\@!/ contained
" The allow/deny of a network rule also lead on to a comma.
execute 'syn match peapodNetAllow /\<allow\>\%(\/\d\)\@!/ contained nextgroup=' . s:netNext . s:skip
execute 'syn match peapodNetDeny /\<deny\>\%(\/\d\)\@!/ contained nextgroup=' . s:netNext . s:skip
let s:net = s:ChainComment('Net', 'peapodNetSpec,peapodNetAllow,peapodNetDeny')
execute 'syn match peapodNetComma /,/ contained nextgroup=' . s:net . s:skip
execute 'syn match peapodNetKw /\<\%(outgoing\|bind\)\>\%(\/\d\)\@!/ nextgroup=' . s:net . s:skip

" ---- include "NAME" ---------------------------------------------------------
syn region peapodIncludeName start=/"/ skip=/\\./ end=/"\|$/ oneline contained contains=peapodEscape,peapodBadEscape
let s:incName = s:ChainComment('IncName', 'peapodIncludeName')
execute 'syn match peapodIncludeKw /\<include\>\%(\/\d\)\@!/ nextgroup=' . s:incName . s:skip

syn cluster peapodRules contains=peapodPathKw,peapodTransitionKw,peapodNamespaceKw,peapodNetKw,peapodIncludeKw
syn cluster peapodStray contains=peapodWord,peapodStrayPath,peapodString,peapodError,peapodComma,peapodComment

" ---- pod NAME { pea... } and pea NAME { rule... } ----------------------------
" `global` is reserved (E304).
syn region peapodPeaBlock matchgroup=peapodBrace start=/{/ end=/}/ contained fold
      \ contains=@peapodRules,@peapodStray,peapodStrayOpen
syn region peapodPodBlock matchgroup=peapodBrace start=/{/ end=/}/ contained fold
      \ contains=peapodPeaKw,@peapodRules,@peapodStray,peapodStrayOpen
let s:peaBody = s:ChainComment('PeaBody', 'peapodPeaBlock')
let s:podBody = s:ChainComment('PodBody', 'peapodPodBlock')
execute 'syn match peapodPeaName ' . s:name . ' contained nextgroup=' . s:peaBody . s:skip
execute 'syn match peapodPodName ' . s:name . ' contained nextgroup=' . s:podBody . s:skip
execute 'syn match peapodReservedName /\<global\>\%(\/\d\)\@!/ contained nextgroup=' . s:peaBody . ',' . s:podBody . s:skip
let s:peaName = s:ChainComment('PeaName', 'peapodReservedName,peapodPeaName,peapodPeaBlock')
let s:podName = s:ChainComment('PodName', 'peapodReservedName,peapodPodName,peapodPodBlock')
execute 'syn match peapodPeaKw /\<pea\>\%(\/\d\)\@!/ nextgroup=' . s:peaName . s:skip
execute 'syn match peapodPodKw /\<pod\>\%(\/\d\)\@!/ nextgroup=' . s:podName . s:skip
syn match peapodStrayOpen /{/ contained
syn match peapodStrayClose /}/

syn sync fromstart

hi def link peapodComment       Comment
hi def link peapodTodo          Todo
hi def link peapodPodKw         Structure
hi def link peapodPeaKw         Structure
hi def link peapodPodName       Identifier
hi def link peapodPeaName       Type
hi def link peapodPeaRef        Type
hi def link peapodReservedName  Error
hi def link peapodPathKw        Keyword
hi def link peapodTransitionKw  Keyword
hi def link peapodNamespaceKw   Keyword
hi def link peapodNetKw         Keyword
hi def link peapodIncludeKw     Include
hi def link peapodPath          String
hi def link peapodPathString    String
hi def link peapodTransPath     String
hi def link peapodTransString   String
hi def link peapodStrayPath     String
hi def link peapodString        String
hi def link peapodIncludeName   String
hi def link peapodEscape        SpecialChar
hi def link peapodBadEscape     Error
hi def link peapodRelativePath  Error
hi def link peapodTransRelative Error
hi def link peapodPerm          Constant
hi def link peapodAllow         Boolean
hi def link peapodDeny          Boolean
hi def link peapodNetAllow      Boolean
hi def link peapodNetDeny       Boolean
hi def link peapodGlobal        Special
hi def link peapodNetSpec       Number
hi def link peapodProtocol      Type
hi def link peapodBadProtocol   Error
hi def link peapodBadPort       Error
hi def link peapodBrace         Delimiter
hi def link peapodComma         Delimiter
hi def link peapodAccessComma   Delimiter
hi def link peapodNetComma      Delimiter
hi def link peapodError         Error
hi def link peapodStrayOpen     Error
hi def link peapodStrayClose    Error

let b:current_syntax = 'peapod'
let &cpo = s:cpo_save
unlet s:cpo_save
