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

policyFile : item* EOF ;

item
    : podDecl
    | peaRule
    ;

podDecl : POD podName=name open=LBRACE peaDecl* close=RBRACE ;

peaDecl : PEA peaName=name open=LBRACE peaRule* close=RBRACE ;

// Every decision below is LL(1), so the parser never runs adaptive
// prediction, and tokens are captured in labels so the AST can be built from
// a parse listener without keeping a parse tree (compiler/lib/Parser.cpp).
// `allow` and `deny` are parsed as list items so that `allow, read` reaches
// the semantic checks, which explain why it is wrong.
peaRule
    : kw=PATH_KW target=(PATH | STRING)
      acc+=(READ | WRITE | EXECUTE | ALLOW | DENY)
      (COMMA acc+=(READ | WRITE | EXECUTE | ALLOW | DENY))*   # pathRule
    | kw=DIR_DEFAULT target=(PATH | STRING)
      acc+=(READ | WRITE | EXECUTE | ALLOW | DENY)
      (COMMA acc+=(READ | WRITE | EXECUTE | ALLOW | DENY))*   # dirDefaultRule
    | kw=TRANSITION target=(PATH | STRING) peaName=name       # transitionRule
    | kw=OUTGOING net+=(NETSPEC | ALLOW | DENY)
      (COMMA net+=(NETSPEC | ALLOW | DENY))*                  # outgoingRule
    | kw=BIND net+=(NETSPEC | ALLOW | DENY)
      (COMMA net+=(NETSPEC | ALLOW | DENY))*                  # bindRule
    | kw=NAMESPACE peaName=name                               # namespaceRule
    | kw=INCLUDE group=STRING                                 # includeRule
    ;

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
