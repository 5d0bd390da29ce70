-- Run by nvim-lsp.test.mjs in `nvim --headless` with editors/nvim on the
-- runtimepath and the real `peapodc lsp` as the server: opens the policy in
-- $PEAPOD_TEST_IN, waits for its diagnostics, asks for hover, definition
-- and the outline, fixes the error with an edit (Neovim sends it as an
-- incremental change), formats the buffer, and writes what the editor got
-- to $PEAPOD_TEST_OUT. Every step is guarded so that a failure is reported
-- instead of hanging the editor.
local input = vim.json.decode(table.concat(vim.fn.readfile(os.getenv('PEAPOD_TEST_IN')), '\n'))
local out = { errors = {} }

local function step(name, fn)
  local ok, err = pcall(fn)
  if not ok then
    table.insert(out.errors, name .. ': ' .. tostring(err))
  end
end

local buf
local function request(method, params)
  local results = vim.lsp.buf_request_sync(buf, method, params, 10000) or {}
  for _, r in pairs(results) do
    if r.err then
      error(method .. ': ' .. vim.inspect(r.err))
    end
    return r.result
  end
  error(method .. ': no answer')
end

local function at(line, col) -- 0-based line, byte column
  vim.api.nvim_win_set_cursor(0, { line + 1, col })
  return vim.lsp.util.make_position_params()
end

local function diagnostics()
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(list, { lnum = d.lnum, col = d.col, end_col = d.end_col, message = d.message,
      severity = d.severity, source = d.source, code = d.code or lsp.code,
      href = lsp.codeDescription and lsp.codeDescription.href or vim.NIL })
  end
  return list
end

step('start', function()
  require('peapod').setup({ cmd = { input.peapodc, 'lsp' }, settings = input.settings })
  vim.cmd('silent edit ' .. vim.fn.fnameescape(input.file))
  buf = vim.api.nvim_get_current_buf()
  out.filetype = vim.bo[buf].filetype
  out.attached = vim.wait(10000, function() return #vim.tbl_keys(vim.lsp.buf_get_clients(buf)) > 0 end, 20)
  out.got_diagnostics = vim.wait(10000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
  out.diagnostics = diagnostics()
end)

step('hover', function()
  local r = request('textDocument/hover', at(input.hover[1], input.hover[2]))
  out.hover = r and r.contents and r.contents.value or vim.NIL
end)

step('definition', function()
  local r = request('textDocument/definition', at(input.definition[1], input.definition[2]))
  if r and r[1] then r = r[1] end
  out.definition = r or vim.NIL
end)

step('outline', function()
  out.outline = request('textDocument/documentSymbol', { textDocument = vim.lsp.util.make_text_document_params() })
end)

step('edit', function()
  -- Replace the unknown pea's name with a known one, in place.
  local e = input.edit
  vim.api.nvim_buf_set_text(buf, e[1], e[2], e[1], e[3], { e[4] })
  -- The error goes; the analyzer's findings on the now valid policy stay.
  out.cleared = vim.wait(10000, function()
    return #vim.diagnostic.get(buf, { severity = vim.diagnostic.severity.ERROR }) == 0
  end, 20)
  out.after_edit = diagnostics()
end)

step('format', function()
  vim.lsp.buf.formatting_sync(nil, 10000)
  out.formatted = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
end)

vim.fn.writefile({ vim.json.encode(out) }, os.getenv('PEAPOD_TEST_OUT'))
vim.cmd('qall!')
