//! The processes under measurement: starting and stopping them, and what `/proc` says of
//! their CPU time and memory.

use crate::setup::SetupResult;
use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A server process on a local port, killed when dropped.
pub struct Server {
    pub name: &'static str,
    pub base: String,
    child: Child,
}

impl Server {
    /// Starts `command` (which must listen on `port`) and waits for `ready_path` to answer.
    pub async fn start(name: &'static str, mut command: Command, port: u16, ready_path: &str) -> SetupResult<Self> {
        let child = command.stdin(Stdio::null()).spawn().map_err(|e| format!("{name}: {e}"))?;
        let server = Server { name, base: format!("http://127.0.0.1:{port}"), child };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(r) = client.get(format!("{}{ready_path}", server.base)).send().await
                && r.status().is_success()
            {
                return Ok(server);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("{name} did not become ready on port {port}"))
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free local port (bound and released; the server binds it right after).
pub fn free_port() -> SetupResult<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

/// Clock ticks per second (`getconf CLK_TCK`), for the CPU times in `/proc/<pid>/stat`.
pub fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

/// The command name and user + system CPU ticks of process `pid`.
fn stat(pid: &str) -> Option<(String, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (head, rest) = text.rsplit_once(')')?;
    let comm = head.split_once('(')?.1.to_string();
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After the command: state is field 3 of stat(5), utime 14 and stime 15.
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some((comm, ticks))
}

/// CPU ticks used so far by process `pid`.
pub fn cpu_ticks(pid: u32) -> u64 {
    stat(&pid.to_string()).map_or(0, |(_, t)| t)
}

/// CPU ticks used so far by each PostgreSQL process on the machine (its backends do the
/// database's work), by process id.
pub fn postgres_ticks() -> HashMap<String, u64> {
    let Ok(dir) = std::fs::read_dir("/proc") else { return HashMap::new() };
    dir.filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| name.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|pid| stat(&pid).filter(|(comm, _)| comm == "postgres").map(|(_, t)| (pid, t)))
        .collect()
}

/// Ticks PostgreSQL spent between two readings: per process, so a backend that exits
/// during the run loses only its own share (it is not counted) instead of the sum
/// going down; a process that started during the run counts in full.
pub fn postgres_ticks_since(before: &HashMap<String, u64>, after: &HashMap<String, u64>) -> u64 {
    after.iter().map(|(pid, t)| t.saturating_sub(before.get(pid).copied().unwrap_or(0))).sum()
}

/// A `VmRSS`-style line of `/proc/<pid>/status`, in MiB.
pub fn memory_mib(pid: u32, key: &str) -> f64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    text.lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0)
}

/// Resets the peak-RSS mark (`VmHWM`) of `pid`, so the next reading is the peak of one run.
pub fn reset_peak(pid: u32) {
    // `5` resets the high-water mark (proc(5), clear_refs); without permission the
    // reading stays the peak since start, which is still an upper bound.
    let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
}
