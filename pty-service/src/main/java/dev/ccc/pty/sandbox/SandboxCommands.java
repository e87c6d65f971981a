package dev.ccc.pty.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The command lines that put a user's processes into their sandbox, built from standard tools:
 * {@code nice} and {@code prlimit} set the user's limits, {@code setpriv} becomes the user's uid
 * (the only step that needs the service's privileges), and then, as that user, {@code bwrap}
 * (bubblewrap) creates the sandbox's namespaces or {@code nsenter} joins an existing one.
 *
 * <p>A sandbox has a user namespace of its own owned by the user's uid, and within it a PID
 * namespace (it sees only its own processes, and dies as a whole with its first process), a network
 * namespace with nothing but loopback (the internet only through the egress relay), IPC, UTS and
 * cgroup namespaces, and a mount namespace that shows the machine's system folders read-only, a
 * private {@code /tmp} of a set size (the only memory it may write files to), a minimal {@code
 * /dev}, a fresh {@code /proc}, the user's home as {@code /home/user} and the folder being worked
 * in. Nothing else of the machine is visible: not the service's data, not other users' folders, not
 * the service's processes or ports.
 */
final class SandboxCommands {
  /** Where the relay to the egress proxy listens inside every sandbox. */
  static final int PROXY_PORT = 3128;

  /** The sandbox's own name for its user, whose home is {@link #HOME}. */
  static final String USER = "user";

  static final String HOME = "/home/user";

  /** Where the egress proxy's socket appears inside a sandbox. */
  static final String EGRESS_SOCKET = "/run/ccc/egress.sock";

  /** Devices a sandbox gets, each bound from the machine's {@code /dev}. */
  private static final List<String> DEVICES =
      List.of("null", "zero", "full", "random", "urandom", "tty");

  /**
   * The relay: listens on the sandbox's loopback and carries each connection to the egress proxy.
   * It logs nowhere, so that nothing it writes can ever block it or reach the service.
   */
  private static final List<String> RELAY =
      List.of(
          "socat",
          "-lf",
          "/dev/null",
          "TCP-LISTEN:" + PROXY_PORT + ",bind=127.0.0.1,reuseaddr,fork",
          "UNIX-CONNECT:" + EGRESS_SOCKET);

  /**
   * A listening socket on the relay's port in a {@code /proc/<pid>/net/tcp} listing: the local
   * address ends with the port in hex, the remote one is zero, the state is 0A (LISTEN).
   */
  static final String RELAY_LISTENING = String.format(":%04X 00000000:0000 0A", PROXY_PORT);

  /** Runs its arguments as a command once the relay, started first, listens. */
  private static final String JOB =
      String.join(" ", RELAY)
          + " </dev/null >/dev/null 2>&1 &\n"
          + "until grep -q '"
          + RELAY_LISTENING
          + "' /proc/net/tcp; do sleep 0.01; done\n"
          + "exec \"$@\"\n";

  /**
   * The sandbox's first process, the only one that ever holds a capability in its namespace. It
   * checks that the folder it starts in is the very folder the service checked (its owner can swap
   * it for a link at any moment, and bwrap follows links), given as {@code device:inode} in its
   * first argument. Then it makes sure no user namespace can be created in the sandbox's own: one
   * created inside would give its processes every capability over new mount and network namespaces
   * (file systems in memory of any size, the kernel's network code to attack). The remaining
   * arguments then give up the capability and run the command.
   */
  private static final String FIRST_PROCESS =
      "[ \"$(\"$1\" -c %d:%i .)\" = \"$2\" ] || {\n"
          + "  echo 'the workspace folder was replaced while its sandbox started' >&2; exit 1; }\n"
          + "shift 2\n"
          + "echo 0 > /proc/sys/user/max_user_namespaces && exec \"$@\"\n";

  private final SandboxConfig config;
  private final Tools tools;
  private final List<String> systemMounts;
  private final Path egressSocket;

  /**
   * @param egressSocket the egress proxy's socket on this machine
   */
  SandboxCommands(SandboxConfig config, Tools tools, Path egressSocket) throws IOException {
    this.config = config;
    this.tools = tools;
    this.egressSocket = egressSocket;
    this.systemMounts = systemMounts(config.systemPaths());
  }

  /**
   * The first process of a session's sandbox: the relay, which keeps the sandbox standing as long
   * as it runs. A user who kills it ends their own session.
   */
  List<String> keeper() {
    return RELAY;
  }

  /** {@code command} as a job in a sandbox ({@link #JOB}). */
  List<String> job(List<String> command) {
    List<String> argv = new ArrayList<>(List.of(tools.path("bash"), "-c", JOB, "ccc-job"));
    argv.addAll(command);
    return argv;
  }

  /** What the child of a sandbox finds in its environment besides the shared variables. */
  static Map<String, String> environment() {
    String proxy = "http://127.0.0.1:" + PROXY_PORT;
    String local = "localhost,127.0.0.1,::1";
    return Map.ofEntries(
        Map.entry("HOME", HOME),
        Map.entry("USER", USER),
        Map.entry("LOGNAME", USER),
        Map.entry("http_proxy", proxy),
        Map.entry("https_proxy", proxy),
        Map.entry("HTTP_PROXY", proxy),
        Map.entry("HTTPS_PROXY", proxy),
        Map.entry("no_proxy", local),
        Map.entry("NO_PROXY", local),
        // Node.js (24 and later) sends fetch() through the proxy variables only when asked to.
        Map.entry("NODE_USE_ENV_PROXY", "1"));
  }

  /**
   * Starts {@code command} as the first process of a new sandbox for {@code uid}.
   *
   * @param home the user's home on this machine
   * @param folder the folder worked in, on this machine, and {@code folderInside}, where it appears
   *     in the sandbox and the command starts
   * @param folderId {@code folder}'s {@code device:inode}, as the service found it
   * @param accountFiles the sandbox's {@code /etc/passwd} and {@code /etc/group} on this machine
   */
  List<String> sandbox(
      int uid,
      Path home,
      Path folder,
      String folderId,
      String folderInside,
      AccountFiles accountFiles,
      List<String> command) {
    List<String> argv = new ArrayList<>(asUser(uid));
    argv.addAll(
        List.of(
            tools.path("bwrap"),
            "--unshare-user",
            "--unshare-pid",
            "--unshare-net",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup",
            "--hostname",
            "ccc",
            // The sandbox dies as a whole, with SIGKILL, when its outer bwrap is killed.
            "--die-with-parent",
            // For FIRST_PROCESS only, which gives it up.
            "--cap-add",
            "CAP_SYS_RESOURCE",
            "--proc",
            "/proc"));
    for (String device : DEVICES) {
      argv.addAll(List.of("--dev-bind-try", "/dev/" + device, "/dev/" + device));
    }
    // The machine's PTYs, which the terminals use; each is its owner's alone (devpts modes). New
    // ones come from /dev/pts/ptmx, where the machine's devpts lets everyone open it (containers).
    argv.addAll(
        List.of(
            "--dev-bind",
            "/dev/pts",
            "/dev/pts",
            "--symlink",
            "pts/ptmx",
            "/dev/ptmx",
            // Shared memory is files in memory: the same ones as /tmp, within its size.
            "--symlink",
            "../tmp",
            "/dev/shm",
            "--symlink",
            "/proc/self/fd",
            "/dev/fd",
            "--symlink",
            "/proc/self/fd/0",
            "/dev/stdin",
            "--symlink",
            "/proc/self/fd/1",
            "/dev/stdout",
            "--symlink",
            "/proc/self/fd/2",
            "/dev/stderr"));
    argv.addAll(systemMounts);
    argv.addAll(
        List.of(
            "--ro-bind",
            accountFiles.passwd().toString(),
            "/etc/passwd",
            "--ro-bind",
            accountFiles.group().toString(),
            "/etc/group"));
    if (accountFiles.sshConfig() != null) {
      argv.addAll(
          List.of("--ro-bind", accountFiles.sshConfig().toString(), "/etc/ssh/ssh_config.d"));
    }
    argv.addAll(
        List.of(
            "--size",
            String.valueOf(config.tmpMb() * 1024L * 1024L),
            "--tmpfs",
            "/tmp",
            "--symlink",
            "../tmp",
            "/var/tmp",
            "--bind",
            egressSocket.toString(),
            EGRESS_SOCKET,
            "--bind",
            home.toString(),
            HOME,
            "--bind",
            folder.toString(),
            folderInside,
            // bwrap's root and the folders it made there are memory too, of no set size: nothing
            // may be written there.
            "--remount-ro",
            "/",
            "--chdir",
            folderInside,
            "--",
            tools.path("bash"),
            "-c",
            FIRST_PROCESS,
            "ccc-sandbox",
            tools.path("stat"),
            folderId,
            tools.path("setpriv"),
            "--inh-caps=-all",
            "--ambient-caps=-all",
            "--"));
    argv.addAll(command);
    return argv;
  }

  /**
   * Starts {@code command} for {@code uid} inside the running sandbox whose first process has the
   * pid {@code init} on this machine, in that process's working directory.
   */
  List<String> enter(int uid, long init, List<String> command) {
    List<String> argv = new ArrayList<>(asUser(uid));
    argv.addAll(
        List.of(
            tools.path("nsenter"),
            "--target=" + init,
            "--user",
            "--mount",
            "--net",
            "--pid",
            "--ipc",
            "--uts",
            "--cgroup",
            // Stays the user's uid inside, with no capabilities once it executes the command.
            "--preserve-credentials",
            "--wd",
            "--"));
    argv.addAll(command);
    return argv;
  }

  /** Becomes {@code uid}, lowered in priority and limited, then runs what follows. */
  private List<String> asUser(int uid) {
    long mib = 1024L * 1024L;
    return List.of(
        tools.path("nice"),
        "-n",
        String.valueOf(config.niceness()),
        tools.path("prlimit"),
        // Counted per user across all of their sandboxes: the kernel charges every process of a
        // user namespace to the uid that created it, up to the limit it had then.
        "--nproc=" + config.maxProcesses(),
        "--nofile=" + config.maxOpenFiles(),
        "--data=" + config.maxMemoryMb() * mib,
        "--fsize=" + config.maxFileMb() * mib,
        "--core=0",
        "--",
        tools.path("setpriv"),
        "--reuid=" + uid,
        "--regid=" + uid,
        "--clear-groups",
        // Nothing in the sandbox can gain privileges: setuid programs and file capabilities are
        // inert.
        "--no-new-privs",
        "--");
  }

  /**
   * Read-only mounts of the system folders that exist here, parents first; a folder that is a
   * symbolic link here (such as {@code /bin} on merged-/usr systems) is the same link inside.
   */
  private static List<String> systemMounts(List<Path> paths) throws IOException {
    List<String> mounts = new ArrayList<>();
    for (Path path : paths.stream().sorted(Comparator.comparingInt(Path::getNameCount)).toList()) {
      if (Files.isSymbolicLink(path)) {
        mounts.addAll(
            List.of("--symlink", Files.readSymbolicLink(path).toString(), path.toString()));
      } else if (Files.isDirectory(path)) {
        mounts.addAll(List.of("--ro-bind", path.toString(), path.toString()));
      }
    }
    return List.copyOf(mounts);
  }

  /**
   * The files that make a sandbox's user known inside it: an account named {@link #USER} with the
   * user's uid, and, where ssh reads a config folder, that folder with a config that sends ssh
   * through the relay.
   */
  record AccountFiles(Path passwd, Path group, Path sshConfig) {}
}
