" PeaPod: comments start with #; names contain - and . (mail-delivery,
" dir-default, php5.6); the canonical style (peapodc fmt) indents by two
" spaces.
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

setlocal commentstring=#\ %s comments=:#
setlocal formatoptions-=t formatoptions+=croql
setlocal iskeyword+=-,.
setlocal shiftwidth=2 softtabstop=2 expandtab

let b:undo_ftplugin = 'setlocal commentstring< comments< formatoptions< iskeyword< shiftwidth< softtabstop< expandtab<'
