-- PeaPod for Neovim's built-in LSP client (Neovim 0.7 and later, no
-- nvim-lspconfig needed): starts `peapodc lsp` for every buffer of filetype
-- `peapod` and attaches it. One server runs per project root (the nearest
-- directory above the file that holds one of `root_markers`, else the file's
-- directory).
--
--   require('peapod').setup({
--     cmd = { '/usr/local/bin/peapodc', 'lsp' },
--     settings = { includeDirs = { 'rules' }, stdrulesDir = '/usr/share/peapod/stdrules' },
--     on_attach = function(client, bufnr) ... end,
--   })
--
-- docs/editors.md has a complete set-up.
local M = {}

local defaults = {
  -- The server: peapodc's `lsp` command, speaking LSP on stdin and stdout.
  cmd = { 'peapodc', 'lsp' },
  -- What the server reads from initializationOptions and from
  -- workspace/didChangeConfiguration: include dirs (`-I`), the stdrules dir
  -- (`--stdrules`) and the lint configuration file. Relative paths are taken
  -- from the project root; `~` is expanded; unset means the server's default.
  settings = { includeDirs = {}, stdrulesDir = nil, lintConfig = nil },
  root_markers = { '.git', '.hg', '.peapod' },
  on_attach = nil,
  capabilities = nil,
  -- Passed on to vim.lsp.start_client (for instance flags, handlers).
  client_options = {},
}

local config = vim.deepcopy(defaults)
local clients = {} -- project root -> client id
local warned = false

local function exists(path)
  return vim.loop.fs_stat(path) ~= nil
end

--- The nearest directory from the buffer's file upwards that holds a root
--- marker, else the file's own directory (the working directory for a buffer
--- without a file).
function M.root_dir(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local start = name ~= '' and vim.fn.fnamemodify(name, ':p:h') or vim.fn.getcwd()
  local dir = start
  while true do
    for _, marker in ipairs(config.root_markers) do
      if exists(dir .. '/' .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return start
    end
    dir = parent
  end
end

local function resolve(path, root)
  if type(path) ~= 'string' or vim.trim(path) == '' then
    return vim.NIL -- JSON null: the server's default
  end
  path = vim.fn.expand(vim.trim(path))
  if path:sub(1, 1) ~= '/' then
    path = root .. '/' .. path
  end
  return vim.fn.simplify(path)
end

--- The settings as the server reads them, with paths made absolute.
function M.server_settings(root)
  local s = config.settings or {}
  local dirs = {}
  for _, d in ipairs(s.includeDirs or {}) do
    local r = resolve(d, root)
    if r ~= vim.NIL then
      table.insert(dirs, r)
    end
  end
  return {
    includeDirs = dirs, -- vim.json encodes an empty table as []
    stdrulesDir = resolve(s.stdrulesDir, root),
    lintConfig = resolve(s.lintConfig, root),
  }
end

local function notify_settings(client)
  client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
end

local function start(bufnr)
  -- Only files: a buffer without a name, or of a URL scheme (fugitive://,
  -- scp://), has no file:// URI the server could read includes beside.
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' or name:match('^%a[%w+.-]*://') then
    return
  end
  local exe = config.cmd[1]
  if vim.fn.executable(exe) == 0 then
    if not warned then
      warned = true
      vim.notify(string.format("peapod: cannot run '%s': not found or not executable; "
        .. "set cmd in require('peapod').setup{} (see docs/editors.md)", exe), vim.log.levels.WARN)
    end
    return
  end
  local root = M.root_dir(bufnr)
  local id = clients[root]
  if id and not vim.lsp.get_client_by_id(id) then
    id = nil
  end
  if not id then
    local settings = M.server_settings(root)
    local options = vim.tbl_extend('force', config.client_options, {
      name = 'peapod',
      cmd = config.cmd,
      root_dir = root,
      init_options = settings,
      settings = settings,
      capabilities = config.capabilities,
      on_attach = config.on_attach,
      -- Neovim does not send the settings by itself.
      on_init = notify_settings,
      on_exit = function()
        if clients[root] == id then
          clients[root] = nil
        end
      end,
    })
    id = vim.lsp.start_client(options)
    if not id then
      return
    end
    clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

local function peapod_buffers()
  local bufs = {}
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) and vim.bo[b].filetype == 'peapod' then
      table.insert(bufs, b)
    end
  end
  return bufs
end

--- Changes settings (merged into the current ones) and sends them to every
--- running PeaPod server with workspace/didChangeConfiguration.
function M.update_settings(settings)
  config.settings = vim.tbl_extend('force', config.settings or {}, settings or {})
  for root, id in pairs(clients) do
    local client = vim.lsp.get_client_by_id(id)
    if client then
      client.config.settings = M.server_settings(root)
      notify_settings(client)
    end
  end
end

--- Stops every PeaPod server and starts them again for the open buffers.
function M.restart()
  for _, id in pairs(clients) do
    vim.lsp.stop_client(id)
  end
  clients = {}
  warned = false
  for _, b in ipairs(peapod_buffers()) do
    start(b)
  end
end

--- The client id serving a buffer, if any (for tests and statuslines).
function M.client_id(bufnr)
  return clients[M.root_dir(bufnr or 0)]
end

function M.setup(opts)
  config = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts or {})
  if opts and opts.settings and opts.settings.includeDirs then
    config.settings.includeDirs = opts.settings.includeDirs -- a list, not merged
  end
  local group = vim.api.nvim_create_augroup('peapod_lsp', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'peapod',
    callback = function(args)
      start(args.buf)
    end,
  })
  vim.api.nvim_create_user_command('PeapodRestart', M.restart,
    { desc = 'Restart the PeaPod language server', force = true })
  for _, b in ipairs(peapod_buffers()) do
    start(b)
  end
end

return M
