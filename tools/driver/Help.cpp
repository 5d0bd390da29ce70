//===- Help.cpp - peapodc's manual pages ----------------------------------===//
#include "Commands.h"

namespace peapod::driver {

const char *const MainHelp = R"(NAME
    peapodc - compile, check and query PeaPod least-privilege policies

SYNOPSIS
    peapodc POLICY [-o OUT] [-I DIR]... [--stdrules DIR] [--target kmod]
            [--no-locations] [--no-analyze] [--error-limit N] [-Wno-NAME]...
            [--Werror] [--root DIR [--cross-devices]] [--color WHEN]
    peapodc POLICY [-o OUT] [-I DIR]... [--stdrules DIR] [--target kmod|fuse|bpf]
            [--no-locations] [--error-limit N] [-Wno-NAME]... [--Werror]
            [--color WHEN]
    peapodc check POLICY... [-I DIR]... [--stdrules DIR] [--format text|json]
            [--no-analyze] [--root DIR]
    peapodc query POLICY|IMAGE --pod POD --pea PEA [PATH...] [--exec PATH]...
            [--bind PROTO/PORT]... [--connect PROTO/PORT]... [--touch PEA]...
            [--format text|json]
    peapodc show POLICY|IMAGE [--pod POD [--pea PEA]] [--format text|json]
    peapodc dump IMAGE
    peapodc fmt [--check] FILE|DIR|-...
    peapodc diff OLD NEW [--pod POD] [--format text|json]
    peapodc test TESTFILE... [--coverage]
    peapodc lint POLICY... [--format text|json|sarif|github] [--config FILE]
            [--root DIR] [--entry PEA]... [--baseline FILE]
            [--write-baseline FILE] [-o OUT] [--Werror]
    peapodc fix [--dry-run] POLICY...
    peapodc graph POLICY -o FILE.{dot,svg,png,pdf} [--pod POD] [--entry PEA]...
    peapodc lsp
    peapodc suggest AUDIT.log POLICY
    peapodc help [COMMAND] | --help | --version

DESCRIPTION
    peapodc compiles a PeaPod policy (pods of peas holding path, dir-default,
    transition, outgoing, bind, namespace and include rules) into a binary
    image that an enforcement layer loads and reads in place. It reports every
    error and warning with a stable ID, the file, line and column, the source
    line with a caret, and the chain of includes it came through.

    Without a command, peapodc compiles POLICY (a .pea file, or - for
    standard input). Rule groups named by `include "NAME"` are found as
    NAME.rules in the including file's directory (the current directory for
    standard input), then in each -I DIR in order, then in the stdrules
    directory.

    A compile also runs the static analyzer (every check that needs no
    --root; docs/rules/ has a page per check): what a compromised pea could
    reach by exec (privilege envelopes, escalation paths), least-privilege
    smells (W^X, writes to system trees and sensitive files, shells in
    network-facing peas, unsafe devices), dead rules (with fix-its), and
    information flows from network-facing peas into stronger ones. Its
    warnings are printed and do not fail the compile; an escalation path is
    an error, and no image is written. The image being written and the
    policy's own files count as sensitive files.

COMMANDS
    check     Diagnostics only; no output file. A NAME.rules file is checked
              as a rule group.
    query     Ask what a pea may do and which rule decided it, from a source
              policy or a compiled image (both give identical answers).
    show      The pods and peas of a policy or image, and a pea's whole
              effective profile, region by region.
    dump      Print a compiled image as JSON.
    fmt       Rewrite policies and rule groups in the canonical style, or
              (--check) show what that would change.
    diff      What a policy change grants and takes away, pea by pea
              (exact; exit 1 when NEW widens); either side may be an image.
    test      Run a policy's unit tests (expected allow/deny answers).
    lint      Every check of the analyzer and the configuration's
              assertions, for CI: text, JSON, SARIF or GitHub annotations,
              inline suppressions, a baseline.
    fix       Apply the mechanical fixes the findings carry (--dry-run: show
              them as a diff).
    graph     Draw the transition graph of each pod (peas, transitions,
              escalations) as a picture.
    suggest   The rules that would have allowed what `peapod run --audit`
              logged, as a patch of the policy.
    help      Show the manual of a command.

