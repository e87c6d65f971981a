package dev.ccc.pty.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.ccc.pty.OwnerDirectories;
import dev.ccc.pty.RefusedException;
import dev.ccc.pty.egress.EgressPolicy;
import dev.ccc.pty.egress.EgressProxy;
import dev.ccc.pty.jobs.Jobs;
import dev.ccc.pty.jobs.Outcome;
import dev.ccc.pty.jobs.OutputTail;
import dev.ccc.pty.sandbox.SandboxCommands.AccountFiles;
import dev.ccc.pty.users.DiskUsage;
import dev.ccc.pty.users.Ownership;
import dev.ccc.pty.users.UserIdentities;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Sandboxes made with bubblewrap: every user runs as a Unix uid of their own ({@link
 * UserIdentities}), owns their home and workspaces (mode 0700), and every session runs in
 * namespaces of its own ({@link SandboxCommands}) whose only way out is the {@link EgressProxy}.
 * The service needs root's privileges only to become those uids and hand them their folders; bwrap
 * runs as the user, unprivileged, in a user namespace.
 */
final class Bubblewrap implements Sandboxes {
  private static final Logger LOG = Logger.getLogger(Bubblewrap.class.getName());

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  /** What the sandbox's launcher processes get; the child's own environment comes later. */
  private static final Map<String, String> LAUNCHER_ENVIRONMENT =
      Map.of("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LANG", "C.UTF-8");

  private final SandboxConfig config;
  private final String shell;
  private final Path runtime;
  private final SandboxCommands commands;
  private final UserIdentities identities;
  private final OwnerDirectories homes;
  private final OwnerDirectories workspaces;
  private final Path sshConfig;
  private final EgressProxy egress;
  private final DiskUsage disk = new DiskUsage(Clock.systemUTC());
  private final Jobs jobs = new Jobs();
  private final Set<BubblewrapSession> open = ConcurrentHashMap.newKeySet();

  /**
   * @param dataDir the service's data: homes under {@code homes/}, workspaces under {@code
   *     workspaces/}, the record of uids
   * @param runtime a private folder of this run, for the egress socket and the account files
   * @param shell the shell the sandbox's account names as its login shell
   */
  Bubblewrap(
      SandboxConfig config,
      Tools tools,
      Path dataDir,
      Path runtime,
      String shell,
      List<String> clusterMembers)
      throws IOException {
    this.config = config;
    this.shell = shell;
    this.runtime = runtime;
    this.identities =
        new UserIdentities(dataDir.resolve("identities"), config.firstUserUid(), Path.of("/etc"));
    // Every sandbox's bwrap, running as its user, must pass through these to reach the user's own
    // folder inside; none of them can be listed.
    Files.createDirectories(dataDir);
    for (Path above = dataDir.toRealPath().getParent(); above != null; above = above.getParent()) {
      if (!Files.getPosixFilePermissions(above).contains(PosixFilePermission.OTHERS_EXECUTE)) {
        throw new IOException(
            "users' sandboxes cannot pass through "
                + above
                + " to reach their folders in "
                + dataDir
                + "; let them (chmod o+x "
                + above
                + ") or keep the data elsewhere");
      }
    }
    for (Path folder : List.of(dataDir, dataDir.resolve("homes"), dataDir.resolve("workspaces"))) {
      Files.createDirectories(folder);
      Ownership.traversable(folder);
    }
    Ownership.traversable(runtime);
    this.homes = new OwnerDirectories(dataDir.resolve("homes"));
    this.workspaces = new OwnerDirectories(dataDir.resolve("workspaces"));
    Path socket = runtime.resolve("egress.sock");
    this.egress =
        EgressProxy.start(
            socket,
            EgressPolicy.of(config.egressAllow(), config.egressDeny(), () -> clusterMembers),
            config.egressUpstream(),
            uid -> identities.userOf(uid).map(user -> "user " + user).orElse("uid " + uid));
    this.commands = new SandboxCommands(config, tools, socket);
    this.sshConfig = sshConfig(config);
    killLeftovers();
  }

  @Override
  public Isolation isolation() {
    return new Isolation(
        Isolation.Level.SANDBOXED,
        "every user's processes run as a uid of their own in a sandbox of their own (bubblewrap:"
            + " user, PID, network, IPC, UTS, cgroup and mount namespaces; internet only through"
            + " the egress proxy)");
  }

  @Override
  public SessionSandbox openSession(Owner owner, Path workspace)
      throws IOException, RefusedException {
    checkDiskQuota(owner.id());
    int uid = identities.uidOf(owner.id());
    Path home = homeOf(owner.id(), uid);
    Ownership.claim(workspaces.of(owner.id()), uid);
    String inside = "/workspaces/" + workspace.getFileName();
    // Its owner can swap the folder for a link at any moment (a clone runs their git hooks with
    // all their workspaces in view): the sandbox starts only in the very folder found here.
    List<String> argv =
        commands.sandbox(
            uid,
            home,
            workspace,
            folderId(workspace),
            inside,
            accountFiles(uid),
            commands.keeper());
    ProcessBuilder builder =
        new ProcessBuilder(argv)
            .directory(new File("/"))
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().clear();
    builder.environment().putAll(LAUNCHER_ENVIRONMENT);
    Process keeper = builder.start();
    try {
      long init = awaitRelay(keeper);
      BubblewrapSession session = new BubblewrapSession(owner.id(), uid, keeper, init);
      open.add(session);
      return session;
    } catch (IOException | RuntimeException e) {
      keeper.destroyForcibly();
      throw e;
    }
  }

