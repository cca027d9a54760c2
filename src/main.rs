//! The `chatcap` command: parse the command line, call the library, map errors to exit codes.

fn main() {
    println!("chatcap: not yet implemented");
}
