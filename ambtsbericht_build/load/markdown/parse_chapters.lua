-- abuild: pandoc's reading of many chapters in one pandoc process
-- (load/markdown/pandoc_batch.py starts it as `pandoc lua THIS READER TAG`).
--
-- stdin: records, each a line with its length in bytes and then that many
-- bytes of UTF-8: first pandoc's default abbreviations file, then the
-- chapters. For chapter k (0, 1, ...) stdout gets the line
-- "TAG k begin", pandoc's warnings (its stderr is the same pipe), then
-- "TAG k ast JSON" (pandoc's JSON AST, one line) or "TAG k error MESSAGE".
-- TAG is random per run, so no warning line can pass for a marker.
--
-- The reader runs in pandoc's sandbox with an empty file tree: it reads no
-- file and opens no URL. The script writes nothing but stdout, and reads no
-- file but the user's pandoc abbreviations, as pandoc's command line does.

local reader, tag = arg[1], arg[2]
local out = io.stdout

local function record()
  local header = io.read("l")
  if header == nil then
    return nil
  end
  local n = tonumber(header)
  if n == nil or n < 0 then
    error("bad record header: " .. header)
  end
  if n == 0 then
    return ""
  end
  local text = io.read(n)
  if text == nil or #text ~= n then
    error("input ends inside a record")
  end
  return text
end

-- The reader options of `pandoc -f READER -t json`: 72 columns, and the
-- abbreviations of the data file (the user's, as the command line would).
local abbreviations = record() or ""
local dir = PANDOC_STATE.user_data_dir
local own = dir and io.open(dir .. "/abbreviations", "r")
if own then
  abbreviations = own:read("a")
  own:close()
end
local set = {}
for line in abbreviations:gmatch("[^\n]+") do
  set[line] = true
end
local options = pandoc.ReaderOptions({ columns = 72, abbreviations = set })

local k = 0
while true do
  local text = record()
  if text == nil then
    break
  end
  out:write(tag, " ", k, " begin\n")
  out:flush()
  local ok, doc = pcall(pandoc.read, text, reader, options, {})
  local result = doc
  if ok then
    ok, result = pcall(pandoc.write, doc, "json")
  end
  if ok then
    out:write(tag, " ", k, " ast ", result, "\n")
  else
    out:write(tag, " ", k, " error ", (tostring(result):gsub("[\r\n]+", " ")), "\n")
  end
  out:flush()
  k = k + 1
end
