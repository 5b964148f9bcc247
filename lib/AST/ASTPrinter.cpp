//===- ASTPrinter.cpp - Print the AST as canonical stap source ------------===//
//
// The output must parse back to an equal tree, so the printer is
// deliberately conservative with parentheses: it leaves them out only where
// the grammar is unambiguous and every reasonable reading of the stap
// precedence table agrees (e.g. `a + b * c`, `a && b || c`). Where readers
// (and parsers) commonly disagree -- '.' mixed with '+', chains of
// comparisons, `in` under a bitwise operator -- it adds them.
//
//===----------------------------------------------------------------------===//
#include "stapc/AST/ASTPrinter.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/Format.h"

using namespace stapc;
using llvm::cast;
using llvm::dyn_cast;
using llvm::dyn_cast_or_null;
using llvm::isa;
using llvm::isa_and_nonnull;
using llvm::raw_ostream;

//===----------------------------------------------------------------------===//
// Precedence
//===----------------------------------------------------------------------===//

namespace {

/// Binding strength of an expression's outermost operator, loosest first.
enum class Prec : uint8_t {
  Assign,
  Ternary,
  LogicalOr,
  LogicalAnd,
  BitOr,
  BitXor,
  BitAnd,
  In,
  Comparison,
  Shift,
  Concat,
  Additive,
  Multiplicative,
  Unary,
  Postfix,
  Primary,
};

} // namespace

static Prec precOf(BinaryOp Op) {
  switch (Op) {
  case BinaryOp::Mul:
  case BinaryOp::Div:
  case BinaryOp::Rem:
    return Prec::Multiplicative;
  case BinaryOp::Add:
  case BinaryOp::Sub:
    return Prec::Additive;
  case BinaryOp::Concat:
    return Prec::Concat;
  case BinaryOp::Shl:
  case BinaryOp::Shr:
    return Prec::Shift;
  case BinaryOp::LT:
  case BinaryOp::GT:
  case BinaryOp::LE:
  case BinaryOp::GE:
  case BinaryOp::EQ:
  case BinaryOp::NE:
  case BinaryOp::RegexMatch:
  case BinaryOp::RegexNoMatch:
    return Prec::Comparison;
  case BinaryOp::BitAnd:
    return Prec::BitAnd;
  case BinaryOp::BitXor:
    return Prec::BitXor;
  case BinaryOp::BitOr:
    return Prec::BitOr;
  case BinaryOp::LogicalAnd:
    return Prec::LogicalAnd;
  case BinaryOp::LogicalOr:
    return Prec::LogicalOr;
  }
  llvm_unreachable("bad binary op");
}

static Prec precOf(const Expr *E) {
  switch (E->getKind()) {
  case Node::Kind::Assign:
    return Prec::Assign;
  case Node::Kind::Ternary:
    return Prec::Ternary;
  case Node::Kind::Binary:
    return precOf(cast<BinaryExpr>(E)->getOp());
  case Node::Kind::In:
    return Prec::In;
  case Node::Kind::Unary:
    return Prec::Unary;
  case Node::Kind::IntegerLiteral:
    // A negative literal prints with a leading '-', like a unary minus.
    return cast<IntegerLiteral>(E)->getValue() < 0 ? Prec::Unary
                                                    : Prec::Primary;
  case Node::Kind::Postfix:
  case Node::Kind::ArrayIndex:
  case Node::Kind::Autocast:
    return Prec::Postfix;
  case Node::Kind::TargetSymbol:
  case Node::Kind::Cast:
  case Node::Kind::AtVar:
    return cast<TargetExpr>(E)->getComponents().empty() ? Prec::Primary
                                                         : Prec::Postfix;
  default:
    return Prec::Primary;
  }
}

/// Whether operand Child of binary operator ParentOp needs parentheses.
/// IsRHS: the operand is on the right (all binary operators associate to
/// the left, so an equal-precedence right operand is bracketed).
static bool binaryOperandNeedsParens(const Expr *Child, BinaryOp ParentOp,
                                     bool IsRHS) {
  Prec P = precOf(ParentOp);
  Prec C = precOf(Child);
  // `k in a` under anything but && / || reads badly and parsers differ on
  // where `in` sits relative to the bitwise operators.
  if (C == Prec::In)
    return P != Prec::LogicalAnd && P != Prec::LogicalOr;
  // Comparisons never chain without parentheses: `(a < b) == c`.
  if (C == Prec::Comparison && P == Prec::Comparison)
    return true;
  // '.' and '+'/'-' sit on one level in some grammars and two in others.
  bool ChildIsConcatOrAdd = C == Prec::Concat || C == Prec::Additive;
  bool ParentIsConcatOrAdd = P == Prec::Concat || P == Prec::Additive;
  if (ChildIsConcatOrAdd && ParentIsConcatOrAdd && C != P)
    return true;
  if (C != P)
    return C < P;
  return IsRHS;
}