  @Override
  public Outcome run(String owner, Job job) throws IOException {
    int uid = identities.uidOf(owner);
    Path home = homeOf(owner, uid);
    Path folder = workspaces.of(owner);
    Ownership.claim(folder, uid);
    List<String> command = commands.job(job.command().apply(Path.of("/workspaces")));
    Map<String, String> environment = new HashMap<>(LAUNCHER_ENVIRONMENT);
    environment.putAll(SandboxCommands.environment());
    environment.putAll(job.environment());
    return jobs.run(
        job.description(),
        commands.sandbox(
            uid, home, folder, folderId(folder), "/workspaces", accountFiles(uid), command),
        environment,
        Path.of("/"),
        job.input(),
        job.timeout());
  }

  @Override
  public void checkMayClone(Owner owner) {
    // Everyone's: clones run in sandboxes, whose only way out is the egress proxy.
  }

  @Override
  public void checkDiskQuota(String owner) throws IOException, RefusedException {
    long used =
        disk.bytes(owner, List.of(homes.root().resolve(owner), workspaces.root().resolve(owner)));
    long limit = config.maxDiskMb() * 1024L * 1024L;
    if (used > limit) {
      throw RefusedException.conflict(
          "your home and workspaces hold "
              + used / (1024 * 1024)
              + " MiB, over the limit of "
              + config.maxDiskMb()
              + " MiB; delete files or workspaces first");
    }
  }

  @Override
  public void stopJobs() {
    jobs.stopAll();
  }

