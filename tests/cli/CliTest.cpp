//===- CliTest.cpp - peapodc's command line: exit codes, files, output ----===//
#include "CliTest.h"
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

using namespace peapod::cli_test;

TEST_CASE("compiling writes an image and exits 0", "[cli]") {
  TempDir T;
  std::string Policy = T.write("mail.pea", Mail);
  // The analyzer's warnings are tests/analyzer's business.
  Run R = peapodc({Policy, "-o", T / "mail.bin", "--no-analyze"});
  CHECK(R.Status == 0);
  CHECK(R.Err.empty());
  REQUIRE(fs::exists(T / "mail.bin"));
  CHECK(fs::file_size(T / "mail.bin") > 0);
}

TEST_CASE("compiling is deterministic", "[cli]") {
  TempDir T;
  std::string Policy = T.write("mail.pea", Mail);
  REQUIRE(peapodc({Policy, "-o", T / "a.bin"}).Status == 0);
  REQUIRE(peapodc({Policy, "-o", T / "b.bin"}).Status == 0);
  CHECK(readFile(T / "a.bin") == readFile(T / "b.bin"));
}

TEST_CASE("a policy with errors exits 1 and writes nothing", "[cli]") {
  TempDir T;
  std::string Policy = T.write("broken.pea", Broken);
  Run R = peapodc({Policy, "-o", T / "out.bin"});
  CHECK(R.Status == 1);
  CHECK_FALSE(fs::exists(T / "out.bin"));
  CHECK(R.Err.find("broken.pea:3:23: error: unknown pea 'procmal' in pod 'p' "
                   "[E301]") != std::string::npos);
  CHECK(R.Err.find("did you mean 'procmail'?") != std::string::npos);
  CHECK(R.Err.find("broken.pea:4:10: error: path 'relative' is not absolute "
                   "[E101]") != std::string::npos);
  CHECK(R.Err.find("2 errors generated.") != std::string::npos);
  // No temporary file is left behind either.
  for (const auto &E : fs::directory_iterator(T.Path))
    CHECK(E.path().filename() == "broken.pea");
}

TEST_CASE("a policy with errors leaves an existing output untouched", "[cli]") {
  TempDir T;
  std::string Policy = T.write("broken.pea", Broken);
  T.write("out.bin", "previous contents");
  CHECK(peapodc({Policy, "-o", T / "out.bin"}).Status == 1);
  CHECK(readFile(T / "out.bin") == "previous contents");
}

TEST_CASE("usage and I/O errors exit 2", "[cli]") {
  TempDir T;
  std::string Policy = T.write("mail.pea", Mail);
  CHECK(peapodc({}).Status == 2);
  CHECK(peapodc({T / "missing.pea", "-o", T / "x.bin"}).Status == 2);
  CHECK_FALSE(fs::exists(T / "x.bin"));
  CHECK(peapodc({Policy, "--bogus"}).Status == 2);
  CHECK(peapodc({Policy, "-o"}).Status == 2);
  CHECK(peapodc({Policy, "--target", "elf"}).Status == 2);
  CHECK(peapodc({Policy, "-o", T / "no/such/dir/out.bin"}).Status == 2);
  CHECK(peapodc({"check"}).Status == 2);
  CHECK(peapodc({"check", Policy, "--format", "xml"}).Status == 2);
  CHECK(peapodc({"dump"}).Status == 2);
  CHECK(peapodc({"dump", Policy}).Status == 2);
  CHECK(peapodc({"query", Policy, "--pea", "sendmail"}).Status == 2);
}

TEST_CASE("an option without its value is named", "[cli]") {
  TempDir T;
  std::string Policy = T.write("mail.pea", Mail);
  for (const char *Option : {"-o", "-I", "--stdrules", "--target"}) {
    Run R = peapodc({Policy, Option});
    CHECK(R.Status == 2);
    CHECK(R.Err == std::string("peapodc: error: option '") + Option +
                       "' requires a value\n");
  }
  CHECK(peapodc({"query", Policy, "--pod"}).Err ==
        "peapodc: error: option '--pod' requires a value\n");
}

TEST_CASE("an unreadable file reports the path and the reason", "[cli]") {
  TempDir T;
  Run R = peapodc({"check", T / "missing.pea"});
  CHECK(R.Status == 2);
  CHECK(R.Err.find("cannot read '" + (T / "missing.pea") +
                   "': No such file or directory [E901]") != std::string::npos);
}