//===----------------------------------------------------------------------===//
// The printer
//===----------------------------------------------------------------------===//

void stapc::printQuotedString(raw_ostream &OS, StringRef S) {
  OS << '"';
  for (unsigned char C : S) {
    switch (C) {
    case '\n':
      OS << "\\n";
      break;
    case '\t':
      OS << "\\t";
      break;
    case '"':
      OS << "\\\"";
      break;
    case '\\':
      OS << "\\\\";
      break;
    default:
      // Anything outside printable ASCII (control bytes, DEL, UTF-8 bytes)
      // becomes a three-digit octal escape so the output is plain ASCII and
      // the next byte can never be taken as part of the escape.
      if (C < 0x20 || C >= 0x7f)
        OS << '\\' << char('0' + (C >> 6)) << char('0' + ((C >> 3) & 7))
           << char('0' + (C & 7));
      else
        OS << C;
    }
  }
  OS << '"';
}

namespace {

class Printer {
public:
  explicit Printer(raw_ostream &OS) : OS(OS) {}

  void printFile(const ScriptFile &F);
  void printDecl(Decl *D);
  void printStmt(Stmt *S, unsigned Indent);
  void printExpr(Expr *E);
  void printProbePoint(const ProbePoint &P);

private:
  // Expressions.
  void printOperand(Expr *E, bool Parens);
  void printInteger(const IntegerLiteral *E);
  void printList(ArrayRef<Expr *> Items);
  void printCall(StringRef Name, ArrayRef<Expr *> Args);
  void printUnary(UnaryExpr *E);
  void printBinary(BinaryExpr *E);
  void printAssign(AssignExpr *E);
  void printTernary(TernaryExpr *E);
  void printIn(InExpr *E);
  void printStatExtract(StatExtractExpr *E);
  void printTarget(TargetExpr *E);
  void printTargetHead(TargetExpr *E);
  void printComponents(const TargetExpr *E);

  // Statements.
  void indent(unsigned N);
  void printBody(Stmt *Body, unsigned Indent);
  void printBlock(BlockStmt *B, unsigned Indent);
  void printIf(IfStmt *S, unsigned Indent);
  void printFor(ForStmt *S);
  void printForeachHeader(ForeachStmt *S);
  void printTry(TryStmt *S, unsigned Indent);

  // Declarations.
  void printPoints(ArrayRef<ProbePoint> Points);
  void printGlobal(GlobalDecl *D);
  void printFunction(FunctionDecl *D);
  void printEmbedded(StringRef Code);

  raw_ostream &OS;
};

} // namespace

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

void Printer::printOperand(Expr *E, bool Parens) {
  if (Parens)
    OS << '(';
  printExpr(E);
  if (Parens)
    OS << ')';
}

void Printer::printInteger(const IntegerLiteral *E) {
  int64_t V = E->getValue();
  if (V >= 0) {
    OS << V;
    return;
  }
  // Magnitude as unsigned so that INT64_MIN prints as
  // -9223372036854775808 (the lexer accepts values up to 2^64-1).
  OS << '-' << (0 - static_cast<uint64_t>(V));
}

/// a, b, c -- a null entry is the `*` wildcard of slices and deletes.
void Printer::printList(ArrayRef<Expr *> Items) {
  bool First = true;
  for (Expr *I : Items) {
    if (!First)
      OS << ", ";
    First = false;
    if (I)
      printExpr(I);
    else
      OS << '*';
  }
}

void Printer::printCall(StringRef Name, ArrayRef<Expr *> Args) {
  OS << Name << '(';
  printList(Args);
  OS << ')';
}

