//===- FormatterTest.cpp - The canonical style, rule by rule --------------===//
//
// Each behaviour of docs/formatting.md, on small inputs. Every case also
// checks, through fmt(), that the edits reproduce the text and that the
// result is a fixed point.
//
//===----------------------------------------------------------------------===//
#include "FormatTestUtil.h"
#include "peapod/Parser.h"

using namespace peapod;
using namespace peapod::test;

TEST_CASE("two-space indents and one rule per line") {
  CHECK(fmt("pod p { pea a { path /a read path /b write } pea b { } }") ==
        "pod p {\n"
        "  pea a {\n"
        "    path /a read\n"
        "    path /b write\n"
        "  }\n"
        "  pea b {\n"
        "  }\n"
        "}\n");
  CHECK(fmt("\t\tpod p {\n\t\t\tpea a\n{\npath\n/a\nread\n}\n}") ==
        "pod p {\n"
        "  pea a {\n"
        "    path /a read\n"
        "  }\n"
        "}\n");
}

TEST_CASE("values of consecutive rules align one space after the longest "
          "keyword and path") {
  CHECK(fmt("pod web-delivery {\n"
            "  pea apache {\n"
            "    include \"stdlibs\"\n"
            "    path /usr/sbin/apache      read,execute\n"
            "    path /usr/sbin/apachectl  read,execute\n"
            "    dir-default /var/www      read,execute\n"
            "    transition /var/www/cgi-bin cgi\n"
            "    bind                          tcp/80\n"
            "  }\n"
            "}\n") == "pod web-delivery {\n"
                      "  pea apache {\n"
                      "    include \"stdlibs\"\n"
                      "    path /usr/sbin/apache       read, execute\n"
                      "    path /usr/sbin/apachectl    read, execute\n"
                      "    dir-default /var/www        read, execute\n"
                      "    transition /var/www/cgi-bin cgi\n"
                      "    bind                        tcp/80\n"
                      "  }\n"
                      "}\n");
}

TEST_CASE("a blank line starts a new alignment run; a comment does not") {
  CHECK(fmt("pod p {\n"
            "  pea a {\n"
            "    path /etc/mail/aliases read\n"
            "    # the database\n"
            "    path /etc/mail/aliases.db read,write\n"
            "\n"
            "    outgoing allow\n"
            "    bind tcp/25\n"
            "  }\n"
            "  pea b {\n"
            "    namespace a\n"
            "  }\n"
            "}\n") == "pod p {\n"
                      "  pea a {\n"
                      "    path /etc/mail/aliases    read\n"
                      "    # the database\n"
                      "    path /etc/mail/aliases.db read, write\n"
                      "\n"
                      "    outgoing allow\n"
                      "    bind     tcp/25\n"
                      "  }\n"
                      "  pea b {\n"
                      "    namespace a\n"
                      "  }\n"
                      "}\n");
}

TEST_CASE("alignment counts columns, not bytes") {
  // é is two bytes and one column; 日本 are three bytes and two columns each.
  CHECK(fmt("path \"/home/jos\xC3\xA9\" read\npath /home/abcd read\n"
            "path \"/\xE6\x97\xA5\xE6\x9C\xAC\" write\n") ==
        "path \"/home/jos\xC3\xA9\" read\n"
        "path /home/abcd   read\n"
        "path \"/\xE6\x97\xA5\xE6\x9C\xAC\"      write\n");
}

TEST_CASE("access lists: read, write, execute in that order") {
  CHECK(fmt("path /a execute,read , write\n") ==
        "path /a read, write, execute\n");
  CHECK(fmt("path /a write,read\ndir-default /b execute ,read\n") ==
        "path /a        read, write\n"
        "dir-default /b read, execute\n");
  // A repeat (W205) stays, beside its twin: the warning is still reported.
  CHECK(fmt("path /a write, read, write\n") == "path /a read, write, write\n");
  CHECK(fmt("path /a allow\npath /b deny\n") ==
        "path /a allow\npath /b deny\n");
}

TEST_CASE("network lists keep their order, spaced after commas") {
  CHECK(fmt("bind tcp/80,tcp/443 ,udp/53\noutgoing   udp/53,tcp/1-1024\n") ==
        "bind     tcp/80, tcp/443, udp/53\n"
        "outgoing udp/53, tcp/1-1024\n");
}

