-- ptcpdump.lua: Wireshark/tshark plugin for ptcpdump's pcapng files.
--
-- ptcpdump (this one and the original Go ptcpdump) stores, for every packet, the process that
-- sent or received it, its thread, user, parent, container and Kubernetes Pod as pcapng packet
-- comments ("PID: 1234\nCmd: /usr/bin/curl\nArgs: curl http://...", "PodName: web\n...").
-- Wireshark shows a comment as one string; this post-dissector turns the "Key: Value" lines into
-- fields (ptcpdump.pid, ptcpdump.comm, ptcpdump.pod.name, ...) that work in display filters and
-- as columns, in a "ptcpdump" tree of each packet:
--
--   tshark -X lua_script:ptcpdump.lua -r x.pcapng -Y 'ptcpdump.pid == 1234' -T fields -e ptcpdump.comm
--
-- Install: `ptcpdump --install-wireshark-plugin`, or copy this file into the personal Lua
-- plugin folder (Wireshark: Help > About > Folders > Personal Lua Plugins, usually
-- ~/.local/lib/wireshark/plugins/).
--
-- Keys read (all versions of the original ptcpdump and this one): PID, Cmd (also Command,
-- COMMAND), Args, ThreadId (also TID), ThreadName, UserId, GroupId, ParentPID, ParentCmd (also
-- ParentCommand), ParentArgs, ContainerName, ContainerId, ContainerImage, ContainerLabels,
-- PodName, PodNamespace, PodUID, PodLabels, PodAnnotations. The same keys prefixed with "Peer"
-- (PeerPID, PeerCmd, ...) describe the other end of the packet when it is a local process too,
-- and become ptcpdump.peer.* fields. Other comments are left alone. A key is matched without
-- regard to case; the value is everything after the first ':' with surrounding blanks removed,
-- as the original ptcpdump reads it back.

local ptcpdump = Proto("ptcpdump", "ptcpdump: process, container and Pod")

-- Field suffix -> { display name, type }. The same set exists under "peer.".
local defs = {
    { "process", "Process (comm.pid)", "string" },
    { "pid", "PID", "uint" },
    { "comm", "Command name", "string" },
    { "cmd", "Executable", "string" },
    { "args", "Arguments", "string" },
    { "tid", "Thread ID", "uint" },
    { "tname", "Thread name", "string" },
    { "uid", "User ID", "uint" },
    { "gid", "Group ID", "uint" },
    { "ppid", "Parent PID", "uint" },
    { "pcomm", "Parent command name", "string" },
    { "pcmd", "Parent executable", "string" },
    { "pargs", "Parent arguments", "string" },
    { "container.id", "Container ID", "string" },
    { "container.name", "Container name", "string" },
    { "container.image", "Container image", "string" },
    { "container.labels", "Container labels", "string" },
    { "pod.name", "Pod name", "string" },
    { "pod.namespace", "Pod namespace", "string" },
    { "pod.uid", "Pod UID", "string" },
    { "pod.labels", "Pod labels", "string" },
    { "pod.annotations", "Pod annotations", "string" },
}

-- Comment key (lower case, without "peer") -> field suffix.
local keys = {
    ["pid"] = "pid",
    ["cmd"] = "cmd",
    ["command"] = "cmd",
    ["args"] = "args",
    ["threadid"] = "tid",
    ["tid"] = "tid",
    ["threadname"] = "tname",
    ["userid"] = "uid",
    ["groupid"] = "gid",
    ["parentpid"] = "ppid",
    ["parentcmd"] = "pcmd",
    ["parentcommand"] = "pcmd",
    ["parentargs"] = "pargs",
    ["containername"] = "container.name",
    ["containerid"] = "container.id",
    ["containerimage"] = "container.image",
    ["containerlabels"] = "container.labels",
    ["podname"] = "pod.name",
    ["podnamespace"] = "pod.namespace",
    ["poduid"] = "pod.uid",
    ["podlabels"] = "pod.labels",
    ["podannotations"] = "pod.annotations",
}