void Printer::printUnary(UnaryExpr *E) {
  OS << spelling(E->getOp());
  Expr *Op = E->getOperand();
  // Parenthesise nested prefix operators (`-(-x)`, never `--x`) and literals
  // under '-'/'+' (`-(1)`), which a parser may fold into a negative literal.
  bool SignOp = E->getOp() == UnaryOp::Neg || E->getOp() == UnaryOp::Plus;
  bool Parens = precOf(Op) < Prec::Postfix ||
                (SignOp && isa<IntegerLiteral>(Op));
  printOperand(Op, Parens);
}

void Printer::printBinary(BinaryExpr *E) {
  printOperand(E->getLHS(),
               binaryOperandNeedsParens(E->getLHS(), E->getOp(), false));
  OS << ' ' << spelling(E->getOp()) << ' ';
  printOperand(E->getRHS(),
               binaryOperandNeedsParens(E->getRHS(), E->getOp(), true));
}

void Printer::printAssign(AssignExpr *E) {
  // The target is normally an lvalue (name, a[i], $x->y); anything else is
  // bracketed. Assignment is right-associative: `a = b = c` needs none.
  printOperand(E->getLHS(), precOf(E->getLHS()) < Prec::Postfix);
  OS << ' ' << spelling(E->getOp()) << ' ';
  printExpr(E->getRHS());
}

void Printer::printTernary(TernaryExpr *E) {
  // Nested conditionals and assignments are bracketed in all three places;
  // `a ? b : (c ? d : e)` is clearer and grammar-independent.
  auto NeedsParens = [](Expr *X) { return precOf(X) <= Prec::Ternary; };
  printOperand(E->getCond(), NeedsParens(E->getCond()));
  OS << " ? ";
  printOperand(E->getThen(), NeedsParens(E->getThen()));
  OS << " : ";
  printOperand(E->getElse(), NeedsParens(E->getElse()));
}

void Printer::printIn(InExpr *E) {
  if (E->isBracketed()) {
    OS << '[';
    printList(E->getKeys());
    OS << ']';
  } else {
    // A bare key: anything looser than a shift is bracketed, so
    // `(a < b) in arr` cannot be read as `a < (b in arr)`.
    for (Expr *K : E->getKeys()) {
      if (K)
        printOperand(K, precOf(K) <= Prec::Comparison);
      else
        OS << '*';
    }
  }
  OS << " in ";
  printOperand(E->getArray(), precOf(E->getArray()) < Prec::Postfix);
}

void Printer::printStatExtract(StatExtractExpr *E) {
  OS << '@' << spelling(E->getStatKind()) << '(';
  printExpr(E->getOperand());
  for (Expr *P : E->getParams()) {
    OS << ", ";
    printExpr(P);
  }
  OS << ')';
}

void Printer::printComponents(const TargetExpr *E) {
  for (const TargetComponent &C : E->getComponents()) {
    if (C.K == TargetComponent::Member) {
      OS << "->" << C.Name;
      continue;
    }
    OS << '[';
    if (C.Index)
      printExpr(C.Index);
    OS << ']';
  }
  for (unsigned I = 0; I != E->getPrettyPrint(); ++I)
    OS << '$';
}

void Printer::printTargetHead(TargetExpr *E) {
  switch (E->getKind()) {
  case Node::Kind::TargetSymbol:
    OS << cast<TargetSymbolExpr>(E)->getName();
    return;
  case Node::Kind::Cast: {
    auto *C = cast<CastExpr>(E);
    OS << "@cast(";
    printExpr(C->getOperand());
    OS << ", ";
    printQuotedString(OS, C->getTypeName());
    if (C->hasModule()) {
      OS << ", ";
      printQuotedString(OS, C->getModule());
    }
    OS << ')';
    return;
  }
  case Node::Kind::AtVar: {
    auto *V = cast<AtVarExpr>(E);
    OS << "@var(";
    printQuotedString(OS, V->getVarName());
    if (V->hasModule()) {
      OS << ", ";
      printQuotedString(OS, V->getModule());
    }
    OS << ')';
    return;
  }
  case Node::Kind::Autocast: {
    // Without brackets, `a[0]` would read back as an array subscript and
    // `$x->a` as one target expression with a longer chain. Only a call, or
    // a name or array element followed by `->member`, is left bare.
    auto *A = cast<AutocastExpr>(E);
    Expr *Op = A->getOperand();
    bool StartsWithMember =
        !A->getComponents().empty() &&
        A->getComponents().front().K == TargetComponent::Member;
    bool Bare = isa<FunctionCall>(Op) ||
                (StartsWithMember && (isa<SymbolRef>(Op) || isa<ArrayIndex>(Op)));
    printOperand(Op, !Bare);
    return;
  }
  default:
    llvm_unreachable("not a target expression");
  }
}