TEST_CASE("paths, names and rule group names are kept as written") {
  CHECK(fmt("path \"/usr//bin/\" read\npath /usr//bin/ read\n"
            "path \"/srv/odd,name{1}\" read\npath \"/a\\\"b\\\\c\" read\n"
            "include \"net/dns\"\n") ==
        "path \"/usr//bin/\"       read\n"
        "path /usr//bin/         read\n"
        "path \"/srv/odd,name{1}\" read\n"
        "path \"/a\\\"b\\\\c\"         read\n"
        "include \"net/dns\"\n");
  // Keywords are names too.
  CHECK(fmt("pod pod { pea read { transition /usr/bin/bind bind } pea bind "
            "{ } }") == "pod pod {\n"
                        "  pea read {\n"
                        "    transition /usr/bin/bind bind\n"
                        "  }\n"
                        "  pea bind {\n"
                        "  }\n"
                        "}\n");
}

TEST_CASE("comments stay where they are") {
  CHECK(fmt("# header\n"
            "\n"
            "pod p { # pod\n"
            "  # before pea\n"
            "  pea a {   # pea\n"
            "    path /a read   # trailing   \n"
            "        # own line, re-indented\n"
            "    path /bb write#t2\n"
            "  } # pea closed\n"
            "} # pod closed\n"
            "# end\n") == "# header\n"
                          "\n"
                          "pod p {  # pod\n"
                          "  # before pea\n"
                          "  pea a {  # pea\n"
                          "    path /a  read  # trailing\n"
                          "    # own line, re-indented\n"
                          "    path /bb write  #t2\n"
                          "  }  # pea closed\n"
                          "}  # pod closed\n"
                          "# end\n");
}

TEST_CASE("trailing comments of consecutive rules align") {
  CHECK(fmt("outgoing allow # any protocol, any port\n"
            "bind tcp/25 # smtp\n"
            "bind tcp/8000-8080  # inclusive range\n"
            "outgoing udp/53\n"
            "outgoing deny # nothing\n") ==
        "outgoing allow          # any protocol, any port\n"
        "bind     tcp/25         # smtp\n"
        "bind     tcp/8000-8080  # inclusive range\n"
        "outgoing udp/53\n"
        "outgoing deny  # nothing\n");
}

TEST_CASE("a comment between the tokens of a rule follows the rule") {
  CHECK(fmt("path /usr/bin/x # the program\n"
            "  # more\n"
            "     read, # first\n"
            "     execute # last\n"
            "path /y read\n") == "path /usr/bin/x read, execute  # the program\n"
                                 "# more\n"
                                 "# first\n"
                                 "# last\n"
                                 "path /y         read\n");
  CHECK(fmt("pod # c1\n p # c2\n { # c3\n pea # c4\n a { } }") ==
        "pod p {  # c1\n"
        "  # c2\n"
        "  # c3\n"
        "  pea a {  # c4\n"
        "  }\n"
        "}\n");
  // A path ends at '#': the comment is inside the rule.
  CHECK(fmt("path /etc/motd# note\n  read\n") == "path /etc/motd read  # note\n");
}

TEST_CASE("blank lines: at most one, none after '{', before '}' or at the "
          "ends") {
  CHECK(fmt("\n\n\npod p {\n\n\n  pea a {\n\n    path /a read\n\n\n\n"
            "    path /b read\n\n  }\n\n\n\n  pea b {\n  }\n\n}\n\n\n\n"
            "pod q {\n}\n\n\n") == "pod p {\n"
                                  "  pea a {\n"
                                  "    path /a read\n"
                                  "\n"
                                  "    path /b read\n"
                                  "  }\n"
                                  "\n"
                                  "  pea b {\n"
                                  "  }\n"
                                  "}\n"
                                  "\n"
                                  "pod q {\n"
                                  "}\n");
  // Blank lines inside a rule go.
  CHECK(fmt("path /a\n\n\nread\n") == "path /a read\n");
  // None are added.
  CHECK(fmt("pod p {\n}\npod q {\n}\n") == "pod p {\n}\npod q {\n}\n");
  // Lines of blanks and tabs are blank.
  CHECK(fmt("path /a read\n \t \n\f\npath /b read\n") ==
        "path /a read\n\npath /b read\n");
}

TEST_CASE("empty files and files of comments") {
  CHECK(fmt("") == "");
  CHECK(fmt("\n \n\t\n") == "");
  CHECK(fmt("   # a   \n\n\n# b") == "# a\n\n# b\n");
  CHECK(fmt("pod p { }") == "pod p {\n}\n");
}