local pf = {}
local fields = {}
for _, prefix in ipairs({ "", "peer." }) do
    for _, d in ipairs(defs) do
        local abbr = "ptcpdump." .. prefix .. d[1]
        local name = (prefix == "" and "" or "Peer ") .. d[2]
        local f
        if d[3] == "uint" then
            f = ProtoField.uint32(abbr, name, base.DEC)
        else
            f = ProtoField.string(abbr, name)
        end
        pf[prefix .. d[1]] = f
        fields[#fields + 1] = f
    end
end
ptcpdump.fields = fields

local ett_group = {}

-- Packet comments: "frame.comment" since Wireshark 3.6 ("pkt_comment" before).
local comment_field
for _, name in ipairs({ "frame.comment", "pkt_comment" }) do
    local ok, f = pcall(Field.new, name)
    if ok and f then
        comment_field = f
        break
    end
end

local function trim(s)
    return (s:gsub("^%s+", ""):gsub("%s+$", ""))
end

-- The name ptcpdump prints for a process: the executable's base name, or argv[0]'s when the
-- executable is /dev/fd/N (fexecve) or unknown.
local function comm_of(cmd, args)
    local path = cmd
    if path then
        path = path:gsub("%.%.%.$", "")
    end
    if path == nil or path == "" or path:find("^/dev/fd/") then
        path = args and args:match("^(%S+)") or path
    end
    if path == nil then
        return nil
    end
    return path:match("([^/]*)$")
end

-- One side (own or peer) of a packet: field suffix -> value text.
local function parse(comments)
    local own, peer = {}, {}
    for _, text in ipairs(comments) do
        for line in (text .. "\n"):gmatch("([^\n]*)\n") do
            local key, value = line:match("^%s*([^:]-)%s*:(.*)$")
            if key then
                key = key:lower()
                local side = own
                if key:sub(1, 4) == "peer" and keys[key:sub(5)] then
                    side = peer
                    key = key:sub(5)
                end
                local suffix = keys[key]
                if suffix and side[suffix] == nil then
                    side[suffix] = trim(value)
                end
            end
        end
    end
    return own, peer
end

local function derive(v)
    if v.pid == nil and v.cmd == nil and v["container.id"] == nil and v["pod.name"] == nil then
        return false
    end
    if v.cmd or v.args then
        v.comm = comm_of(v.cmd, v.args)
    end
    if v.pcmd or v.pargs then
        v.pcomm = comm_of(v.pcmd, v.pargs)
    end
    if v.pid and v.comm then
        v.process = v.comm .. "." .. v.pid
    end
    return true
end

local groups = {
    { nil, "Process", { "process", "pid", "comm", "cmd", "args" } },
    { nil, "Thread", { "tid", "tname" } },
    { nil, "User", { "uid", "gid" } },
    { nil, "Parent process", { "ppid", "pcomm", "pcmd", "pargs" } },
    { nil, "Container", { "container.name", "container.id", "container.image", "container.labels" } },
    { nil, "Pod", { "pod.name", "pod.namespace", "pod.uid", "pod.labels", "pod.annotations" } },
}

local function add_value(tree, prefix, suffix, value)
    local f = pf[prefix .. suffix]
    for _, d in ipairs(defs) do
        if d[1] == suffix and d[3] == "uint" then
            local n = tonumber(value)
            if n and n >= 0 and n <= 4294967295 and n == math.floor(n) then
                tree:add(f, n)
            else
                -- Not a number (damaged text): shown as text, never matched as a number.
                tree:add(ptcpdump):set_text(d[2] .. ": " .. value)
            end
            return
        end
    end
    tree:add(f, value)
end

local function add_side(tree, prefix, v)
    for _, g in ipairs(groups) do
        local present = false
        for _, s in ipairs(g[3]) do
            if v[s] then
                present = true
            end
        end
        if present then
            local sub = tree:add(ptcpdump, (prefix == "" and "" or "Peer ") .. g[2])
            sub:set_text((prefix == "" and "" or "Peer ") .. g[2])
            for _, s in ipairs(g[3]) do
                if v[s] then
                    add_value(sub, prefix, s, v[s])
                end
            end
        end
    end
end

local function summary(v)
    local parts = {}
    if v.process then
        parts[#parts + 1] = v.process
    elseif v.pid then
        parts[#parts + 1] = "pid " .. v.pid
    end
    if v["container.name"] then
        parts[#parts + 1] = "container " .. v["container.name"]
    end
    if v["pod.name"] then
        parts[#parts + 1] = "Pod " .. v["pod.name"] .. "." .. (v["pod.namespace"] or "")
    end
    return table.concat(parts, ", ")
end

function ptcpdump.dissector(_, _, tree)
    if comment_field == nil then
        return
    end
    local comments = {}
    for _, fi in ipairs({ comment_field() }) do
        if fi.value then
            comments[#comments + 1] = tostring(fi.value)
        end
    end
    if #comments == 0 then
        return
    end
    local own, peer = parse(comments)
    local has_own, has_peer = derive(own), derive(peer)
    if not has_own and not has_peer then
        return
    end
    local t = tree:add(ptcpdump)
    local text = "ptcpdump: " .. summary(own)
    if has_peer then
        text = text .. " <-> " .. summary(peer)
    end
    t:set_text(text)
    if has_own then
        add_side(t, "", own)
    end
    if has_peer then
        add_side(t, "peer.", peer)
    end
end

register_postdissector(ptcpdump)
