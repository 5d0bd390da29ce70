//===- GraphRender.cpp - PodPictures through cgraph and gvc ---------------===//
#include "peapod/analyzer/GraphRender.h"
#include "peapod/TextEscape.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <memory>
#include <mutex>

namespace peapod::analyzer {

std::optional<GraphFormat> graphFormatOf(llvm::StringRef Path) {
  std::string Ext = llvm::sys::path::extension(Path).lower();
  if (Ext == ".dot" || Ext == ".gv")
    return GraphFormat::Dot;
  if (Ext == ".svg")
    return GraphFormat::Svg;
  if (Ext == ".png")
    return GraphFormat::Png;
  if (Ext == ".pdf")
    return GraphFormat::Pdf;
  return std::nullopt;
}

const char *graphFormatName(GraphFormat F) {
  switch (F) {
  case GraphFormat::Dot:
    return "dot";
  case GraphFormat::Svg:
    return "svg";
  case GraphFormat::Png:
    return "png";
  case GraphFormat::Pdf:
    return "pdf";
  }
  return "dot";
}

namespace {

const char *const Font = "Helvetica";
const char *const EscalationRed = "#c62828";
const char *const EntryGreen = "#1b7f3b";

/// Text for an HTML-like label: valid UTF-8 (a bad byte shows as \xNN),
/// with the markup characters escaped. Every label is HTML-like, where a
/// backslash is just a backslash (in dot's plain labels it is an escape).
std::string html(llvm::StringRef S) {
  std::string Out;
  for (char C : escapeInvalidUtf8(S)) {
    switch (C) {
    case '&': Out += "&amp;"; break;
    case '<': Out += "&lt;"; break;
    case '>': Out += "&gt;"; break;
    case '"': Out += "&quot;"; break;
    default:
      // Control characters have no place in a picture.
      if (static_cast<unsigned char>(C) < 0x20)
        Out += "\\x" + llvm::utohexstr(static_cast<unsigned char>(C), true, 2);
      else
        Out += C;
    }
  }
  return Out;
}

/// cgraph takes char * everywhere, and copies what it keeps.
char *str(const std::string &S) { return const_cast<char *>(S.c_str()); }

void set(void *Obj, const char *Name, const std::string &Value) {
  agsafeset(Obj, const_cast<char *>(Name), str(Value), const_cast<char *>(""));
}

void setHTML(Agraph_t *G, void *Obj, const char *Name,
             const std::string &Value) {
  char *H = agstrdup_html(G, str(Value));
  agsafeset(Obj, const_cast<char *>(Name), H, const_cast<char *>(""));
  agstrfree(G, H);
}

std::string nodeLabel(const PictureNode &N) {
  std::string L = R"(<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1">)";
  if (N.Entry)
    L += R"(<TR><TD><FONT POINT-SIZE="9" COLOR=")" + std::string(EntryGreen) +
         R"(">ENTRY</FONT></TD></TR>)";
  L += "<TR><TD><B>" + html(N.Name) + "</B></TD></TR>";
  for (const std::string &Line : N.Network)
    L += R"(<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="10">)" + html(Line) +
         "</FONT></TD></TR>";
  for (const std::string &Line : N.Access)
    L += R"(<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9">)" + html(Line) +
         "</FONT></TD></TR>";
  if (N.Network.empty() && N.Access.empty())
    L += R"(<TR><TD><FONT POINT-SIZE="9"><I>no access</I></FONT></TD></TR>)";
  if (N.Unreachable)
    L += R"(<TR><TD><FONT POINT-SIZE="9"><I>unreachable</I></FONT></TD></TR>)";
  return L + "</TABLE>";
}

void styleNode(Agnode_t *Node, const PictureNode &N) {
  set(Node, "shape", "box");
  set(Node, "style", N.Unreachable ? "rounded,filled,dashed" : "rounded,filled");
  set(Node, "fillcolor", N.Unreachable ? "#eeeeee" : "#eef4fb");
  set(Node, "color", N.Unreachable ? "#9e9e9e" : "#3b5b7f");
  set(Node, "fontcolor", N.Unreachable ? "#8a8a8a" : "#111111");
  if (N.Entry) {
    set(Node, "color", EntryGreen);
    set(Node, "penwidth", "2.5");
    set(Node, "peripheries", "2");
  }
}

void styleEdge(Agraph_t *G, Agedge_t *Edge, const PictureEdge &E) {
  if (E.Ineffective) {
    setHTML(G, Edge, "label",
            html(E.Trigger) + "<BR/><I>the source cannot execute it</I>");
    set(Edge, "color", "#9e9e9e");
    set(Edge, "fontcolor", "#8a8a8a");
    set(Edge, "style", "dashed");
    return;
  }
  if (!E.Planted) {
    setHTML(G, Edge, "label", html(E.Trigger));
    set(Edge, "color", "#555555");
    return;
  }
  setHTML(G, Edge, "label",
          "<B>" + html(E.Trigger) + "</B><BR/>escalation: plant at " +
              html(*E.Planted) + "<BR/>(writable by " + html(E.PlantedBy) +
              ")");
  set(Edge, "color", EscalationRed);
  set(Edge, "fontcolor", EscalationRed);
  set(Edge, "penwidth", "2.2");
}