TEST_CASE("line endings: the file's own, and a final one") {
  CHECK(fmt("pod p {\r\n pea a { path /a read }\r\n}") ==
        "pod p {\r\n  pea a {\r\n    path /a read\r\n  }\r\n}\r\n");
  CHECK(fmt("pod p {\r pea a {\r  }\r}\r") == "pod p {\r  pea a {\r  }\r}\r");
  // Mixed: the most common wins (here LF, 2 to 1).
  CHECK(fmt("path /a read\r\npath /b read\npath /c read\n") ==
        "path /a read\npath /b read\npath /c read\n");
  // A comment ends at a lone CR too.
  CHECK(fmt("path /a read # c\rpath /b read\r") ==
        "path /a read  # c\rpath /b read\r");
  // CR and LF both count as line breaks for blank lines.
  CHECK(fmt("path /a read\r\n\r\n\r\npath /b read\r\n") ==
        "path /a read\r\n\r\npath /b read\r\n");
}

TEST_CASE("a byte order mark is kept") {
  CHECK(fmt("\xEF\xBB\xBFpod p { }") == "\xEF\xBB\xBFpod p {\n}\n");
  CHECK(fmt("\xEF\xBB\xBF\n\npath /a read") == "\xEF\xBB\xBFpath /a read\n");
  CHECK(fmt("\xEF\xBB\xBF") == "\xEF\xBB\xBF");
}

TEST_CASE("rule groups and rules outside peas are formatted at the margin") {
  CHECK(fmt("  include \"stdlibs\"\n    path /usr/bin/gcc read,execute\n"
            "dir-default /usr/lib/gcc-lib read,execute\n") ==
        "include \"stdlibs\"\n"
        "path /usr/bin/gcc            read, execute\n"
        "dir-default /usr/lib/gcc-lib read, execute\n");
  // E306 at the top of a policy: kept where it is, between the pods.
  CHECK(fmt("pod p { }\n  path /x read\npod q { }\n") ==
        "pod p {\n}\npath /x read\npod q {\n}\n");
}

TEST_CASE("files with syntax errors are left untouched") {
  for (const char *Text :
       {"pod p { pea a { path /a read }",       // missing }
        "pod p { pea a { path /a } }",          // missing access
        "pod p { pea a { path /a read } } }",   // one } too many
        "pod p { pea a { @ } }",                // E003
        "pod p { pea a { path \"/a read } }",   // E002
        "pod p { pea a { path etc/passwd read } }", // relative, unquoted
        "pod p { path /a read pea a { } }",     // E306 in a pod
        "pea a { }",                            // a pea outside a pod
        "path /a read,",                        // dangling comma
        "pod { }"}) {
    INFO(Text);
    FormatResult R = formatChecked(Text);
    CHECK_FALSE(R.Formatted);
  }
  FormatResult R = formatChecked("pod p { pea a { path /a } }");
  CHECK(R.Reason == "it has a syntax error");
  R = formatChecked("pod p { path /a read pea a { } }");
  CHECK(R.Reason == "'path' at line 1, column 9 is not part of a pod, pea or "
                    "rule the parser could read");
}

TEST_CASE("other errors do not stop formatting") {
  CHECK(fmt("pod p { pea a { path /etc/motd read,allow\n"
            "transition \"rel/x\" b namespace nope\n"
            "path \"/etc/../x\" write,read bind tcp/0,udp/99999\n"
            "include \"/abs\" path \"/a\\q\" read } pea global { } }") ==
        "pod p {\n"
        "  pea a {\n"
        "    path /etc/motd     read, allow\n"
        "    transition \"rel/x\" b\n"
        "    namespace          nope\n"
        "    path \"/etc/../x\"   write, read\n"
        "    bind               tcp/0, udp/99999\n"
        "    include \"/abs\"\n"
        "    path \"/a\\q\"        read\n"
        "  }\n"
        "  pea global {\n"
        "  }\n"
        "}\n");
}

TEST_CASE("edits replace whole lines, and only changed ones") {
  std::string Text = "pod p {\n  pea a {\n    path /a   read\n  }\n}\n";
  FormatResult R = formatChecked(Text);
  REQUIRE(R.Formatted);
  REQUIRE(R.Edits.size() == 1);
  CHECK(R.Edits[0].Offset == Text.find("    path"));
  CHECK(R.Edits[0].Text == "    path /a read\n");
  CHECK(formatChecked(R.Text).Edits.empty());
}

