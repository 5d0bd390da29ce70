" PeaPod: a line is indented one level per `{` left open above it; a line
" that starts with `}` closes its level. Braces inside quoted paths and
" comments do not count.
if exists('b:did_indent')
  finish
endif
let b:did_indent = 1

setlocal indentexpr=PeapodIndent() indentkeys=0{,0},0#,!^F,o,O
setlocal autoindent nosmartindent nocindent
let b:undo_indent = 'setlocal indentexpr< indentkeys< autoindent< smartindent< cindent<'

if exists('*PeapodIndent')
  finish
endif

" [opened, closed] braces of a line, quoted strings and comments removed.
function! s:Braces(line) abort
  let l:code = substitute(a:line, '"\%(\\.\|[^"\\]\)*"\=', '""', 'g')
  let l:code = substitute(l:code, '#.*$', '', '')
  return [len(substitute(l:code, '[^{]', '', 'g')), len(substitute(l:code, '[^}]', '', 'g'))]
endfunction

function! PeapodIndent() abort
  let l:prev = prevnonblank(v:lnum - 1)
  if l:prev == 0
    return 0
  endif
  let [l:open, l:close] = s:Braces(getline(l:prev))
  " A leading `}` already dedented the previous line itself.
  if getline(l:prev) =~# '^\s*}'
    let l:close -= 1
  endif
  let l:indent = indent(l:prev) + shiftwidth() * (l:open - l:close)
  if getline(v:lnum) =~# '^\s*}'
    let l:indent -= shiftwidth()
  endif
  return max([l:indent, 0])
endfunction