TEST_CASE("help and version", "[cli]") {
  for (std::vector<std::string> Args :
       {std::vector<std::string>{"--help"}, {"-h"}, {"help"}}) {
    Run R = peapodc(Args);
    CHECK(R.Status == 0);
    CHECK(R.Out.find("SYNOPSIS") != std::string::npos);
    CHECK(R.Out.find("EXIT STATUS") != std::string::npos);
  }
  for (const char *Command : {"check", "query", "dump"}) {
    Run R = peapodc({Command, "--help"});
    CHECK(R.Status == 0);
    CHECK(R.Out.find(std::string("peapodc ") + Command) != std::string::npos);
    CHECK(peapodc({"help", Command}).Out == R.Out);
  }
  Run V = peapodc({"--version"});
  CHECK(V.Status == 0);
  CHECK(V.Out.rfind("peapodc ", 0) == 0);
}

TEST_CASE("check prints diagnostics as JSON", "[cli]") {
  TempDir T;
  std::string Policy = T.write("broken.pea", Broken);
  Run R = peapodc({"check", Policy, "--format", "json"});
  CHECK(R.Status == 1);
  nlohmann::json J = nlohmann::json::parse(R.Out);
  REQUIRE(J["files"].size() == 1);
  const auto &F = J["files"][0];
  CHECK(F["errors"] == 2);
  // Parse errors come first, then the checks after lowering.
  REQUIRE(F["diagnostics"].size() == 2);
  CHECK(F["diagnostics"][0]["id"] == "E101");
  const auto &D = F["diagnostics"][1];
  CHECK(D["id"] == "E301");
  CHECK(D["name"] == "unknown-pea");
  CHECK(D["severity"] == "error");
  CHECK(D["line"] == 3);
  CHECK(D["column"] == 23);
  CHECK(D["endColumn"] == 30);
  REQUIRE(D["notes"].size() == 1);
  CHECK(D["notes"][0]["message"] == "did you mean 'procmail'?");
}

TEST_CASE("colours only when asked or on a terminal", "[cli]") {
  TempDir T;
  std::string Policy = T.write("broken.pea", Broken);
  CHECK(peapodc({"check", Policy}).Err.find('\x1b') == std::string::npos);
  CHECK(peapodc({"check", Policy, "--color=always"}).Err.find('\x1b') !=
        std::string::npos);
  CHECK(peapodc({"check", Policy}, /*Colors=*/true).Err.find('\x1b') !=
        std::string::npos);
  CHECK(peapodc({"check", Policy, "--color", "never"}, true).Err.find('\x1b') ==
        std::string::npos);
}

TEST_CASE("query answers identically from source and from the image",
          "[cli][query]") {
  TempDir T;
  std::string Policy = T.write("mail.pea", Mail);
  REQUIRE(peapodc({Policy, "-o", T / "mail.bin"}).Status == 0);
  std::vector<std::string> Ask = {
      "--pod",     "mail-delivery", "--pea",           "sendmail",
      "/etc/passwd", "/etc/",       "/",               "/usr/",
      "/usr/bin/procmail", "/var/spool/mqueue/x/", "/root/.ssh/id_rsa",
      "--exec",    "/usr/bin/procmail", "--exec",       "/bin/sh",
      "--bind",    "tcp/25",        "--bind",          "tcp/26",
      "--connect", "udp/53",        "--touch",         "procmail",
      "--touch",   "sendmail"};
  for (const char *Format : {"json", "text"}) {
    std::vector<std::string> FromSource = {"query", Policy, "--format", Format};
    std::vector<std::string> FromImage = {"query", T / "mail.bin", "--format",
                                          Format};
    FromSource.insert(FromSource.end(), Ask.begin(), Ask.end());
    FromImage.insert(FromImage.end(), Ask.begin(), Ask.end());
    Run S = peapodc(FromSource), I = peapodc(FromImage);
    CHECK(S.Status == 0);
    CHECK(I.Status == 0);
    CHECK(S.Out == I.Out);
  }
}

