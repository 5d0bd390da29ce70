// PeaPod policy language (Potter, Nieh, Selsky, LISA 2007, Rules 1-11).
//
// A policy file holds pods; a rule-group file (`NAME.rules`, pulled in with
// `include`) holds bare rules. Both are parsed with this one grammar: the
// compiler decides which top-level form a file may use.
//
// Whitespace, newlines and `#` comments are insignificant. Keywords are
// accepted wherever a name is expected (a pea may be called `read`), so the
// language has no reserved words except `global`, which the semantic checks
// reserve.
grammar PeaPod;

// The grammar's only actions: hooks through which the parser hands over each
// pod, pea and rule the moment it is parsed. compiler/lib/Parser.cpp builds
// the AST in them, so no parse tree is kept and no parse listener is needed
// (in the ANTLR 4.9 runtime a listener costs a tree node per token). Pods and
// peas use `finally` so one with a syntax error inside still reaches the AST.
@parser::members {
  class PodDeclContext;
  class PeaDeclContext;
  class PeaRuleContext;
  virtual void podParsed(PodDeclContext *) {}
  virtual void peaParsed(PeaDeclContext *) {}
  virtual void ruleParsed(PeaRuleContext *) {}
  virtual void ruleFinished(PeaRuleContext *) {}
}

policyFile : item* EOF ;

item
    : podDecl
    | peaRule
    ;

// A rule directly inside a pod is accepted here so that the checks can say
// what is wrong with it (E306) instead of a cascade of syntax errors.
podDecl : POD declName=name open=LBRACE (peaDecl | peaRule)* close=RBRACE ;
finally { podParsed(_localctx); }

peaDecl : PEA declName=name open=LBRACE peaRule* close=RBRACE ;
finally { peaParsed(_localctx); }

// One context per rule, told apart by its keyword `kw`; every decision is
// LL(1), so the parser never runs adaptive prediction. `allow` and `deny`
// are list items here so that `allow, read` reaches the checks, which
// explain why it is wrong. `ruleParsed` sees a rule that parsed;
// `ruleFinished` sees every rule, so one that a syntax error cut short is
// still kept (as a broken rule).
peaRule
@after { ruleParsed(_localctx); }
    : kw=(PATH_KW | DIR_DEFAULT) target=(PATH | STRING)
      words+=(READ | WRITE | EXECUTE | ALLOW | DENY)
      (COMMA words+=(READ | WRITE | EXECUTE | ALLOW | DENY))*
    | kw=TRANSITION target=(PATH | STRING) peaName=name
    | kw=(OUTGOING | BIND)
      words+=(NETSPEC | ALLOW | DENY) (COMMA words+=(NETSPEC | ALLOW | DENY))*
    | kw=NAMESPACE peaName=name
    | kw=INCLUDE target=STRING
    ;
finally { ruleFinished(_localctx); }

name
    : tok=(NAME | POD | PEA | PATH_KW | DIR_DEFAULT | TRANSITION | OUTGOING
    | BIND | NAMESPACE | INCLUDE | READ | WRITE | EXECUTE | ALLOW | DENY)
    ;

POD         : 'pod' ;
PEA         : 'pea' ;
PATH_KW     : 'path' ;
DIR_DEFAULT : 'dir-default' ;
TRANSITION  : 'transition' ;
OUTGOING    : 'outgoing' ;
BIND        : 'bind' ;
NAMESPACE   : 'namespace' ;
INCLUDE     : 'include' ;
READ        : 'read' ;
WRITE       : 'write' ;
EXECUTE     : 'execute' ;
ALLOW       : 'allow' ;
DENY        : 'deny' ;

LBRACE : '{' ;
RBRACE : '}' ;
COMMA  : ',' ;

// tcp/25, udp/53, tcp/8000-8080. Range and port bounds are checked later so
// the message can point at the number.
NETSPEC : [a-zA-Z]+ '/' [0-9]+ ( '-' [0-9]+ )? ;

// An unquoted path: absolute, ends at whitespace, comma, brace, '#' or quote.
PATH : '/' ~[ \t\r\n,{}#"]* ;

// A relative path is lexed as a name-like token; the parser reports it.
STRING : '"' ( '\\' . | ~["\\\r\n] )* '"' ;

NAME : [A-Za-z_] [A-Za-z0-9_.\-]* ;

COMMENT : '#' ~[\r\n]* -> skip ;
WS      : [ \t\r\n\f]+ -> skip ;

// Anything else becomes one token so the lexer never stops: the parser
// reports it with a precise location.
UNKNOWN : . ;
