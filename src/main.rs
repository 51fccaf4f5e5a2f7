//! The `clientele` binary: parse the command line and hand over to the library.

use clap::Parser;

/// mimalloc instead of the system allocator: a GraphQL response is thousands of small,
/// short-lived allocations (values, maps, strings), and glibc's malloc/free took about a
/// fifth of the CPU of a 50-customer page in the benchmark's profile.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = clientele::cli::Cli::parse();
    // 8 MiB per worker (tokio's default is 2): a debug build keeps every async frame's
    // temporaries on the stack, and a GraphQL write nests deep. Only touched pages cost memory.
    let runtime = match tokio::runtime::Builder::new_multi_thread().thread_stack_size(8 << 20).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("clientele: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    runtime.block_on(clientele::cli::run(cli))
}