void Printer::printTarget(TargetExpr *E) {
  printTargetHead(E);
  printComponents(E);
}

void Printer::printExpr(Expr *E) {
  if (!E) {
    OS << "<null>";
    return;
  }
  switch (E->getKind()) {
  case Node::Kind::IntegerLiteral:
    return printInteger(cast<IntegerLiteral>(E));
  case Node::Kind::StringLiteral:
    return printQuotedString(OS, cast<StringLiteral>(E)->getValue());
  case Node::Kind::SymbolRef:
    OS << cast<SymbolRef>(E)->getName();
    return;
  case Node::Kind::ArrayIndex: {
    auto *A = cast<ArrayIndex>(E);
    printOperand(A->getBase(), precOf(A->getBase()) < Prec::Postfix);
    OS << '[';
    printList(A->getIndices());
    OS << ']';
    return;
  }
  case Node::Kind::FunctionCall: {
    auto *C = cast<FunctionCall>(E);
    return printCall(C->getName(), C->getArgs());
  }
  case Node::Kind::Unary:
    return printUnary(cast<UnaryExpr>(E));
  case Node::Kind::Postfix: {
    auto *P = cast<PostfixExpr>(E);
    printOperand(P->getOperand(), precOf(P->getOperand()) < Prec::Postfix ||
                                      isa<PostfixExpr>(P->getOperand()));
    OS << spelling(P->getOp());
    return;
  }
  case Node::Kind::Binary:
    return printBinary(cast<BinaryExpr>(E));
  case Node::Kind::Assign:
    return printAssign(cast<AssignExpr>(E));
  case Node::Kind::Ternary:
    return printTernary(cast<TernaryExpr>(E));
  case Node::Kind::In:
    return printIn(cast<InExpr>(E));
  case Node::Kind::StatExtract:
    return printStatExtract(cast<StatExtractExpr>(E));
  case Node::Kind::TargetSymbol:
  case Node::Kind::Cast:
  case Node::Kind::AtVar:
  case Node::Kind::Autocast:
    return printTarget(cast<TargetExpr>(E));
  case Node::Kind::Entry:
    OS << "@entry(";
    printExpr(cast<EntryExpr>(E)->getOperand());
    OS << ')';
    return;
  case Node::Kind::Defined:
    OS << "@defined(";
    printExpr(cast<DefinedExpr>(E)->getOperand());
    OS << ')';
    return;
  case Node::Kind::AtFunction: {
    auto *F = cast<AtFunctionExpr>(E);
    OS << '@';
    return printCall(F->getName(), F->getArgs());
  }
  case Node::Kind::EmbeddedExpr:
    return printEmbedded(cast<EmbeddedExpr>(E)->getCode());
  default:
    llvm_unreachable("not an expression");
  }
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

void Printer::indent(unsigned N) { OS.indent(2 * N); }

/// The body of if/while/for/foreach: a block opens on the same line (the
/// caller has printed the header), anything else goes on its own line one
/// level deeper.
void Printer::printBody(Stmt *Body, unsigned Indent) {
  if (auto *B = dyn_cast_or_null<BlockStmt>(Body)) {
    OS << ' ';
    printBlock(B, Indent);
    OS << '\n';
    return;
  }
  OS << '\n';
  printStmt(Body, Indent + 1);
}

/// `{`, the statements, `}` -- without a trailing newline, so that callers
/// can continue with ` else` or ` catch`.
void Printer::printBlock(BlockStmt *B, unsigned Indent) {
  OS << "{\n";
  for (Stmt *S : B->getBody())
    printStmt(S, Indent + 1);
  indent(Indent);
  OS << '}';
}

void Printer::printIf(IfStmt *S, unsigned Indent) {
  // `else if` chains stay flat: the nested if is printed on the else line.
  while (true) {
    OS << "if (";
    printExpr(S->getCond());
    OS << ')';
    Stmt *Else = S->getElse();
    auto *ThenBlock = dyn_cast_or_null<BlockStmt>(S->getThen());
    if (!Else) {
      printBody(S->getThen(), Indent);
      return;
    }
    if (ThenBlock) {
      OS << ' ';
      printBlock(ThenBlock, Indent);
      OS << " else";
    } else {
      OS << '\n';
      printStmt(S->getThen(), Indent + 1);
      indent(Indent);
      OS << "else";
    }
    if (auto *ElseIf = dyn_cast<IfStmt>(Else)) {
      OS << ' ';
      S = ElseIf;
      continue;
    }
    printBody(Else, Indent);
    return;
  }
}

void Printer::printFor(ForStmt *S) {
  // `for (i = 0; i < n; i++)`, `for (;;)`: a space only before a clause.
  OS << "for (";
  if (S->getInit())
    printExpr(S->getInit());
  for (Expr *Clause : {S->getCond(), S->getIncr()}) {
    OS << ';';
    if (Clause) {
      OS << ' ';
      printExpr(Clause);
    }
  }
  OS << ')';
}

static void printSortMark(raw_ostream &OS, const ForeachStmt *S, int Column) {
  if (S->SortColumn == Column && S->SortDir != 0)
    OS << (S->SortDir > 0 ? '+' : '-');
}

void Printer::printForeachHeader(ForeachStmt *S) {
  OS << "foreach (";
  if (S->ValueVar)
    OS << S->ValueVar->getName() << " = ";
  if (S->KeysBracketed)
    OS << '[';
  for (size_t I = 0; I != S->Keys.size(); ++I) {
    if (I)
      OS << ", ";
    OS << S->Keys[I]->getName();
    printSortMark(OS, S, int(I) + 1);
  }
  if (S->KeysBracketed)
    OS << ']';
  OS << " in ";
  printOperand(S->Array, precOf(S->Array) < Prec::Postfix);
  if (!S->Slice.empty()) {
    OS << '[';
    printList(S->Slice);
    OS << ']';
  }
  if (S->HasSortAggregate)
    OS << " @" << spelling(S->SortAggregate);
  printSortMark(OS, S, 0);
  if (S->Limit) {
    OS << " limit ";
    printExpr(S->Limit);
  }
  OS << ')';
}

void Printer::printTry(TryStmt *S, unsigned Indent) {
  OS << "try ";
  printBlock(S->getTryBlock(), Indent);
  OS << " catch ";
  if (SymbolRef *V = S->getCatchVar())
    OS << '(' << V->getName() << ") ";
  printBlock(S->getCatchBlock(), Indent);
  OS << '\n';
}

void Printer::printStmt(Stmt *S, unsigned Indent) {
  indent(Indent);
  if (!S) {
    OS << "<null>\n";
    return;
  }
  switch (S->getKind()) {
  case Node::Kind::Block:
    printBlock(cast<BlockStmt>(S), Indent);
    OS << '\n';
    return;
  case Node::Kind::Null:
    OS << ";\n";
    return;
  case Node::Kind::ExprStmt:
    printExpr(cast<ExprStmt>(S)->getExpr());
    OS << ";\n";
    return;
  case Node::Kind::If:
    return printIf(cast<IfStmt>(S), Indent);
  case Node::Kind::While: {
    auto *W = cast<WhileStmt>(S);
    OS << "while (";
    printExpr(W->getCond());
    OS << ')';
    return printBody(W->getBody(), Indent);
  }
  case Node::Kind::For:
    printFor(cast<ForStmt>(S));
    return printBody(cast<ForStmt>(S)->getBody(), Indent);
  case Node::Kind::Foreach:
    printForeachHeader(cast<ForeachStmt>(S));
    return printBody(cast<ForeachStmt>(S)->Body, Indent);
  case Node::Kind::Break:
    OS << "break;\n";
    return;
  case Node::Kind::Continue:
    OS << "continue;\n";
    return;
  case Node::Kind::Next:
    OS << "next;\n";
    return;
  case Node::Kind::Return:
    OS << "return";
    if (Expr *V = cast<ReturnStmt>(S)->getValue()) {
      OS << ' ';
      printExpr(V);
    }
    OS << ";\n";
    return;
  case Node::Kind::Delete:
    OS << "delete ";
    printExpr(cast<DeleteStmt>(S)->getTarget());
    OS << ";\n";
    return;
  case Node::Kind::Try:
    return printTry(cast<TryStmt>(S), Indent);
  default:
    llvm_unreachable("not a statement");
  }
}

//===----------------------------------------------------------------------===//
// Declarations
//===----------------------------------------------------------------------===//

void Printer::printProbePoint(const ProbePoint &P) {
  bool First = true;
  for (const ProbePointComponent &C : P.Components) {
    if (!First)
      OS << '.';
    First = false;
    OS << C.Name;
    if (C.Arg) {
      OS << '(';
      printExpr(C.Arg);
      OS << ')';
    }
  }
  if (P.Optional)
    OS << '?';
  if (P.Sufficient)
    OS << '!';
  if (P.Condition) {
    OS << " if (";
    printExpr(P.Condition);
    OS << ')';
  }
}

void Printer::printPoints(ArrayRef<ProbePoint> Points) {
  bool First = true;
  for (const ProbePoint &P : Points) {
    if (!First)
      OS << ", ";
    First = false;
    printProbePoint(P);
  }
}

void Printer::printGlobal(GlobalDecl *D) {
  OS << "global " << D->getName();
  if (D->Wrap)
    OS << '%';
  if (D->HasSize)
    OS << '[' << D->Size << ']';
  if (D->Init) {
    OS << " = ";
    printExpr(D->Init);
  }
  OS << '\n';
}

void Printer::printEmbedded(StringRef Code) {
  // Verbatim: the C text is opaque to us and must survive byte for byte.
  OS << "%{" << Code << "%}";
}

void Printer::printFunction(FunctionDecl *D) {
  OS << "function " << D->getName();
  if (D->DeclaredReturn != TypeKind::Unknown)
    OS << ':' << spelling(D->DeclaredReturn);
  OS << '(';
  bool First = true;
  for (const ParamDecl &P : D->Params) {
    if (!First)
      OS << ", ";
    First = false;
    OS << P.Name;
    if (P.DeclaredType != TypeKind::Unknown)
      OS << ':' << spelling(P.DeclaredType);
  }
  OS << ") ";
  if (D->IsEmbedded || !D->Body)
    printEmbedded(D->EmbeddedCode);
  else
    printBlock(D->Body, 0);
  OS << '\n';
}

void Printer::printDecl(Decl *D) {
  if (!D) {
    OS << "<null>\n";
    return;
  }
  if (D->isPrivate())
    OS << "private ";
  switch (D->getKind()) {
  case Node::Kind::Probe: {
    auto *P = cast<ProbeDecl>(D);
    OS << "probe ";
    printPoints(P->getPoints());
    OS << ' ';
    printBlock(P->getBody(), 0);
    OS << '\n';
    return;
  }
  case Node::Kind::ProbeAlias: {
    auto *A = cast<ProbeAliasDecl>(D);
    OS << "probe ";
    printPoints(A->getNames());
    OS << (A->isEpilogue() ? " += " : " = ");
    printPoints(A->getPoints());
    OS << ' ';
    printBlock(A->getBody(), 0);
    if (A->getEpilogueBody()) {
      OS << ", ";
      printBlock(A->getEpilogueBody(), 0);
    }
    OS << '\n';
    return;
  }
  case Node::Kind::Global:
    return printGlobal(cast<GlobalDecl>(D));
  case Node::Kind::Function:
    return printFunction(cast<FunctionDecl>(D));
  case Node::Kind::Embedded:
    printEmbedded(cast<EmbeddedDecl>(D)->getCode());
    OS << '\n';
    return;
  default:
    llvm_unreachable("not a declaration");
  }
}

void Printer::printFile(const ScriptFile &F) {
  // A blank line separates declarations, except runs of globals.
  Decl *Prev = nullptr;
  for (Decl *D : F.Decls) {
    if (Prev && !(isa_and_nonnull<GlobalDecl>(D) && isa<GlobalDecl>(Prev)))
      OS << '\n';
    printDecl(D);
    Prev = D;
  }
}

//===----------------------------------------------------------------------===//
// Public entry points
//===----------------------------------------------------------------------===//

void stapc::printScript(raw_ostream &OS, const ScriptFile &F) {
  Printer(OS).printFile(F);
}

void stapc::printDecl(raw_ostream &OS, Decl *D) { Printer(OS).printDecl(D); }

void stapc::printStmt(raw_ostream &OS, Stmt *S, unsigned Indent) {
  Printer(OS).printStmt(S, Indent);
}

void stapc::printExpr(raw_ostream &OS, Expr *E) { Printer(OS).printExpr(E); }

void stapc::printProbePoint(raw_ostream &OS, const ProbePoint &P) {
  Printer(OS).printProbePoint(P);
}