  @Override
  public void close() {
    egress.close();
    open.forEach(BubblewrapSession::close);
    try (Stream<Path> files = Files.walk(runtime)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "cleaning " + runtime + " up failed", e);
    }
  }

  /**
   * Proves that sandboxes work on this machine, as users will need them: a job runs in one, a
   * session's sandbox starts, and a program joins it.
   *
   * @throws IOException saying what failed
   */
  void probe() throws IOException {
    String prober = ".isolation-probe";
    Outcome made =
        run(
            prober,
            new Job(
                "making the probe's folder",
                folder -> List.of("mkdir", "-p", folder.resolve("probe").toString()),
                Map.of(),
                new byte[0],
                START_TIMEOUT));
    if (made.exitCode() != 0) {
      throw new IOException(made.errors().strip());
    }
    SessionSandbox session;
    try {
      session = openSession(new Owner(prober, false), workspaces.of(prober).resolve("probe"));
    } catch (RefusedException e) {
      throw new IOException(e.getMessage(), e);
    }
    try {
      Outcome joined =
          jobs.run(
              "joining a sandbox",
              session.command(List.of("true")),
              LAUNCHER_ENVIRONMENT,
              session.directory(),
              new byte[0],
              START_TIMEOUT);
      if (joined.exitCode() != 0) {
        throw new IOException("a program cannot join a sandbox: " + joined.errors().strip());
      }
    } finally {
      session.close();
    }
  }

  /**
   * Waits until the sandbox stands: its first process (the relay) listens inside. Returns that
   * process's pid. If the keeper exits first, what it printed is bwrap's complaint.
   */
  private static long awaitRelay(Process keeper) throws IOException {
    // Every process of the sandbox holds the pipe: it is read to its end, never left to fill.
    OutputTail output =
        OutputTail.of(keeper.getInputStream(), "sandbox-" + keeper.pid() + "-output");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        Optional<ProcessHandle> init = keeper.children().findFirst();
        if (init.isPresent() && listensInside(init.get().pid())) {
          return init.get().pid();
        }
        if (!keeper.isAlive()) {
          String said = output.text(1000);
          throw new IOException("the sandbox did not start" + (said.isEmpty() ? "" : ": " + said));
        }
        Thread.sleep(5);
      }
      throw new IOException("the sandbox did not start within " + START_TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting a sandbox");
    }
  }

  /** The folder {@code path} as {@code device:inode}, as stat prints it; not a link to one. */
  private static String folderId(Path path) throws IOException {
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(path + " is not a folder");
    }
    return Files.getAttribute(path, "unix:dev", LinkOption.NOFOLLOW_LINKS)
        + ":"
        + Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
  }

  /** Whether the relay listens in the network namespace of {@code pid}. */
  private static boolean listensInside(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "net", "tcp"))
          .contains(SandboxCommands.RELAY_LISTENING);
    } catch (IOException e) {
      return false;
    }
  }

  private Path homeOf(String owner, int uid) throws IOException {
    Path home = homes.of(owner);
    Ownership.claim(home, uid);
    return home;
  }

  private AccountFiles accountFiles(int uid) throws IOException {
    Path passwd = runtime.resolve("passwd-" + uid);
    Path group = runtime.resolve("group-" + uid);
    if (!Files.exists(passwd)) {
      write(
          "group-" + uid,
          "root:x:0:\n" + SandboxCommands.USER + ":x:" + uid + ":\nnogroup:x:65534:\n");
      write(
          "passwd-" + uid,
          "root:x:0:0:root:/root:/usr/sbin/nologin\n"
              + SandboxCommands.USER
              + ":x:"
              + uid
              + ":"
              + uid
              + ":Claude Code Cloud user:"
              + SandboxCommands.HOME
              + ":"
              + shell
              + "\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
    }
    return new AccountFiles(passwd, group, sshConfig);
  }

  /**
   * Where ssh reads its config folder ({@code /etc/ssh/ssh_config.d}), the sandboxes' own copy of
   * it: the machine's files and one more that sends ssh through the egress relay, so that {@code
   * git@github.com:…} clones work in a sandbox. Null where ssh reads no such folder.
   */
  private Path sshConfig(SandboxConfig config) throws IOException {
    Path machine = Path.of("/etc/ssh/ssh_config.d");
    if (!Files.isDirectory(machine) || !config.systemPaths().contains(Path.of("/etc"))) {
      return null;
    }
    Path copy = Files.createDirectories(runtime.resolve("ssh_config.d"));
    try (Stream<Path> files = Files.list(machine)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.copy(file, copy.resolve(file.getFileName()));
      }
    }
    // Last, so that what the machine's own files say wins.
    write(
        "ssh_config.d/zz-ccc-egress.conf",
        "# Claude Code Cloud: ssh reaches the internet through the sandbox's egress relay.\n"
            + "Host *\n"
            + "    ProxyCommand socat - PROXY:127.0.0.1:%h:%p,proxyport="
            + SandboxCommands.PROXY_PORT
            + "\n");
    Ownership.traversable(copy);
    return copy;
  }

  /** Writes a file every sandbox may read (mode 0644) into the runtime folder. */
  private Path write(String name, String content) throws IOException {
    Path file = runtime.resolve(name);
    Path partial = Files.createTempFile(file.getParent(), "partial", ".tmp");
    Files.writeString(partial, content, UTF_8);
    Files.setPosixFilePermissions(
        partial, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    Files.move(
        partial,
        file,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return file;
  }

  /**
   * Kills the sandboxes an earlier run left behind, e.g. after the service was killed: the outer
   * bwrap of every sandbox still running as a uid given to a user. Each takes its whole sandbox
   * with it; its terminals are gone anyway.
   */
  private void killLeftovers() {
    Set<Integer> uids = identities.allocated();
    if (uids.isEmpty()) {
      return;
    }
    List<ProcessHandle> leftovers;
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      leftovers = all.filter(process -> isSandboxOf(process.pid(), uids)).toList();
    }
    if (!leftovers.isEmpty()) {
      LOG.warning("killing " + leftovers.size() + " sandbox(es) left by an earlier run");
      leftovers.forEach(ProcessHandle::destroyForcibly);
    }
  }

  /** Whether {@code pid} is a bwrap running as one of {@code uids}. */
  private static boolean isSandboxOf(long pid, Set<Integer> uids) {
    Path process = Path.of("/proc", Long.toString(pid));
    try {
      if (!Files.readString(process.resolve("comm")).strip().equals("bwrap")) {
        return false;
      }
      for (String line : Files.readAllLines(process.resolve("status"))) {
        if (line.startsWith("Uid:")) {
          return uids.contains(Integer.parseInt(line.split("\\s+")[1]));
        }
      }
    } catch (IOException | RuntimeException e) {
      // Gone meanwhile.
    }
    return false;
  }

  /** Whether {@code pid} runs: it exists and is not a zombie waiting to be reaped. */
  private static boolean isRunning(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  /** A running session's sandbox: its outer bwrap, and the pid of its first process inside. */
  private final class BubblewrapSession implements SessionSandbox {
    private final String owner;
    private final int uid;
    private final Process keeper;
    private final long init;

    BubblewrapSession(String owner, int uid, Process keeper, long init) {
      this.owner = owner;
      this.uid = uid;
      this.keeper = keeper;
      this.init = init;
    }

    @Override
    public String owner() {
      return owner;
    }

    @Override
    public List<String> command(List<String> command) {
      return commands.enter(uid, init, command);
    }

    @Override
    public Path directory() {
      return Path.of("/");
    }

    @Override
    public Map<String, String> environment() {
      return SandboxCommands.environment();
    }

    @Override
    public void close() {
      open.remove(this);
      // bwrap's first process inside dies with the outer one (SIGKILL), and with it, as the first
      // process of its PID namespace, everything in the sandbox.
      keeper.destroyForcibly();
      // Polled: the JDK learns of the end of a process that is not its child only slowly.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (isRunning(init)) {
        if (System.nanoTime() > deadline) {
          LOG.warning("the sandbox of a session of " + owner + " outlived its keeper");
          return;
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
