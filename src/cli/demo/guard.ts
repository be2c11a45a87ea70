// Preloaded (`node --import`) into every process `bulwark demo` starts. The demo talks to its
// children over an IPC channel it never uses for messages: when the demo dies, even by SIGKILL, the
// kernel closes the channel and the child sees `disconnect`. The child then stops itself as if it
// had received SIGTERM (graceful close), and is forced out if that takes too long. This is what lets
// the demo promise that it never leaves a process behind (CWE-404: resources released on every path).
const FORCE_EXIT_MS = 5_000;

if (process.channel) {
  // The channel must not keep the child alive on its own once it has been asked to stop.
  process.channel.unref();
  process.once('disconnect', () => {
    setTimeout(() => process.exit(1), FORCE_EXIT_MS).unref();
    process.kill(process.pid, 'SIGTERM');
  });
}