TEST_CASE("query JSON has the documented shape", "[cli][query]") {
  TempDir T;
  std::string Policy = T.write("mail.pea", Mail);
  Run R = peapodc({"query", Policy, "--pod", "mail-delivery", "--pea",
                   "sendmail", "--format", "json", "/etc/passwd", "/usr/",
                   "--exec", "/usr/bin/procmail", "--bind", "tcp/25",
                   "--connect", "tcp/80", "--touch", "procmail"});
  REQUIRE(R.Status == 0);
  nlohmann::json J = nlohmann::json::parse(R.Out);
  CHECK(J["pod"] == "mail-delivery");
  CHECK(J["pea"] == "sendmail");
  CHECK(J["paths"][0] == nlohmann::json::parse(
                             R"({"path":"/etc/passwd","kind":"file","access":"r--",
          "rule":{"kind":"dir-default","path":"/etc","file":"mail.pea","line":4}})"));
  CHECK(J["paths"][1]["kind"] == "directory");
  CHECK(J["paths"][1]["access"] == "--x");
  CHECK(J["paths"][1]["rule"]["kind"] == "implicit");
  CHECK(J["exec"][0]["allowed"] == true);
  CHECK(J["exec"][0]["pea"] == "procmail");
  CHECK(J["exec"][0]["transition"]["line"] == 7);
  CHECK(J["bind"][0] == nlohmann::json::parse(R"({"spec":"tcp/25","allowed":true})"));
  CHECK(J["connect"][0]["allowed"] == true);
  CHECK(J["touch"][0] == nlohmann::json::parse(R"({"pea":"procmail","allowed":false})"));
}

TEST_CASE("query rejects unknown names and relative paths", "[cli][query]") {
  TempDir T;
  std::string Policy = T.write("mail.pea", Mail);
  Run R = peapodc({"query", Policy, "--pod", "mail-delivery", "--pea",
                   "sendmial", "/etc/passwd"});
  CHECK(R.Status == 2);
  CHECK(R.Err.find("did you mean 'sendmail'?") != std::string::npos);
  CHECK(peapodc({"query", Policy, "--pod", "mail", "--pea", "sendmail"})
            .Status == 2);
  CHECK(peapodc({"query", Policy, "--pod", "mail-delivery", "--pea",
                 "sendmail", "etc/passwd"})
            .Status == 2);
  CHECK(peapodc({"query", Policy, "--pod", "mail-delivery", "--pea",
                 "sendmail", "--bind", "tcp/0"})
            .Status == 2);
  CHECK(peapodc({"query", Policy, "--pod", "mail-delivery", "--pea",
                 "sendmail", "--touch", "nobody"})
            .Status == 2);
}

TEST_CASE("query of a policy with errors exits 1", "[cli][query]") {
  TempDir T;
  std::string Policy = T.write("broken.pea", Broken);
  CHECK(peapodc({"query", Policy, "--pod", "p", "--pea", "a", "/x"}).Status ==
        1);
}

TEST_CASE("dump prints a verified image as JSON", "[cli]") {
  TempDir T;
  std::string Policy = T.write("mail.pea", Mail);
  REQUIRE(peapodc({Policy, "-o", T / "mail.bin"}).Status == 0);
  Run R = peapodc({"dump", T / "mail.bin"});
  REQUIRE(R.Status == 0);
  CHECK_NOTHROW(nlohmann::json::parse(R.Out));
  CHECK(R.Out.find("procmail") != std::string::npos);
  // One flipped byte: the digest no longer matches.
  std::string Bytes = readFile(T / "mail.bin");
  Bytes[Bytes.size() - 1] ^= 0x40;
  std::ofstream(T / "bad.bin", std::ios::binary) << Bytes;
  Run Bad = peapodc({"dump", T / "bad.bin"});
  CHECK(Bad.Status == 2);
  CHECK_FALSE(Bad.Err.empty());
}

TEST_CASE("the installed binary's exit codes", "[cli][process]") {
  TempDir T;
  std::string Policy = T.write("broken.pea", Broken);
  std::string Bin = PEAPOD_BINARY_DIR "/bin/peapodc";
  auto Status = [&](const std::string &Args) {
    int Raw = std::system((Bin + " " + Args + " >/dev/null 2>&1").c_str());
    return WIFEXITED(Raw) ? WEXITSTATUS(Raw) : -1;
  };
  CHECK(Status("--version") == 0);
  CHECK(Status(Policy + " -o " + (T / "o.bin")) == 1);
  CHECK(Status("") == 2);
  CHECK_FALSE(fs::exists(T / "o.bin"));
}

