//! The load generator: `wrk` (Debian's package) replaying a fixed list of request bodies
//! from a Lua script, one list per query and viewer, so every run sends the same sequence.

use crate::setup::SetupResult;
use serde::Deserialize;
use std::path::Path;
use std::process::Command;

/// What one `wrk` run measured.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Measured {
    pub requests: u64,
    pub duration_us: u64,
    pub p50_us: f64,
    pub p99_us: f64,
    /// Connect, read, write and timeout errors.
    pub socket_errors: u64,
    /// Responses that were not `200` or carried GraphQL `errors`.
    pub bad: u64,
}

impl Measured {
    /// Completed requests per second.
    pub fn rps(&self) -> f64 {
        self.requests as f64 / (self.duration_us.max(1) as f64 / 1e6)
    }
}

/// Replays the bodies in `bodies_file`, one request each; `Authorization` when given.
const SCRIPT: &str = r#"
local bodies = {}
for line in io.lines(BODIES_FILE) do bodies[#bodies + 1] = line end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
if AUTHORIZATION ~= "" then wrk.headers["Authorization"] = AUTHORIZATION end

local threads = {}
local next_offset = 0
function setup(thread)
  thread:set("offset", next_offset)
  next_offset = next_offset + 61
  table.insert(threads, thread)
end

function init(args)
  position = offset
  bad = 0
end

function request()
  position = position % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[position])
end

function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then bad = bad + 1 end
end

function done(summary, latency, requests)
  local total_bad = 0
  for _, thread in ipairs(threads) do total_bad = total_bad + thread:get("bad") end
  local e = summary.errors
  io.write(string.format(
    'WORKLOAD {"requests":%.0f,"duration_us":%.0f,"p50_us":%.1f,"p99_us":%.1f,"socket_errors":%.0f,"bad":%.0f}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, total_bad))
end
"#;

/// Is `wrk` on the path?
pub fn available() -> bool {
    Command::new("wrk").arg("--version").output().is_ok()
}

/// Runs `wrk` against `url` with `connections` for `seconds`, replaying `bodies`.
pub fn run(
    dir: &Path,
    url: &str,
    authorization: &str,
    bodies: &[&str],
    connections: u32,
    seconds: u64,
) -> SetupResult<Measured> {
    let bodies_file = dir.join("bodies.txt");
    std::fs::write(&bodies_file, bodies.join("\n")).map_err(|e| e.to_string())?;
    let script = format!(
        "BODIES_FILE = {}\nAUTHORIZATION = {}\n{SCRIPT}",
        lua_string(&bodies_file.to_string_lossy()),
        lua_string(authorization)
    );
    let script_file = dir.join("workload.lua");
    std::fs::write(&script_file, script).map_err(|e| e.to_string())?;
    // Two wrk threads at most: this machine's two cores also run the server and the database.
    let threads = connections.min(2);
    let out = Command::new("wrk")
        .args(["-t", &threads.to_string(), "-c", &connections.to_string(), "-d", &format!("{seconds}s")])
        .args(["--timeout", "10s", "-s"])
        .arg(&script_file)
        .arg(url)
        .output()
        .map_err(|e| format!("wrk: {e} (install it: apt-get install wrk)"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("WORKLOAD "))
        .ok_or_else(|| format!("wrk printed no result: {stdout}{}", String::from_utf8_lossy(&out.stderr)))?;
    serde_json::from_str(line).map_err(|e| format!("wrk result `{line}`: {e}"))
}

fn lua_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}
