-- Run by nvim.test.mjs in `nvim --headless` with editors/nvim on the
-- runtimepath: does what the test asks in $PEAPOD_TEST_IN (a JSON file) and
-- writes what the editor saw to $PEAPOD_TEST_OUT. Every step is guarded so
-- that a failure is reported in the output instead of hanging the editor.
local input = vim.json.decode(table.concat(vim.fn.readfile(os.getenv('PEAPOD_TEST_IN')), '\n'))
local out = { errors = {} }

local function step(name, fn)
  local ok, err = pcall(fn)
  if not ok then
    table.insert(out.errors, name .. ': ' .. tostring(err))
  end
end

local function open(file)
  vim.cmd('silent edit! ' .. vim.fn.fnameescape(file))
  return vim.api.nvim_get_current_buf()
end

-- Filetype detection, by file name and content.
step('filetypes', function()
  out.filetypes = {}
  for _, file in ipairs(input.filetypes) do
    local buf = open(file)
    out.filetypes[file] = vim.bo[buf].filetype
    vim.cmd('silent bwipeout!')
  end
end)

-- The syntax group at each probed position ({line, byte column}, 1-based).
step('syntax', function()
  out.syntax = {}
  for _, probe in ipairs(input.syntax) do
    local buf = open(probe.file)
    local groups = {}
    for _, pos in ipairs(probe.positions) do
      table.insert(groups, vim.fn.synIDattr(vim.fn.synID(pos[1], pos[2], 1), 'name'))
    end
    out.syntax[probe.file] = { filetype = vim.bo[buf].filetype, groups = groups }
    vim.cmd('silent bwipeout!')
  end
end)

-- Buffer options the ftplugin sets.
step('options', function()
  local buf = open(input.filetypes[1])
  out.options = {
    commentstring = vim.bo[buf].commentstring,
    comments = vim.bo[buf].comments,
    iskeyword = vim.bo[buf].iskeyword,
    shiftwidth = vim.bo[buf].shiftwidth,
    expandtab = vim.bo[buf].expandtab,
    indentexpr = vim.bo[buf].indentexpr,
  }
  vim.cmd('silent bwipeout!')
end)

-- Re-indent each text with `=` from column 0.
step('indent', function()
  out.indent = {}
  for _, text in ipairs(input.indent) do
    vim.cmd('enew!')
    vim.bo.filetype = 'peapod'
    local lines = vim.split(text, '\n', { plain = true })
    for i, l in ipairs(lines) do
      lines[i] = l:gsub('^%s+', '')
    end
    vim.api.nvim_buf_set_lines(0, 0, -1, false, lines)
    vim.cmd('silent normal! gg=G')
    table.insert(out.indent, table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n'))
    vim.cmd('silent bwipeout!')
  end
end)

-- The language client: start, settings, one server per root, restart.
step('lsp', function()
  local peapod = require('peapod')
  peapod.setup({ settings = input.lsp.settings })
  local function wait_clients(n)
    return vim.wait(10000, function() return #vim.lsp.get_active_clients() == n end, 20)
  end
  local buf = open(input.lsp.files[1])
  out.lsp = { started = wait_clients(1), first = peapod.client_id(buf) }
  vim.wait(300, function() return false end, 20)
  peapod.update_settings(input.lsp.update)
  open(input.lsp.files[2])
  out.lsp.second = peapod.client_id(0)
  vim.wait(300, function() return false end, 20)
  vim.cmd('PeapodRestart')
  out.lsp.restarted = vim.wait(10000, function()
    local id = peapod.client_id(0)
    return id ~= nil and id ~= out.lsp.first and vim.lsp.get_client_by_id(id) ~= nil
      and #vim.lsp.get_active_clients() == 1
  end, 20)
  out.lsp.after_restart = peapod.client_id(0)
  vim.wait(300, function() return false end, 20)
  -- A PeaPod buffer that is no file gets no server.
  vim.cmd('enew')
  vim.bo.filetype = 'peapod'
  vim.wait(1000, function() return #vim.tbl_keys(vim.lsp.buf_get_clients(0)) > 0 end, 20)
  out.lsp.unnamed_clients = #vim.tbl_keys(vim.lsp.buf_get_clients(0))
end)

vim.fn.writefile({ vim.json.encode(out) }, os.getenv('PEAPOD_TEST_OUT'))
vim.cmd('qall!')