TEST_CASE("query JSON escapes bytes that are not UTF-8", "[cli][query][utf8]") {
  TempDir T;
  // A path rule whose path is not UTF-8, and a query path that is not either.
  std::string Policy =
      T.write("latin1.pea", "pod p { pea a {\n  path \"/caf\xe9\" read\n} }\n");
  REQUIRE(peapodc({Policy, "-o", T / "latin1.bin"}).Status == 0);
  for (const std::string &From : {Policy, T / "latin1.bin"}) {
    INFO(From);
    Run R = peapodc({"query", From, "--pod", "p", "--pea", "a", "--format",
                     "json", "/caf\xe9", "/\xff\xfe/", "--exec", "/caf\xe9"});
    REQUIRE(R.Status == 0);
    nlohmann::json J;
    REQUIRE_NOTHROW(J = nlohmann::json::parse(R.Out));
    CHECK(J["paths"][0]["path"] == "/caf\\xe9");
    CHECK(J["paths"][0]["access"] == "r--");
    CHECK(J["paths"][0]["rule"]["path"] == "/caf\\xe9");
    CHECK(J["paths"][1]["path"] == "/\\xff\\xfe/");
    CHECK(J["exec"][0]["path"] == "/caf\\xe9");
    CHECK(J["exec"][0]["rule"]["path"] == "/caf\\xe9");
  }
}

TEST_CASE("check JSON escapes a file name that is not UTF-8",
          "[cli][check][utf8]") {
  TempDir T;
  std::string Policy = T.write("caf\xe9.pea", "pod p { pea a { } }\n");
  Run R = peapodc({"check", "--format", "json", Policy});
  REQUIRE(R.Status == 0);
  nlohmann::json J;
  REQUIRE_NOTHROW(J = nlohmann::json::parse(R.Out));
  CHECK(J["files"][0]["file"] == T / "caf\\xe9.pea");
}

// Once nlohmann's type_error 316 (exit 134); the renderer in compiler/
// escapes messages and file names now.
TEST_CASE("check JSON of a diagnostic that quotes non-UTF-8 bytes",
          "[cli][check][utf8]") {
  TempDir T;
  std::string Policy =
      T.write("caf\xe9.pea", "pod p { pea a {\n  path \"rel\xff\" read\n} }\n");
  Run R;
  REQUIRE_NOTHROW(R = peapodc({"check", "--format", "json", Policy}));
  CHECK(R.Status == 1);
  nlohmann::json J;
  REQUIRE_NOTHROW(J = nlohmann::json::parse(R.Out));
  const auto &D = J["files"][0]["diagnostics"][0];
  CHECK(D["id"] == "E101");
  CHECK(D["message"] == "path 'rel\\xff' is not absolute");
  CHECK(D["file"] == T / "caf\\xe9.pea");
}

TEST_CASE("query text never sends control characters to the terminal",
          "[cli][query][escape]") {
  TempDir T;
  // An escape sequence in a rule's path, in the policy's file name, and in
  // a path asked about; spaces in another.
  std::string Policy = T.write(
      "evil\x1b]0;title\x07.pea",
      "pod p { pea a {\n  path \"/x\x1b[2J\" read\n  path \"/a b\" read\n"
      "  transition \"/bin/\x1b[31m\" b\n  dir-default /bin execute\n}\n"
      "pea b { } }\n");
  Run R =
      peapodc({"query", Policy, "--pod", "p", "--pea", "a", "/x\x1b[2J", "/a b",
               "/\x9b"
               "31m",
               "--exec", "/bin/\x1b[31m"});
  REQUIRE(R.Status == 0);
  CHECK(R.Out.find('\x1b') == std::string::npos);
  CHECK(R.Out.find('\x07') == std::string::npos);
  CHECK(R.Out.find("\x9b") == std::string::npos);
  CHECK(R.Out ==
        "pod p, pea a\n"
        "  r--  \"/x\\x1b[2J\"  [path \"/x\\x1b[2J\" "
        "(evil\\x1b]0;title\\x07.pea:2)]\n"
        "  r--  \"/a b\"  [path \"/a b\" (evil\\x1b]0;title\\x07.pea:3)]\n"
        "  ---  \"/\\x9b31m\"  [default deny: no rule covers it]\n"
        "  exec \"/bin/\\x1b[31m\": allowed, runs in pea b "
        "[transition \"/bin/\\x1b[31m\" "
        "(evil\\x1b]0;title\\x07.pea:4)]\n");
  // Error messages quote what they were given, escaped too.
  Run U = peapodc({"query", Policy, "--pod", "\x1b[31mp", "--pea", "a", "/x"});
  CHECK(U.Status == 2);
  CHECK(U.Err == "peapodc: error: no pod '\\x1b[31mp'\n");
}

