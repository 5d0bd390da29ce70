" PeaPod policies (*.pea) and rule groups (*.rules).
"
" *.rules is also udev's, polkit's, ufw's and Snort's (Vim calls the last
" "hog"), which Vim's own filetype.vim has detected by the time this runs: a
" *.rules file becomes peapod unless it is one of those by its path, and
" provided it is empty or its first line that is not blank or a comment
" starts with a PeaPod keyword.
autocmd BufRead,BufNewFile *.pea setfiletype peapod
autocmd BufRead,BufNewFile *.rules call s:PeapodRules()

function! s:PeapodRules() abort
  if &filetype !=# '' && &filetype !=# 'hog' && &filetype !=# 'conf'
    return
  endif
  let l:path = expand('<afile>:p')
  if l:path =~# '/udev/\|/polkit-1/\|^/etc/ufw/'
    return
  endif
  for l:line in getline(1, min([line('$'), 200]))
    if l:line =~# '^\s*\%(#.*\)\=$'
      continue
    endif
    if l:line =~# '^\s*\%(path\|dir-default\|transition\|outgoing\|bind\|namespace\|include\|pod\|pea\)\%([^A-Za-z0-9_.-]\|$\)'
      setlocal filetype=peapod
    endif
    return
  endfor
  setlocal filetype=peapod
endfunction