/// A graph object's name: unique, and never the user's text. Built by
/// appending (GCC 12 warns, wrongly, on "literal" + a temporary string).
std::string objectName(char Kind, size_t Pod, size_t Item,
                       const char *Prefix = "") {
  std::string Name = Prefix;
  Name += Kind;
  Name += std::to_string(Pod);
  Name += '_';
  Name += std::to_string(Item);
  return Name;
}

void addPod(Agraph_t *G, const PodPicture &Pod, size_t Index) {
  // "cluster" in the name makes dot draw the subgraph as a box.
  Agraph_t *Cluster = agsubg(G, str(objectName('c', Index, 0, "cluster")), 1);
  setHTML(G, Cluster, "label", "pod " + html(Pod.Pod));
  set(Cluster, "style", "rounded");
  set(Cluster, "color", "#b0b0b0");
  std::vector<Agnode_t *> Nodes;
  for (size_t I = 0; I < Pod.Peas.size(); ++I) {
    // Names are unique across pods: the pod's index and the pea's.
    Agnode_t *N = agnode(Cluster, str(objectName('p', Index, I)), 1);
    setHTML(G, N, "label", nodeLabel(Pod.Peas[I]));
    styleNode(N, Pod.Peas[I]);
    Nodes.push_back(N);
  }
  for (size_t I = 0; I < Pod.Edges.size(); ++I) {
    const PictureEdge &E = Pod.Edges[I];
    Agedge_t *Edge = agedge(Cluster, Nodes[E.From], Nodes[E.To],
                            str(objectName('t', Index, I)), 1);
    styleEdge(G, Edge, E);
  }
}

/// Graphviz reports errors through a global hook; collect them for the one
/// render in progress.
std::mutex RenderLock;
std::string *RenderErrors = nullptr;
int collectError(char *Message) {
  if (RenderErrors)
    *RenderErrors += Message;
  return 0;
}

struct GraphDeleter {
  void operator()(Agraph_t *G) const { agclose(G); }
};
/// One Graphviz context for the process, never freed: Graphviz 2.42's
/// pango plugin keeps a static pointer to the last font name it measured,
/// which gvFreeContext frees, so a second context would read freed memory.
GVC_t *graphvizContext() {
  static GVC_t *Context = gvContext();
  return Context;
}

} // namespace

llvm::Error renderGraph(llvm::ArrayRef<PodPicture> Pods, llvm::StringRef Title,
                        GraphFormat Format, llvm::raw_ostream &OS) {
  std::lock_guard<std::mutex> Lock(RenderLock);
  std::string Errors;
  RenderErrors = &Errors;
  agseterr(AGERR);
  agusererrf Previous = agseterrf(collectError);
  GVC_t *Context = graphvizContext();
  std::unique_ptr<Agraph_t, GraphDeleter> G(
      agopen(str("peapod"), Agdirected, nullptr));
  set(G.get(), "fontname", Font);
  setHTML(G.get(), G.get(), "label",
          "<B>" + html(Title) +
              R"(</B><BR/><FONT POINT-SIZE="9">red edge: escalation (a pea )"
              "that reaches its source can plant the program) &#183; grey: "
              "no entry reaches it &#183; dashed edge: never taken &#183; "
              "double green: entry</FONT>");
  set(G.get(), "labelloc", "t");
  set(G.get(), "fontsize", "12");
  set(G.get(), "nodesep", "0.5");
  set(G.get(), "ranksep", "0.7");
  set(G.get(), "pad", "0.2");
  agattr(G.get(), AGNODE, const_cast<char *>("fontname"), str(Font));
  agattr(G.get(), AGEDGE, const_cast<char *>("fontname"), str(Font));
  agattr(G.get(), AGEDGE, const_cast<char *>("fontsize"), str("10"));
  for (size_t I = 0; I < Pods.size(); ++I)
    addPod(G.get(), Pods[I], I);
  char *Data = nullptr;
  unsigned Length = 0;
  bool Failed = gvLayout(Context, G.get(), "dot") != 0;
  // "dot" is the graph with its layout; the picture formats through cairo.
  const char *Renderer = Format == GraphFormat::Dot   ? "dot"
                         : Format == GraphFormat::Svg ? "svg"
                         : Format == GraphFormat::Png ? "png:cairo"
                                                      : "pdf:cairo";
  if (!Failed)
    Failed = gvRenderData(Context, G.get(), Renderer, &Data, &Length) !=
                 0 ||
             !Data;
  if (!Failed)
    OS.write(Data, Length);
  if (Data)
    gvFreeRenderData(Data);
  gvFreeLayout(Context, G.get());
  agseterrf(Previous);
  RenderErrors = nullptr;
  if (!Failed)
    return llvm::Error::success();
  std::string Message = llvm::StringRef(Errors).trim().str();
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(), "graphviz could not render %s%s%s",
      graphFormatName(Format), Message.empty() ? "" : ": ", Message.c_str());
}

} // namespace peapod::analyzer