TEST_CASE("a rule group is checked, but not compiled or queried",
          "[cli][rules]") {
  TempDir T;
  std::string Group = T.write("x.rules", "path /x read\n");
  Run C = peapodc({Group, "-o", T / "x.bin"});
  CHECK(C.Status == 2);
  CHECK(C.Err == "peapodc: error: '" + Group +
                     "' is a rule group, not a policy: include it from a pea "
                     "(include \"x\"), or check it with 'peapodc check " +
                     Group + "'\n");
  CHECK_FALSE(fs::exists(T / "x.bin"));
  CHECK(peapodc({"check", Group}).Status == 0);
  std::string BadGroup = T.write("bad.rules", "pod p { }\n");
  Run B = peapodc({"check", BadGroup});
  CHECK(B.Status == 1);
  CHECK(B.Err.find("[E307]") != std::string::npos);
  Run Q = peapodc({"query", Group, "--pod", "p", "--pea", "a", "/x"});
  CHECK(Q.Status == 2);
  CHECK(Q.Err.find("is a rule group, not a policy") != std::string::npos);
}

TEST_CASE("query with no question says what it can ask", "[cli][query]") {
  TempDir T;
  std::string Policy = T.write("mail.pea", Mail);
  Run R =
      peapodc({"query", Policy, "--pod", "mail-delivery", "--pea", "sendmail"});
  CHECK(R.Status == 2);
  CHECK(R.Out.empty());
  CHECK(R.Err == "peapodc: error: nothing to ask: give a PATH, --exec PATH, "
                 "--bind PROTO/PORT, --connect PROTO/PORT or --touch PEA (see "
                 "peapodc query --help)\n");
}

TEST_CASE("unknown options point to the command's own help", "[cli]") {
  TempDir T;
  std::string Policy = T.write("mail.pea", Mail);
  for (std::vector<std::string> Args :
       {std::vector<std::string>{"check", Policy, "-o", T / "x.bin"},
        {"check", Policy, "-o"},
        {"check", Policy, "-ox.bin"}}) {
    Run R = peapodc(Args);
    CHECK(R.Status == 2);
    CHECK(R.Err == "peapodc: error: check writes no file and takes no -o; to "
                   "compile, run 'peapodc POLICY -o FILE' (see peapodc check "
                   "--help)\n");
  }
  CHECK_FALSE(fs::exists(T / "x.bin"));
  CHECK(
      peapodc({"check", Policy, "--bogus"}).Err ==
      "peapodc: error: unknown option '--bogus' (see peapodc check --help)\n");
  CHECK(
      peapodc({"query", Policy, "--bogus"}).Err ==
      "peapodc: error: unknown option '--bogus' (see peapodc query --help)\n");
  CHECK(peapodc({"dump", "--bogus"}).Err ==
        "peapodc: error: unknown option '--bogus' (see peapodc dump --help)\n");
  CHECK(peapodc({Policy, "--bogus"}).Err ==
        "peapodc: error: unknown option '--bogus' (see peapodc --help)\n");
  CHECK(peapodc({Policy, "-o", ""}).Status == 2);
}

TEST_CASE("the manuals describe inputs, outputs and exit codes",
          "[cli][help]") {
  std::string Main = peapodc({"--help"}).Out;
  for (const char *Part : {"-o -", "standard input", "standard output", "1 GiB",
                           "PEAPODIM", "symbolic link", "same file as an input",
                           "rule group", "terminal", "EXIT STATUS", "FILES"})
    CHECK_THAT(Main, Catch::Contains(Part));
  for (const char *Command : {"check", "query", "dump", "show"}) {
    INFO(Command);
    std::string Page = peapodc({Command, "--help"}).Out;
    CHECK_THAT(Page, Catch::Contains("EXIT STATUS"));
    CHECK_THAT(Page, Catch::Contains("-"));
    CHECK_THAT(Page, Catch::Contains("1 GiB"));
  }
  CHECK_THAT(peapodc({"check", "--help"}).Out, Catch::Contains("no -o"));
  CHECK_THAT(peapodc({"query", "--help"}).Out,
             Catch::Contains("at least one question"));
}