OPTIONS
    -o OUT             Write the image to OUT (default: POLICY with its
                       extension replaced by .bin, in the current directory;
                       required when POLICY is -). -o - writes it to
                       standard output, unless that is a terminal. See FILES
                       for how OUT is written.
    -I DIR             Add DIR to the rule-group search path (repeatable).
    --stdrules DIR     Directory of the shipped rule groups (default:
                       $PEAPOD_STDRULES, else ../share/peapod/stdrules next to
                       peapodc, else the source tree's stdrules/).
    --error-limit N    Stop after N errors (default 20; 0: no limit).
    -Wno-NAME, -WNAME  Leave out the warning or analyzer check called NAME
                       (for example -Wno-duplicate-access,
                       -Wno-write-and-execute, -Wno-escalation-path), or turn
                       it back on.
    --Werror           Report warnings as errors (the exit status is then 1).
    --no-analyze       Do not run the analyzer (compile only).
    --root DIR         The pod's file-system tree: check that every name of
                       a file with several hard links gets the same access
                       in every pea (A101), and report rule paths that are
                       symbolic links (A102) or missing (A103) under DIR.
                       The walk never follows a symbolic link and reads
                       only directories and file metadata. A DIR that
                       cannot be read is a fatal error (exit 2, no image).
                       See docs/rules/A101.md.
    --cross-devices    With --root, also walk file systems mounted below
                       DIR (by default the walk stays on DIR's).
    --target kmod      Output format. kmod (the default) is the binary table
                       image of docs/image-format.md.
    --target fuse      The FUSE layer's configuration (docs/fuse-config.md):
                       per pod the mount, cache and I/O settings and the
                       pea-to-cgroup layout, naming the image by digest, as
                       JSON (default output POLICY.fuse.json). POLICY may
                       also be a compiled image; from a policy the digest is
                       that of the image `peapodc POLICY` writes with the
                       same options. `peapod run --fuse-config FILE` reads
                       it and refuses one made for another image.
    --target bpf       The network rules the runtime's cgroup BPF programs
                       enforce (docs/bpf.md): per pod and pea the bind and
                       connect port ranges by protocol, or allow, naming the
                       image by digest, as JSON (default output
                       POLICY.bpf.json). POLICY may be a compiled image, as
                       for fuse. `peapod run --bpf-config FILE` reads it and
                       refuses one made for another image or whose rules are
                       not the image's.
    --no-locations     Leave source locations out of the image; answers then
                       carry no file/line.
    --color WHEN       Colour diagnostics: auto (default: when stderr is a
                       terminal), always or never.
    --version          Print the version.
    -h, --help         Print this manual.

FILES
    Inputs. Every policy, rule group and image is opened once and read once,
    to its end, whatever kind of file it is: a regular file, - (standard
    input), a FIFO, a character device, /dev/stdin, or a shell's <(...).
    An input larger than 1 GiB (1073741824 bytes) is refused ("input exceeds
    1073741824 bytes"). Whether an input is a compiled image is decided by
    its first eight bytes, the image magic PEAPODIM, never by its name:
    anything else is a policy source (an empty file or /dev/null is an empty
    policy). A policy read from standard input is called <stdin> in
    diagnostics and in the image's rule locations. A NAME.rules file is a
    rule group, which check checks but which is not a policy: compiling or
    querying one is a usage error, as is compiling or checking an image
    (E903) or dumping a policy.

    Outputs. -o OUT is written so that no error, full disk or interruption
    leaves a damaged file:
      - a regular file, or a path that does not exist yet: written to a
        temporary file in the same directory, then renamed over OUT; on any
        error OUT is neither created nor changed. An existing file's
        permissions (and, as root, owner) are kept.
      - a symbolic link: its target is written that way; the link stays.
      - a character or block device, a FIFO or a socket: written directly
        (-o /dev/null leaves /dev/null a device).
      - -: standard output. Refused when standard output is a terminal.
    An OUT that is the same file as an input (the policy or a rule group it
    includes, by any name: a hard link or a symbolic link to it) is refused,
    and the input is left untouched.

EXIT STATUS
    0   success; warnings may have been printed
    1   the policy has errors (no output is written)
    2   usage error (an unknown option, a rule group or an image where a
        policy is needed, an output that is an input, binary output to a
        terminal) or I/O error (a file that cannot be read or written, an
        input over 1 GiB, a full disk)

ENVIRONMENT
    PEAPOD_STDRULES    Default for --stdrules.

EXAMPLES
    peapodc examples/mail.pea -o mail.bin
    peapodc - -o mail.bin < examples/mail.pea
    peapodc examples/mail.pea -o - | ssh host 'cat > /etc/peapod/mail.bin'
    peapodc check examples/*.pea stdrules/*.rules
    peapodc query mail.bin --pod mail-delivery --pea sendmail \
        /etc/mail/sendmail.cf /usr/bin/ --exec /usr/bin/procmail --bind tcp/25
)";

const char *const CheckHelp = R"(NAME
    peapodc check - report a policy's errors and warnings

SYNOPSIS
    peapodc check POLICY... [-I DIR]... [--stdrules DIR] [--format text|json]
            [--no-analyze] [--root DIR [--cross-devices]] [--color WHEN]

DESCRIPTION
    Parses and checks each POLICY (a .pea policy or a .rules rule group; -
    reads one policy from standard input, named <stdin>) and prints its
    diagnostics: the compiler's, and, for a policy without errors, the
    analyzer's findings that compiling it prints (docs/rules/). check writes
    no file, so it takes no -o: to compile, run peapodc POLICY -o FILE. For
    the lint configuration, suppressions, baselines and CI formats, use
    peapodc lint. Inputs are read as peapodc --help describes
    under FILES: any kind of file, at most 1 GiB; a compiled image is
    reported as one (E903), not parsed.

OPTIONS
    -I DIR, --stdrules DIR, --error-limit N, -Wno-NAME, -WNAME, --Werror,
    --no-analyze, --root DIR, --cross-devices,
    --color WHEN       As for compiling (see peapodc --help).
    --format text      Clang-style diagnostics on stderr (default).
    --format json      One JSON object on stdout: {"files":[{"file":...,
                       "errors":N,"warnings":N,"diagnostics":[{"id":"E301",
                       "name":"unknown-pea","severity":"error","message":...,
                       "file":...,"line":N,"column":N,"endLine":N,
                       "endColumn":N,"notes":[...],"includedFrom":[...]}]}]}
                       Bytes of file names that are not UTF-8 appear as \xNN.

EXIT STATUS
    0 no errors, 1 some policy has errors, 2 usage error (an unknown option,
    -o, - given twice) or an input that could not be read, is over 1 GiB or
    is an image.
)";

const char *const QueryHelp = R"(NAME
    peapodc query - ask what a pea may do, and why

SYNOPSIS
    peapodc query POLICY|IMAGE --pod POD --pea PEA [PATH...] [--exec PATH]...
            [--bind PROTO/PORT]... [--connect PROTO/PORT]... [--touch PEA]...
            [--format text|json] [-I DIR]... [--stdrules DIR]

DESCRIPTION
    Answers from a .pea source or from an image compiled by peapodc; both
    give identical answers. The input is read once, whatever it is (a file,
    - for standard input, a FIFO, /dev/stdin, <(...); at most 1 GiB), and is
    an image if it begins with the image magic PEAPODIM, else a source. A
    query needs at least one question: a PATH, --exec, --bind, --connect or
    --touch.

    Each PATH is asked about as a directory if it ends in '/', otherwise as
    a non-directory. Each answer names the rule that decided it: a path
    rule, the longest dir-default, implicit search access (a rule below
    grants something), or the default deny.

OPTIONS
    --pod POD          The pod (required).
    --pea PEA          The pea the process is in (required).
    --exec PATH        May the pea exec PATH, and which pea does the process
                       run in afterwards (transition rules).
    --bind P/N         May the pea bind tcp/N or udp/N.
    --connect P/N      May the pea make an outgoing connection to P/N.
    --touch PEA        May the pea signal, trace or use IPC of processes in
                       PEA (namespace rules).
    --format text|json Text for people (default) or one JSON object:
                       {"pod","pea","paths":[{"path","kind","access","rule"}],
                        "exec":[{"path","allowed","pea","rule"}],
                        "bind":[{"spec","allowed"}],"connect":[...],
                        "touch":[{"pea","allowed"}]}
                       where access is three characters of rwx with '-' and
                       rule is {"kind":"path|dir-default|implicit|default",
                       "path","file","line"}.
    -I DIR, --stdrules DIR, --error-limit N, -Wno-NAME, -WNAME, --Werror
                       As for compiling (see peapodc --help), when the input
                       is a source.

OUTPUT
    Text output quotes a path that holds a space, a quote, a backslash or a
    character that is not safe on a terminal ("/a b"), and writes control
    characters, terminal escape sequences, bidirectional overrides and bytes
    that are not UTF-8 as \xNN, so nothing from a policy or an image can
    drive the terminal. JSON writes bytes that are not UTF-8 as \xNN, so
    the output is always valid JSON.

EXIT STATUS
    0 answered, 1 the policy has errors, 2 usage error (no question, unknown
    pod or pea, relative path, bad port, a rule group given as the policy)
    or an input that could not be read, is over 1 GiB or is a malformed
    image.
)";

const char *const DumpHelp = R"(NAME
    peapodc dump - print a compiled image as JSON

SYNOPSIS
    peapodc dump IMAGE

DESCRIPTION
    Verifies IMAGE (magic, version, bounds, SHA-256 digest) and prints all of
    it as one JSON object: header, pods, peas with their trees of hash tables
    and precomputed answers, transitions, network tables, namespace matrix and
    rule table. See docs/image-format.md. IMAGE may be - (standard input), a
    FIFO or <(...); it is read once, at most 1 GiB. A policy source is not
    an image: compile it first (peapodc POLICY -o IMAGE). Strings that are
    not UTF-8 appear as \xNN.

EXIT STATUS
    0 printed, 2 usage error, or an unreadable, too large or malformed image,
    or a policy source.
)";



const char *const ShowHelp = R"(NAME
    peapodc show - the pods and peas of a policy, and a pea's whole profile

SYNOPSIS
    peapodc show POLICY|IMAGE [--pod POD [--pea PEA]] [--format text|json]
            [-I DIR]... [--stdrules DIR]

DESCRIPTION
    Without --pea, lists the pods and their peas (all, or those of --pod)
    with their number of file rules and regions, their transitions and
    network rules.

    With --pod and --pea, prints the pea's whole effective profile: its
    network and namespace rules, its transitions, and its file access
    region by region. A region is a set of paths with one answer: a path
    some rule names (PATH), every other path below it (PATH/*), or both
    at once when they answer alike (PATH/**). A path not listed has the
    answer of the nearest PATH/* or PATH/** row above it (the paths below a
    node that answer as those below its parent are not listed again). Each
    row gives the access as a file and as a directory (rwx, - for a missing
    permission) and the rule that decides it, as `query` would explain it.
    Every path falls in exactly one region: nothing is sampled. The JSON
    form lists every region, both scopes of every node.

    POLICY|IMAGE is a source policy or a compiled image (told apart by the
    image's magic bytes); both print the same profile, except that an
    image compiled with --no-locations names no file and line. The input
    is read once, whatever it is (a file, - for standard input, a FIFO,
    <(...); at most 1 GiB). A rule group (NAME.rules) is not a policy.

OPTIONS
    --pod POD          Only this pod.
    --pea PEA          The profile of this pea (needs --pod).
    --format FORMAT    text (default) or json: {"peas": [{"pod", "pea",
                       "bind", "outgoing", "namespace", "namespaceGlobal",
                       "transitions", "regions": [{"path", "scope" (at or
                       below), "file", "dir"}]}]}; each answer has "access",
                       "kind" and, unless the default, "rule".
    -I DIR, --stdrules DIR, --error-limit N, -Wno-NAME, -WNAME, --Werror
                       As for compiling (see peapodc --help), when the input
                       is a source.

EXIT STATUS
    0   success
    1   the policy has errors
    2   usage error (unknown pod or pea, a rule group given as the policy),
        or an input that could not be read, is over 1 GiB or is a
        malformed image

EXAMPLES
    peapodc show examples/mail.pea
    peapodc show mail.bin --pod mail-delivery --pea sendmail
)";

const char *const FormatHelp = R"(NAME
    peapodc fmt - rewrite policies and rule groups in the canonical style

SYNOPSIS
    peapodc fmt [--check] [--color WHEN] FILE|DIR|-...

DESCRIPTION
    Rewrites each FILE (a .pea policy or a .rules rule group) in the one
    canonical layout of docs/formatting.md: two spaces per level, one rule
    per line, the values of consecutive rules of a pea aligned in one column
    (as in the PeaPod paper's listings), access lists as `read, write,
    execute` in that order, network lists as `tcp/80, tcp/443`. Paths,
    names and comments are kept exactly as written; every comment stays on
    its line, or, if it stood between the words of a rule, follows that
    rule. At most one blank line is kept where there were several. The
    file's line endings (LF, CRLF or CR) and byte order mark are kept.

    Formatting never changes what a policy means: the formatted file
    compiles to the identical image, with the same diagnostics. Before
    anything is written the result is parsed again and compared with the
    original; formatting a formatted file changes nothing.

    A DIR is searched recursively for *.pea and *.rules files (in sorted
    order; names starting with '.' and symbolic links are skipped). `-`
    reads standard input and writes the result to standard output.

    A file with a syntax error (E001 syntax-error, E002 unterminated-string,
    E003 invalid-character, or an error that keeps a token out of any rule,
    such as a rule directly in a pod) is left unchanged: its diagnostics are
    printed on stderr, and for `-` the input is copied to standard output as
    it was. Other errors, such as an unknown pea, do not stop formatting.

    A file is replaced only if formatting changes it: the new text goes to a
    temporary file in the same directory, which is then renamed over it, so
    an interrupted run leaves the old file or the new one, never a mix. The
    file keeps its mode (and, as root, its owner); a symbolic link stays a
    link and its target is rewritten. A hard link to the file keeps the old
    text, as with `sed -i`. A FIFO or device is never formatted in place.

OPTIONS
    --check            Write nothing. For each file that is not formatted,
                       print a unified diff (`--- a/FILE`, `+++ b/FILE`, 3
                       lines of context) of what formatting would change, on
                       standard output, and exit 1. Use it in CI and
                       pre-commit hooks.
    --color WHEN       Colour diagnostics: auto (default), always or never.
    -h, --help         Print this manual.

EXIT STATUS
    0   every file is formatted (or, with --check, already was)
    1   some file has a syntax error and was left unchanged, or, with
        --check, some file is not formatted
    2   usage error, or a file could not be read or written

EXAMPLES
    peapodc fmt mail.pea                    # rewrite in place
    peapodc fmt policies/                   # every .pea and .rules below
    peapodc fmt --check policies/ stdrules/ # CI: fail and show the diff
    peapodc fmt - < mail.pea > formatted.pea
    git diff --cached --name-only --diff-filter=ACM -- '*.pea' '*.rules' |
        xargs -r peapodc fmt --check        # a pre-commit hook
)";

const char *const GraphHelp = R"(NAME
    peapodc graph - draw a policy's transition graphs

SYNOPSIS
    peapodc graph POLICY -o FILE [--format dot|svg|png|pdf] [--pod POD]
            [--entry [POD/]PEA]... [-I DIR]... [--stdrules DIR]

DESCRIPTION
    Draws every pod of POLICY (or only --pod POD) as a box holding one node
    per pea and one edge per transition, laid out with Graphviz's dot
    layout, in this process (Graphviz's cgraph and gvc libraries; no dot
    program is needed or run).

    A node shows the pea's name, its network rules (bind, outgoing,
    namespace) and a short access summary: for read, write and exec, the
    topmost paths some rule grants it on ("+N" more when there are more
    than three). An edge is labelled with the program whose execution
    moves a process from one pea to the other.

    Entries are drawn with a double green border and the word ENTRY: the
    peas named by --entry, else the peas no transition that can fire leads
    to from another pea, and the first pea of each cycle nothing outside
    enters. Peas no entry can reach are grey and dashed. A dashed grey
    edge never fires: the source pea cannot execute its trigger.

    A red edge is an escalation: the target pea has more privilege than
    the source (some path region where its access strictly contains the
    source's, or network or namespace rights the source lacks), and a pea
    that can reach the source can write the trigger program, a directory
    above it, or a fresh name below a directory trigger, so it can plant a
    program there and execute it into the stronger pea. The label names
    where to plant and the pea that can write there.

    POLICY is a source policy (a compiled image is refused: draw the
    source it was compiled from). It is read once, whatever it is (a file,
    - for standard input, a FIFO).

OPTIONS
    -o FILE            Where the picture goes; required. Its extension
                       chooses the format (.dot or .gv, .svg, .png, .pdf)
                       unless --format is given. -o - writes to standard
                       output, in dot unless --format says otherwise (png
                       and pdf are refused on a terminal). FILE is written
                       as an image is (see peapodc --help, FILES): whole or
                       not at all, never over the policy or a rule group.
    --format FORMAT    dot (the graph with its layout, for further Graphviz
                       tools), svg, png or pdf.
    --pod POD          Only this pod.
    --entry [POD/]PEA  An entry pea (repeatable). PEA alone names it in
                       every pod that has one.
    -I DIR, --stdrules DIR, --error-limit N, -Wno-NAME, -WNAME, --Werror
                       As for compiling (see peapodc --help).

EXIT STATUS
    0 the picture was written; 1 the policy has errors; 2 usage errors, an
    unknown pod or entry, an unreadable policy or an unwritable output.

EXAMPLES
    peapodc graph examples/mail.pea -o mail.png
    peapodc graph policy.pea --pod web --entry httpd -o web.svg
    peapodc graph policy.pea -o - | dot -Tx11
)";

const char *const DiffHelp = R"(NAME
    peapodc diff - what a policy change grants and takes away

SYNOPSIS
    peapodc diff OLD NEW [--pod POD] [--format text|json] [-I DIR]...
            [--stdrules DIR]

DESCRIPTION
    Compares what every pea may do under OLD and under NEW, each a .pea
    source or a compiled image (told apart by the image magic, as for
    query), so a deployed image can be compared with the source about to
    replace it. It is not a text diff: reordering, reformatting, moving
    rules into a rule group or merging duplicate rules show no difference,
    and every change of an answer is shown, however it was made.

    Peas are matched by pod and pea name. For each, it lists:
      - every path region whose access changed, with the rule deciding it
        on each side (exact: the two region trees are walked together, so
        each path whose access changed lies in exactly one row);
      - every exec whose outcome changed beyond its access (it now runs in
        another pea, through a transition);
      - transition rules added, removed or pointed at another pea;
      - bind and outgoing ports gained or lost (exact port ranges);
      - peas it may now touch, or no longer touch (namespace rules);
      - peas and pods added or removed. A missing pea is compared as a pea
        with no rules.

    A row's path is one of
      PATH      the path itself, as a file       PATH/      as a directory
      PATH/*    paths below PATH decided by the rules shown (files; PATH/*/
                directories); paths below it decided by other rules have
                rows of their own if they changed
      PATH/**   PATH itself and the paths below it, decided alike
      ...[/]    the same change as a file and as a directory
    and is marked + when NEW grants a permission OLD did not, - when it only
    takes permissions away. docs/policy-diff.md describes the output.

OPTIONS
    --pod POD          Compare only pod POD.
    --format text|json Text for people (default) or one JSON object
                       (schema in docs/policy-diff.md).
    -I DIR, --stdrules DIR, --error-limit N, -Wno-NAME, -WNAME, --Werror
                       As for compiling (see peapodc --help), for a side
                       that is a source.

EXIT STATUS
    0 NEW grants nothing OLD did not (it may take away), 1 NEW widens some
    pea's privilege (a path permission, an exec into another pea, a port, a
    pea it may touch, an added pea with any access), 2 usage error, an
    input that could not be read, a malformed image, or a side with errors
    (nothing was compared).
)";

const char *const TestHelp = R"(NAME
    peapodc test - run a policy's unit tests

SYNOPSIS
    peapodc test TESTFILE... [--coverage] [-I DIR]... [--stdrules DIR]

DESCRIPTION
    Each TESTFILE (conventionally NAME.peatest, next to the policy; - for
    standard input) names its policy and states what its peas may and may
    not do, one expectation per line (docs/policy-tests.md):

        policy mail.pea            # first; relative to the test file
        pod mail-delivery
        pea sendmail               # the pea the lines below are about
        allow read /etc/mail/aliases
        deny write /etc/passwd
        allow read, execute /usr/bin/procmail
        allow execute /var/spool/mqueue/     # trailing '/': a directory
        allow exec /usr/bin/procmail -> procmail
        deny exec /bin/sh
        allow bind tcp/25
        deny connect udp/1-1024    # a range: every port of it
        deny touch procmail

    The policy may be a source or a compiled image. Every expectation is
    one test. A failure is printed clang-style at the test's
    file:line:col, with notes naming the rule that decided the answer (at
    the rule in the policy, with the includes it came through; for an
    image, by file and line). The last line is "N passed, N failed", for
    all the files together.

    A malformed test file (an unknown directive or operation, a relative
    path, a bad port, a missing 'policy' line) is reported line by line at
    file:line:col and none of its tests run.

OPTIONS
    --coverage         Also list, as warnings at the rules, every rule of
                       the policy that no test's answer used (deciding or
                       merged file rules, transitions, the network and
                       namespace rules that decided a port or a touch), and
                       print "coverage of POLICY: N of M rules exercised".
                       Needs the policy's source.
    -I DIR, --stdrules DIR, --error-limit N, -Wno-NAME, -WNAME, --Werror
                       As for compiling (see peapodc --help).

EXIT STATUS
    0 every test passed, 1 a test failed, a test file is malformed or its
    policy has errors, 2 usage error or an input that could not be read.
)";

const char *const LintHelp = R"(NAME
    peapodc lint - the policy analyzer as a CI gate

SYNOPSIS
    peapodc lint POLICY... [--format text|json|sarif|github] [-o OUT]
            [--config FILE] [--root DIR] [--cross-devices] [--entry PEA]...
            [--baseline FILE] [--write-baseline FILE] [-I DIR]...
            [--stdrules DIR] [--error-limit N] [-WNAME]... [-Wno-NAME]...
            [--Werror] [--color WHEN]

DESCRIPTION
    Compiles each POLICY (a .pea file, a .rules rule group, or - for
    standard input) and, if it has no errors, runs every check of the
    analyzer (docs/rules/) and the assertions of the lint configuration on
    it. Findings are diagnostics with stable IDs, like the compiler's.

    Configuration. The nearest .peapod-lint.json in the policy's directory
    or one above it is read (or the file --config names, for every
    POLICY): which checks run and at what severity, the interpreter list,
    sensitive paths, safe devices, entry peas, and assertions that must hold
    for every version of the policy ("no pea but sendmail may bind tcp/25"),
    reported as errors with the pea, the path or port, and the rule. The
    format is in docs/ci.md. A configuration that is not JSON, has an
    unknown key or names an unknown check is refused with its FILE:LINE:COL
    (exit 2).

    Suppressions. A comment `# peapod: ignore[ID,...] reason` on a rule's
    line, or alone on the line above it, suppresses those findings there
    (IDs or names: A301 or write-and-execute). A suppression that matches
    nothing is itself reported (A901, with a fix that removes it), as are
    unknown IDs (A902), IDs that cannot be suppressed (A903: errors and
    assertions) and a missing reason (A904).

    Baseline. --write-baseline FILE records the findings reported; with
    --baseline FILE only findings not recorded there are reported, so a
    team can adopt the linter on an existing policy and stop new findings.
    Findings are matched by fingerprint (the ID, file, pea, the text of the
    rule and the message), so moving rules up or down keeps them matched.

OPTIONS
    --format F         text (default): clang-style diagnostics on standard
                       error, with the source line, caret, include chain and
                       notes. json: the object of docs/lint-json.md. sarif:
                       a SARIF 2.1.0 log for GitHub code scanning (or any
                       SARIF viewer). github: GitHub Actions workflow
                       commands (::error file=...,line=...::message), which
                       annotate the pull request.
    -o OUT             Write the json, sarif or github output to OUT
                       instead of standard output (never a partial file).
    --config FILE      The lint configuration (default: the nearest
                       .peapod-lint.json above each POLICY).
    --root DIR         The pod's file-system tree, for the hard-link checks.
    --cross-devices    Let the --root walk cross into other file systems.
    --entry PEA        An entry pea (POD/PEA or PEA; repeatable), replacing
                       the configuration's entries.
    --baseline FILE    Report only findings not recorded in FILE.
    --write-baseline FILE
                       Record the findings reported in FILE.
    -WNAME, -Wno-NAME  Turn a check (compiler or analyzer) on or off, over
                       the configuration.
    --Werror           Report warnings as errors.
    -I DIR, --stdrules DIR, --error-limit N, --color WHEN
                       As for compiling (peapodc --help).
    -h, --help         Print this manual.

EXIT STATUS
    0   no errors (warnings and notes allowed)
    1   some finding is an error (with --Werror, some finding at all but a
        note)
    2   usage error, an unreadable policy, configuration or baseline

EXAMPLES
    peapodc lint mail.pea
    peapodc lint --format sarif -o peapod.sarif policies/*.pea
    peapodc lint --write-baseline .peapod-baseline.json mail.pea
    peapodc lint --baseline .peapod-baseline.json mail.pea
    peapodc lint --format github --Werror mail.pea     # in a workflow
)";

const char *const FixHelp = R"(NAME
    peapodc fix - apply the fixes lint findings carry

SYNOPSIS
    peapodc fix [--dry-run] POLICY... [--config FILE] [-I DIR]...
            [--stdrules DIR] [-WNAME]... [-Wno-NAME]...

DESCRIPTION
    Lints each POLICY as `peapodc lint` does (same configuration, same
    suppressions) and applies the mechanical fixes its findings carry: a
    duplicated access word removed (W205), a missing leading '/' added
    (E101), an unused suppression removed (A901), and the analyzer's own.
    The edits are those the language server offers as quick fixes: one
    implementation. A fix that overlaps one applied before it is left for
    another run. A note's suggestion (did you mean 'procmail'?) is a guess,
    and is not applied.

    Only the files named on the command line are changed; fixes in a rule
    group they include are counted and left unless the rule group is named
    too. Each changed file is replaced as `fmt` replaces it: a temporary
    renamed over it, mode kept, never a partial file. `-` reads standard
    input and writes the fixed text to standard output.

OPTIONS
    --dry-run          Change nothing: print the edits as a unified diff
                       (`--- a/FILE`, `+++ b/FILE`) on standard output.
    --config FILE      As for lint.
    -h, --help         Print this manual.

EXIT STATUS
    0   the fixes were applied (or there were none)
    1   with --dry-run, some file would change
    2   usage error, or a file could not be read or written

EXAMPLES
    peapodc fix --dry-run mail.pea
    peapodc fix mail.pea local.rules
)";

const char *const LspHelp = R"(NAME
    peapodc lsp - the PeaPod language server for editors

SYNOPSIS
    peapodc lsp

DESCRIPTION
    Speaks the Language Server Protocol 3.17 on standard input and standard
    output (JSON-RPC messages framed by Content-Length headers), for an
    editor to start; docs/editors.md sets up VS Code and Neovim. It is built
    on the same parser, diagnostics, analyzer, evaluator and formatter as the
    other commands, so an editor shows what `peapodc check` reports and what
    `peapodc query` answers.

    The server publishes diagnostics (errors, warnings and analyzer findings
    with their IDs, linked to their documentation) as the policy is edited,
    and answers hover, inlay hints, definition, references, rename,
    completion, document symbols, folding ranges, semantic tokens, quick
    fixes and formatting requests. Rule groups open in the editor are used
    instead of the files on disk. Positions are counted in UTF-16 code units
    unless the client offers UTF-8 (positionEncoding).

    Settings come from the editor, in initializationOptions and in
    workspace/didChangeConfiguration, never from the command line:

        includeDirs       directories searched for `include "NAME"` after
                          the including file's own, in order (as -I DIR)
        stdrulesDir       the standard rule groups (as --stdrules DIR)
        lintConfig        the analyzer's configuration file
        diagnosticsDelay  milliseconds of quiet typing before diagnostics
                          are published (default 20)

    Malformed messages are answered with JSON-RPC errors and never stop the
    server. Nothing is written to standard output but protocol messages.

OPTIONS
    -h, --help    Print this manual.

EXIT STATUS
    0   the client sent shutdown, then exit
    1   the client sent exit without shutdown, or the input ended
    2   usage error (arguments were given)

EXAMPLES
    peapodc lsp                     # as an editor starts it
    nvim mail.pea                   # with editors/nvim on the runtime path
)";

const char *const SuggestHelp = R"(NAME
    peapodc suggest - turn an audit log into the rules that allow it

SYNOPSIS
    peapodc suggest AUDIT.log POLICY [-I DIR]... [--stdrules DIR]

DESCRIPTION
    Reads AUDIT.log, the JSON lines `peapod run --audit FILE` writes (one
    per denied operation, or per operation allowed by --complain; the format
    is in docs/runtime.md), and the policy source POLICY, and prints a
    unified diff of POLICY that adds the rules that would have allowed every
    logged operation. Apply it with `patch -p1`.

    For each pea and object the suggestion is the narrowest rule there is:
    a `path` rule on the object itself, with the access the pea has there
    now plus the access the operation asked for (a path rule replaces the
    inherited access, so nothing the pea had is lost). If the pea already
    has a `path` rule on that path in POLICY, its access is widened instead.
    Within a pea the new rules are listed deepest path first, before the
    pea's closing brace. Widen them by hand into dir-default rules where a
    whole directory is meant.

    Lines that are not audit lines, events of pods or peas POLICY does not
    have, and operations the policy already allows are skipped (the first
    two with a warning). Before printing, the patched policy is compiled
    and every logged operation checked against it.

    Learning a policy: run the program with `peapod run --complain --audit
    LOG ...`, exercise it, then review `peapodc suggest LOG POLICY`.

EXIT STATUS
    0 (also when there is nothing to suggest: no output), 1 if POLICY has
    errors, 2 for usage and I/O errors.

EXAMPLES
    peapod run mail.bin --pod mail-delivery --pea sendmail --root /srv/mail \
        --complain --audit learn.log -- /usr/sbin/sendmail -bd
    peapodc suggest learn.log mail.pea > learn.patch
    patch -p1 < learn.patch
)";

} // namespace peapod::driver
