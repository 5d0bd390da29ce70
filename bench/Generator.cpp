//===- Generator.cpp - Deterministic synthetic policies -------------------===//
#include "Generator.h"
#include <algorithm>
#include <cstdio>
#include <iterator>
#include <unordered_set>

namespace peapod::bench {

namespace {

// Top-level directories of a Debian system and how often rules name them.
// /opt is left out: transitions live there, so no path or dir-default rule
// ever covers a transition (AppArmor rejects ix and Px on one file).
const char *const Tops[] = {"usr", "etc", "var", "home", "srv", "lib",
                            "tmp", "run", "bin", "sbin", "dev", "sys",
                            "proc"};
const uint32_t TopWeights[] = {30, 15, 15, 10, 5, 5, 4, 4, 3, 2, 2, 3, 2};

// Second-level names by top-level directory.
const char *const UsrL2[] = {"lib", "share", "bin", "sbin", "local",
                             "include", "libexec", "lib64", "src", "games"};
const char *const EtcL2[] = {"ssl", "nginx", "apache2", "systemd", "default",
                             "cron.d", "pam.d", "security", "apt", "ssh",
                             "postfix", "mysql", "php", "logrotate.d",
                             "network", "profile.d", "sudoers.d", "xdg",
                             "fonts", "ca-certificates", "dbus-1", "udev"};
const char *const VarL2[] = {"lib", "log", "cache", "www", "spool", "tmp",
                             "mail", "backups", "opt", "local", "run"};
const char *const HomeL2[] = {"alice", "bob", "carol", "dave", "erin",
                              "frank", "grace", "heidi", "ivan", "judy",
                              "mallory", "oscar", "peggy", "trent", "victor",
                              "walter", "build", "deploy", "www-data", "git"};
const char *const SrvL2[] = {"www", "ftp", "git", "backup", "data", "media"};
const char *const LibL2[] = {"x86_64-linux-gnu", "systemd", "modules",
                             "firmware", "udev", "apparmor", "init"};
const char *const RunL2[] = {"systemd", "user", "lock", "dbus", "sshd",
                             "nginx", "php", "mysqld", "udev"};
const char *const DevL2[] = {"shm", "pts", "disk", "input", "snd", "dri",
                             "mapper", "net"};
const char *const SysL2[] = {"fs", "kernel", "devices", "class", "bus",
                             "module", "block", "firmware"};
const char *const ProcL2[] = {"sys", "net", "self", "irq", "driver", "fs",
                              "tty"};

// Directory names below the second level, most common first (the generator
// picks them with a skew, so prefixes are shared the way real trees share
// them).
const char *const Dirs[] = {
    "lib", "share", "x86_64-linux-gnu", "python3", "dist-packages", "doc",
    "conf.d", "bin", "include", "config", "data", "cache", "log", "modules",
    "site-packages", "perl5", "man", "man1", "man5", "man8", "locale",
    "en_US", "LC_MESSAGES", "icons", "hicolor", "48x48", "apps", "scalable",
    "mime", "packages", "private", "certs", "sites-available",
    "sites-enabled", "mods-available", "mods-enabled", "html", "static",
    "assets", "css", "js", "images", "fonts", "templates", "db", "tmp",
    "run", "state", "backups", "archive", "2022", "2023", "2024", "01", "02",
    "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "v1", "v2",
    "v3", "current", "releases", "shared", "node_modules", "src", "vendor",
    "build", "dist", "test", "tests", "examples", "plugins", "extensions",
    "themes", "uploads", "media", "users", "groups", "keys", "tokens",
    "sessions", "queue", "incoming", "outgoing", "spool", "journal", "gnupg",
    ".config", ".cache", ".local", ".ssh", ".mozilla", "Documents",
    "Downloads", "Pictures", "Music", "projects", "work", "notes", "mail",
    "Maildir", "cur", "new", "system", "user", "services", "sockets",
    "timers", "network", "security", "policy", "rules", "hooks", "scripts",
    "tools", "util", "common", "core", "api", "internal", "pkg", "cmd",
    "lib64", "gcc", "12", "debug", ".build-id", "zoneinfo", "Europe",
    "America", "Asia", "terminfo", "applications", "pixmaps", "dbus-1",
    "polkit-1", "systemd", "udev", "apparmor.d", "bash-completion",
    "completions", "zsh", "vim", "vim90", "syntax", "ftplugin", "autoload",
    "nginx", "apache2", "php", "8.2", "mysql", "postgresql", "15", "main",
    "base", "global", "pg_wal", "redis", "rabbitmq", "mnesia", "git",
    "objects", "refs", "heads", "tags", "info", "pack", "ssl", "openssl",
    "ca-certificates", "mozilla", "java", "jvm", "openjdk-17", "jre",
    "classes", "go", "pkgs", "mod", "rust", "cargo", "registry", "index",
    "crates", "npm", "yarn", "pip", "wheels", "locales", "translations",
    "fr", "de", "es", "ja", "zh_CN", "ru", "pt_BR", "it", "nl", "sv", "pl"};

const char *const Stems[] = {
    "libc", "libssl", "libcrypto", "libz", "libm", "libpthread", "libdl",
    "libstdc++", "libgcc_s", "libpcre2-8", "libselinux", "libacl", "libattr",
    "libcap", "libsystemd", "libdbus-1", "libexpat", "libffi", "libgmp",
    "config", "settings", "index", "main", "app", "server", "client",
    "default", "local", "access", "error", "debug", "messages", "syslog",
    "auth", "daemon", "kern", "passwd", "group", "shadow", "hosts",
    "resolv", "nsswitch", "fstab", "crontab", "profile", "bashrc",
    "environment", "README", "LICENSE", "CHANGELOG", "copyright", "Makefile",
    "setup", "__init__", "utils", "models", "views", "routes", "schema",
    "style", "script", "logo", "favicon", "report", "invoice", "backup",
    "dump", "cert", "key", "chain", "fullchain", "privkey", "known_hosts",
    "authorized_keys", "id_ed25519", "history", "cookies", "places",
    "prefs", "state", "lock", "pid", "socket", "cache", "journal"};

const char *const Exts[] = {
    "", ".so", ".so.1", ".so.6", ".so.3", ".conf", ".cfg", ".ini", ".json",
    ".yaml", ".xml", ".txt", ".log", ".gz", ".py", ".pyc", ".pl", ".pm",
    ".sh", ".html", ".css", ".js", ".png", ".svg", ".mo", ".pem", ".crt",
    ".key", ".db", ".sqlite", ".pid", ".sock", ".lock", ".service", ".1.gz",
    ".h", ".c", ".a", ".mk", ".md"};

const char *const Apps[] = {"acme", "billing", "crm", "etl", "gitlab",
                            "grafana", "jenkins", "kafka", "metabase",
                            "nextcloud", "odoo", "prometheus", "sentry",
                            "vault", "zabbix", "mattermost"};
const char *const Tools[] = {"run", "worker", "migrate", "backup", "cli",
                             "daemon", "helper", "import", "export", "sync",
                             "report", "indexer", "scheduler", "agent"};

template <size_t N> constexpr uint32_t count(const char *const (&)[N]) {
  return N;
}

uint64_t splitmix(uint64_t &X) {
  uint64_t Z = (X += 0x9e3779b97f4a7c15ULL);
  Z = (Z ^ (Z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  Z = (Z ^ (Z >> 27)) * 0x94d049bb133111ebULL;
  return Z ^ (Z >> 31);
}

uint64_t rotl(uint64_t X, int K) { return (X << K) | (X >> (64 - K)); }

} // namespace

Generator::Generator(GenOptions O) : Opts(O) {
  if (Opts.MaxDepth < 2)
    Opts.MaxDepth = 2;
  if (Opts.Peas == 0)
    Opts.Peas = 1;
  uint64_t X = Opts.Seed;
  for (uint64_t &S : State)
    S = splitmix(X);
}

// xoshiro256**.
uint64_t Generator::next() {
  uint64_t Result = rotl(State[1] * 5, 7) * 9;
  uint64_t T = State[1] << 17;
  State[2] ^= State[0];
  State[3] ^= State[1];
  State[1] ^= State[2];
  State[0] ^= State[3];
  State[2] ^= T;
  State[3] = rotl(State[3], 45);
  return Result;
}

uint32_t Generator::below(uint32_t N) {
  return uint32_t(((next() >> 32) * uint64_t(N)) >> 32);
}

uint32_t Generator::weighted(const uint32_t *W, size_t N) {
  uint32_t Total = 0;
  for (size_t I = 0; I < N; ++I)
    Total += W[I];
  uint32_t R = below(Total);
  for (size_t I = 0; I < N; ++I) {
    if (R < W[I])
      return uint32_t(I);
    R -= W[I];
  }
  return uint32_t(N - 1);
}

// min of two uniforms: P(k) falls linearly from 2/N at 0 to 0 at N.
uint32_t Generator::zipf(uint32_t N) {
  uint32_t A = below(N), B = below(N);
  return A < B ? A : B;
}

std::string Generator::component(unsigned Level, const std::string &Top) {
  if (Level == 2) {
#define PICK(Arr) return Arr[zipf(count(Arr))]
    if (Top == "usr") PICK(UsrL2);
    if (Top == "etc") PICK(EtcL2);
    if (Top == "var") PICK(VarL2);
    if (Top == "home") PICK(HomeL2);
    if (Top == "srv") PICK(SrvL2);
    if (Top == "lib") PICK(LibL2);
    if (Top == "run") PICK(RunL2);
    if (Top == "dev") PICK(DevL2);
    if (Top == "sys") PICK(SysL2);
    if (Top == "proc") PICK(ProcL2);
#undef PICK
  }
  return Dirs[zipf(count(Dirs))];
}

std::string Generator::fileName() {
  std::string Name = Stems[below(count(Stems))];
  if (below(3) == 0) {
    Name += '-'; // (not "-" + to_string: GCC 12 -O3 -Wrestrict false positive)
    Name += std::to_string(below(1000));
  }
  Name += Exts[below(count(Exts))];
  return Name;
}

unsigned Generator::depth(unsigned Min, unsigned Max) {
  // Depths 2..10 as real rule sets have them: mostly 3-6, a tail to 10.
  static const uint32_t W[] = {0, 0, 4, 12, 18, 18, 15, 12, 9, 6, 6};
  if (Max > 10) {
    // Beyond 10 (an explicit --depth): flat tail.
    if (below(10) == 0)
      return 11 + below(Max - 10);
    Max = 10;
  }
  if (Min > Max)
    Min = Max;
  uint32_t Local[11] = {};
  for (unsigned D = Min; D <= Max; ++D)
    Local[D] = W[D];
  return weighted(Local, Max + 1);
}

std::string Generator::path(unsigned Depth, bool File) {
  std::string Top = Tops[weighted(TopWeights, count(Tops))];
  std::string P = "/" + Top;
  for (unsigned L = 2; L <= Depth; ++L) {
    P += '/';
    P += File && L == Depth ? fileName() : component(L, Top);
  }
  return P;
}

std::string Generator::peaName(uint32_t Index) {
  char Buf[32];
  std::snprintf(Buf, sizeof Buf, "pea%04u", Index);
  return Buf;
}

std::vector<GenRule> Generator::pea(uint32_t Index) {
  uint64_t N = Opts.Rules / Opts.Peas + (Index < Opts.Rules % Opts.Peas);
  std::vector<GenRule> Rules;
  Rules.reserve(N);
  std::unordered_set<std::string> Seen; // every path of the pea, any kind
  auto Unique = [&](std::string P) {
    if (Seen.insert(P).second)
      return P;
    for (uint32_t K = 2;; ++K) {
      std::string Q = P;
      Q += '-';
      Q += std::to_string(K);
      if (Seen.insert(Q).second)
        return Q;
    }
  };

  // path, dir-default, transition, outgoing, bind, namespace
  static const uint32_t KindW[] = {70, 20, 3, 3, 2, 2};
  // read, rw, rx, rwx, w, x, deny, allow
  static const uint8_t PathAcc[] = {4, 6, 5, 7, 2, 1, 0, 7};
  static const uint32_t PathAccW[] = {45, 20, 18, 2, 4, 2, 8, 1};
  static const uint8_t DirAcc[] = {4, 6, 5, 0, 7};
  static const uint32_t DirAccW[] = {50, 22, 10, 15, 3};
  static const char *const TcpPorts[] = {"tcp/80", "tcp/443", "tcp/22",
                                         "tcp/25", "tcp/5432", "tcp/3306",
                                         "tcp/6379", "tcp/8000-8080",
                                         "tcp/9090-9100", "tcp/587"};
  static const char *const UdpPorts[] = {"udp/53", "udp/123", "udp/514",
                                         "udp/5353", "udp/60000-61000"};

  for (uint64_t I = 0; I < N; ++I) {
    GenRule R{};
    GenKind K = GenKind(weighted(KindW, 6));
    if (Opts.Peas == 1 &&
        (K == GenKind::Transition || K == GenKind::Namespace))
      K = GenKind::Path;
    R.Kind = K;
    switch (K) {
    case GenKind::Path: {
      size_t A = weighted(PathAccW, std::size(PathAccW));
      R.Access = PathAcc[A];
      R.AllowWord = A == std::size(PathAcc) - 1;
      R.Path = Unique(path(depth(2, Opts.MaxDepth), /*File=*/true));
      break;
    }
    case GenKind::DirDefault: {
      size_t A = weighted(DirAccW, std::size(DirAccW));
      R.Access = DirAcc[A];
      R.AllowWord = A == std::size(DirAcc) - 1;
      unsigned Max = Opts.MaxDepth > 2 ? Opts.MaxDepth - 1 : 2;
      R.Path = Unique(path(depth(2, Max), /*File=*/false));
      break;
    }
    case GenKind::Transition: {
      R.Path = Unique(std::string("/opt/") + Apps[below(count(Apps))] +
                      "/bin/" + Tools[below(count(Tools))]);
      // Another pea, chosen by the path so one path never has two targets.
      uint64_t H = 1469598103934665603ULL;
      for (char C : R.Path)
        H = (H ^ uint8_t(C)) * 1099511628211ULL;
      R.Target = uint32_t(H % (Opts.Peas - 1));
      if (R.Target >= Index)
        ++R.Target;
      break;
    }
    case GenKind::Outgoing:
    case GenKind::Bind: {
      unsigned Specs = 1 + below(3);
      std::vector<const char *> Used;
      for (unsigned S = 0; S < Specs; ++S) {
        const char *Spec = below(4) ? TcpPorts[below(count(TcpPorts))]
                                    : UdpPorts[below(count(UdpPorts))];
        if (std::find(Used.begin(), Used.end(), Spec) != Used.end())
          continue; // a repeated port would draw a warning
        Used.push_back(Spec);
        if (!R.Net.empty())
          R.Net += ", ";
        R.Net += Spec;
      }
      break;
    }
    case GenKind::Namespace:
      if (below(10) == 0) {
        R.Global = true;
      } else {
        R.Target = below(Opts.Peas - 1);
        if (R.Target >= Index)
          ++R.Target;
      }
      break;
    }
    Rules.push_back(std::move(R));
  }
  return Rules;
}

std::string peapodAccess(const GenRule &R) {
  if (R.Access == 0)
    return "deny";
  if (R.AllowWord)
    return "allow";
  std::string S;
  auto Add = [&](const char *W) {
    if (!S.empty())
      S += ", ";
    S += W;
  };
  if (R.Access & 4)
    Add("read");
  if (R.Access & 2)
    Add("write");
  if (R.Access & 1)
    Add("execute");
  return S;
}

std::string apparmorPerms(uint8_t Mask) {
  std::string S;
  if (Mask & 4)
    S += 'r';
  if (Mask & 2)
    S += 'w';
  if (Mask & 1)
    S += "ix";
  return S;
}

void writePeaPod(Generator &G, std::ostream &OS) {
  const GenOptions &O = G.options();
  OS << "# peapod-gen --rules " << O.Rules << " --peas " << O.Peas
     << " --seed " << O.Seed << " --depth " << O.MaxDepth << "\n";
  OS << "pod bench {\n";
  std::string Buf;
  for (uint32_t P = 0; P < O.Peas; ++P) {
    Buf.clear();
    Buf += "  pea " + Generator::peaName(P) + " {\n";
    for (const GenRule &R : G.pea(P)) {
      Buf += "    ";
      switch (R.Kind) {
      case GenKind::Path:
        Buf += "path " + R.Path + " " + peapodAccess(R);
        break;
      case GenKind::DirDefault:
        Buf += "dir-default " + R.Path + " " + peapodAccess(R);
        break;
      case GenKind::Transition:
        Buf += "transition " + R.Path + " " + Generator::peaName(R.Target);
        break;
      case GenKind::Outgoing:
        Buf += "outgoing " + R.Net;
        break;
      case GenKind::Bind:
        Buf += "bind " + R.Net;
        break;
      case GenKind::Namespace:
        Buf += "namespace " +
               (R.Global ? std::string("global") : Generator::peaName(R.Target));
        break;
      }
      Buf += '\n';
    }
    Buf += "  }\n";
    OS << Buf;
  }
  OS << "}\n";
}

void writeAppArmor(Generator &G, std::ostream &OS) {
  const GenOptions &O = G.options();
  OS << "# peapod-gen --apparmor --rules " << O.Rules << " --peas " << O.Peas
     << " --seed " << O.Seed << " --depth " << O.MaxDepth << "\n";
  OS << "# One profile per pea of pod 'bench'. path P -> P; dir-default D ->\n"
        "# D/**; read r, write w, execute ix; deny -> deny ... rwx;\n"
        "# transition -> Px -> PEA; outgoing/bind -> network inet\n"
        "# stream/dgram (AppArmor has no ports); namespace -> signal+ptrace.\n";
  std::string Buf;
  for (uint32_t P = 0; P < O.Peas; ++P) {
    Buf.clear();
    Buf += "profile bench_" + Generator::peaName(P) + " {\n";
    for (const GenRule &R : G.pea(P)) {
      Buf += "  ";
      switch (R.Kind) {
      case GenKind::Path:
      case GenKind::DirDefault: {
        std::string Target =
            R.Kind == GenKind::Path ? R.Path : R.Path + "/**";
        if (R.Access == 0)
          Buf += "deny " + Target + " rwx,";
        else
          Buf += Target + " " + apparmorPerms(R.Access) + ",";
        break;
      }
      case GenKind::Transition:
        Buf += R.Path + " Px -> bench_" + Generator::peaName(R.Target) + ",";
        break;
      case GenKind::Outgoing:
      case GenKind::Bind: {
        bool Tcp = R.Net.find("tcp") != std::string::npos;
        bool Udp = R.Net.find("udp") != std::string::npos;
        if (Tcp)
          Buf += "network inet stream,";
        if (Tcp && Udp)
          Buf += " ";
        if (Udp)
          Buf += "network inet dgram,";
        break;
      }
      case GenKind::Namespace:
        if (R.Global)
          Buf += "signal, ptrace,";
        else
          Buf += "signal peer=bench_" + Generator::peaName(R.Target) +
                 ", ptrace peer=bench_" + Generator::peaName(R.Target) + ",";
        break;
      }
      Buf += '\n';
    }
    Buf += "}\n";
    OS << Buf;
  }
}

} // namespace peapod::bench