TEST_CASE("check text never sends control characters to the terminal",
          "[cli][check][escape]") {
  TempDir T;
  std::string Policy =
      T.write("esc.pea", "# \x1b]0;retitled\x07 a comment\n"
                         "pod p { pea a {\n  path \"rel\x1b[2J\" read\n} }\n");
  Run R = peapodc({"check", Policy});
  CHECK(R.Status == 1);
  CHECK(R.Err.find("[E101]") != std::string::npos);
  CHECK(R.Err.find('\x1b') == std::string::npos);
  CHECK(R.Err.find('\x07') == std::string::npos);
  Run Missing = peapodc({"check", T / "no\x1b[31m.pea"});
  CHECK(Missing.Status == 2);
  CHECK(Missing.Err.find('\x1b') == std::string::npos);
}

TEST_CASE("show lists pods and peas, and a pea's profile region by region",
          "[cli][show]") {
  TempDir T;
  std::string P = T.write("p.pea", "pod demo {\n"
                                   "  pea p {\n"
                                   "    dir-default /srv allow\n"
                                   "    path /srv/secret deny\n"
                                   "    path \"/srv/a b\" read\n"
                                   "    transition /srv/bin q\n"
                                   "    bind tcp/25, tcp/26\n"
                                   "    namespace q\n"
                                   "  }\n"
                                   "  pea q { }\n"
                                   "}\n");
  Run List = peapodc({"show", P});
  REQUIRE(List.Status == 0);
  CHECK(List.Out.find("pod demo\n  pea p: 3 file rules") != std::string::npos);
  CHECK(List.Out.find("  pea q: 0 file rules") != std::string::npos);

  Run Profile = peapodc({"show", P, "--pod", "demo", "--pea", "p"});
  REQUIRE(Profile.Status == 0);
  CHECK(Profile.Out == "pod demo, pea p\n"
                       "  bind:       tcp/25-26\n"
                       "  outgoing:   none\n"
                       "  namespace:  q\n"
                       "  transitions:\n"
                       "    exec /srv/bin -> pea q (p.pea:6)\n"
                       "  files (file dir path: decided by):\n"
                       "    --- --x /: default deny; as a directory: implicit "
                       "search, for /srv (p.pea:3)\n"
                       "    --- --- /*: default deny\n"
                       "    rwx rwx /srv/**: dir-default /srv (p.pea:3)\n"
                       "    r-- r-- \"/srv/a b\": path \"/srv/a b\" (p.pea:5)\n"
                       "    rwx rwx /srv/bin: dir-default /srv (p.pea:3)\n"
                       "    --- --- /srv/secret/**: path /srv/secret (p.pea:4)\n");

  // The image shows the same profile.
  REQUIRE(peapodc({P, "-o", T / "p.bin"}).Status == 0);
  Run FromImage = peapodc({"show", T / "p.bin", "--pod", "demo", "--pea", "p"});
  CHECK(FromImage.Status == 0);
  CHECK(FromImage.Out == Profile.Out);

  // JSON lists both scopes of every node, with every answer.
  Run J = peapodc({"show", P, "--pod", "demo", "--pea", "p", "--format", "json"});
  REQUIRE(J.Status == 0);
  nlohmann::json Doc = nlohmann::json::parse(J.Out);
  const nlohmann::json &Regions = Doc["peas"][0]["regions"];
  CHECK(Regions.size() == 2 * 5); // /, /srv, /srv/a b, /srv/bin, /srv/secret
  CHECK(Regions[0]["path"] == "/");
  CHECK(Regions[0]["dir"]["kind"] == "implicit");

  Run NoPea = peapodc({"show", P, "--pod", "demo", "--pea", "pp"});
  CHECK(NoPea.Status == 2);
  CHECK(NoPea.Err.find("no pea 'pp' in pod 'demo'; did you mean 'p'?") !=
        std::string::npos);
  CHECK(peapodc({"show", P, "--pea", "p"}).Status == 2);
  CHECK(peapodc({"show", P, "--pod", "dem"}).Status == 2);
}