TEST_CASE("range formatting formats the lines the range touches") {
  std::string Text = "pod p {\n"
                     "  pea a {\n"
                     "      path /a   read\n"
                     "  path /b   read,write\n"
                     "         path /c   write\n"
                     "  }\n"
                     "}\n";
  size_t Second = Text.find("  path /b");
  FormatResult R = formatChecked(Text, ByteRange{Second, Second + 3});
  REQUIRE(R.Formatted);
  CHECK(R.Text == "pod p {\n"
                  "  pea a {\n"
                  "      path /a   read\n"
                  "    path /b read, write\n"
                  "         path /c   write\n"
                  "  }\n"
                  "}\n");
  // An empty range: the line it is on.
  size_t Third = Text.find("path /c");
  R = formatChecked(Text, ByteRange{Third, Third});
  CHECK(R.Text == "pod p {\n"
                  "  pea a {\n"
                  "      path /a   read\n"
                  "  path /b   read,write\n"
                  "    path /c write\n"
                  "  }\n"
                  "}\n");
  // A range ending at the start of a line does not take that line.
  R = formatChecked(Text, ByteRange{0, Text.find("  pea")});
  CHECK(R.Text == Text);
  CHECK(R.Edits.empty());
  // Everything: the whole format.
  R = formatChecked(Text, ByteRange{0, Text.size()});
  CHECK(R.Text == fmt(Text));
  // Lines sharing a rule are formatted together.
  std::string Split = "path /a\n  read\npath /b   write\n";
  R = formatChecked(Split, ByteRange{Split.find("read"), Split.find("read")});
  CHECK(R.Text == "path /a read\npath /b   write\n");
}

TEST_CASE("a tree the caller parsed is formatted the same") {
  std::string Text = "pod p { pea a { path /a read } }";
  llvm::SourceMgr SM;
  unsigned ID = SM.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(Text, "t.pea"), llvm::SMLoc());
  DiagnosticEngine Diags(SM);
  std::unique_ptr<ast::File> Tree = parseBuffer(SM, ID, Diags);
  FormatResult R = formatTree(*Tree, SM.getMemoryBuffer(ID)->getBuffer(),
                              Diags.diagnostics());
  REQUIRE(R.Formatted);
  CHECK(R.Text == fmt(Text));
  CHECK(formatText(Text) == R.Text);
  CHECK(formatText("pod {") == std::nullopt);

  // A compilation's diagnostics: a syntax error in an included rule group
  // (another buffer) does not stop this file from being formatted; one in
  // it does.
  std::string Group = "path /a {\n";
  unsigned GroupID = SM.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(Group, "g.rules"), llvm::SMLoc());
  std::unique_ptr<ast::File> GroupTree = parseBuffer(SM, GroupID, Diags);
  REQUIRE(llvm::any_of(Diags.diagnostics(), isSyntaxError));
  CHECK(formatTree(*Tree, SM.getMemoryBuffer(ID)->getBuffer(),
                   Diags.diagnostics())
            .Formatted);
  CHECK_FALSE(formatTree(*GroupTree, SM.getMemoryBuffer(GroupID)->getBuffer(),
                         Diags.diagnostics())
                  .Formatted);
}

TEST_CASE("formatBuffer reports the parse's diagnostics, with no limit on "
          "the parse") {
  // 30 value errors: the caller's limit of 20 stops what is recorded, not
  // the parse, so the file is still formatted.
  std::string Text = "pod p {\n  pea a {\n";
  for (int I = 0; I < 30; ++I)
    Text += "    path /x" + std::to_string(I) + "  read, allow\n";
  Text += "  }\n}\n";
  llvm::SourceMgr SM;
  unsigned ID = SM.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(Text, "t.pea"), llvm::SMLoc());
  DiagnosticEngine Diags(SM);
  DiagnosticOptions Opts;
  Opts.ErrorLimit = 20;
  Diags.setOptions(Opts);
  FormatResult R = formatBuffer(SM, ID, Diags);
  CHECK(R.Formatted);
  CHECK(R.changed());
  CHECK(Diags.errorCount() >= 20);
  CHECK(Diags.diagnostics().front().is(DiagID::AllowDenyCombined));
}
