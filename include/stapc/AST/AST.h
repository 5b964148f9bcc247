//===- AST.h - The SystemTap abstract syntax tree --------------*- C++ -*-===//
//
// One node class per construct of the SystemTap language reference. Every
// node carries the source location of its first token (an llvm::SMLoc into
// a buffer of the DiagnosticEngine's SourceMgr).
//
// Nodes are allocated in an ASTContext arena and are never freed one by one:
// they hold only trivially destructible members (StringRef and ArrayRef
// pointing into the same arena). Use LLVM-style RTTI (isa/cast/dyn_cast).
//
//===----------------------------------------------------------------------===//
#ifndef STAPC_AST_AST_H
#define STAPC_AST_AST_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Casting.h"
#include "llvm/Support/SMLoc.h"

#include <cstdint>

namespace stapc {

using llvm::ArrayRef;
using llvm::MutableArrayRef;
using llvm::SMLoc;
using llvm::StringRef;

class ASTContext;

/// Value types of the language. Sema fills these in; the parser leaves
/// Unknown except where the script declares a type.
///
/// The "formatted later" kinds are stap strings whose text only the loader
/// can make (symbols, backtraces): BPF holds a compact long (an address or
/// a stack id) and the loader renders it when it is printed. They can be
/// stored, used as keys and printed, but their text is not available in
/// the probe (docs/Semantics.md, "Symbols and backtraces").
enum class TypeKind : uint8_t {
  Unknown,
  Long,
  String,
  Stats,
  Void,
  // Formatted later (isFormattedLater):
  SymName,   ///< symname(addr): a kernel address
  SymData,   ///< symdata(addr): a kernel address
  KStack,    ///< backtrace(): a kernel stack id
  UStack,    ///< ubacktrace(): (tgid << 32) | user stack id
  KStackText, ///< sprint_backtrace(), sprint_stack(bt): a kernel stack id
  UStackText, ///< sprint_ubacktrace(), sprint_ustack(bt): as UStack
  USymName,  ///< usymname(addr): an id for (process, address)
  USymData,  ///< usymdata(addr): the same
};

/// Whether T is a string that the loader makes when it is printed.
inline bool isFormattedLater(TypeKind T) { return T >= TypeKind::SymName; }
/// Whether a value of T prints with %s (a string, or formatted later).
inline bool printsAsText(TypeKind T) {
  return T == TypeKind::String || isFormattedLater(T);
}

//===----------------------------------------------------------------------===//
// Base
//===----------------------------------------------------------------------===//

class Node {
public:
  enum class Kind : uint8_t {
    // Expressions
    FirstExpr,
    IntegerLiteral = FirstExpr,
    StringLiteral,
    SymbolRef,
    ArrayIndex,
    FunctionCall,
    Unary,
    Postfix,
    Binary,
    Assign,
    Ternary,
    In,
    StatExtract,
    TargetSymbol,
    Cast,
    AtVar,
    Autocast,
    Entry,
    Defined,
    AtFunction,
    EmbeddedExpr,
    LastExpr = EmbeddedExpr,
    // Statements
    FirstStmt,
    Block = FirstStmt,
    Null,
    ExprStmt,
    If,
    While,
    For,
    Foreach,
    Break,
    Continue,
    Next,
    Return,
    Delete,
    Try,
    LastStmt = Try,
    // Declarations
    FirstDecl,
    Probe = FirstDecl,
    ProbeAlias,
    Global,
    Function,
    Embedded,
    LastDecl = Embedded,
  };

  Kind getKind() const { return K; }
  SMLoc getLoc() const { return Loc; }
  void setLoc(SMLoc L) { Loc = L; }

  // Arena-only allocation.
  void *operator new(size_t Size, ASTContext &Ctx, size_t Align = 8);
  void operator delete(void *, ASTContext &, size_t) {}
  void operator delete(void *) {}

protected:
  Node(Kind K, SMLoc Loc) : K(K), Loc(Loc) {}

private:
  Kind K;
  SMLoc Loc;
};

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

class Expr : public Node {
public:
  TypeKind getType() const { return Ty; }
  void setType(TypeKind T) { Ty = T; }

  static bool classof(const Node *N) {
    return N->getKind() >= Kind::FirstExpr && N->getKind() <= Kind::LastExpr;
  }

protected:
  Expr(Kind K, SMLoc Loc) : Node(K, Loc) {}

private:
  TypeKind Ty = TypeKind::Unknown;
};

/// 42, 0x2a, 052. Value is the 64-bit two's complement value.
class IntegerLiteral : public Expr {
public:
  IntegerLiteral(SMLoc Loc, int64_t V) : Expr(Kind::IntegerLiteral, Loc), V(V) {}
  int64_t getValue() const { return V; }
  static bool classof(const Node *N) { return N->getKind() == Kind::IntegerLiteral; }

private:
  int64_t V;
};

/// "text" (escapes already decoded; adjacent literals already joined).
class StringLiteral : public Expr {
public:
  StringLiteral(SMLoc Loc, StringRef V) : Expr(Kind::StringLiteral, Loc), V(V) {}
  StringRef getValue() const { return V; }
  static bool classof(const Node *N) { return N->getKind() == Kind::StringLiteral; }

private:
  StringRef V;
};

class VarDecl;

/// A plain name: a local, a global, or a whole array/statistic.
class SymbolRef : public Expr {
public:
  SymbolRef(SMLoc Loc, StringRef Name) : Expr(Kind::SymbolRef, Loc), Name(Name) {}
  StringRef getName() const { return Name; }
  /// Filled by Sema: the variable this name resolves to.
  VarDecl *getDecl() const { return D; }
  void setDecl(VarDecl *V) { D = V; }
  static bool classof(const Node *N) { return N->getKind() == Kind::SymbolRef; }

private:
  StringRef Name;
  VarDecl *D = nullptr;
};

/// base[i, j, ...]. Base is a SymbolRef (array) or a StatExtract of
/// @hist_log/@hist_linear (bucket read).
class ArrayIndex : public Expr {
public:
  ArrayIndex(SMLoc Loc, Expr *Base, MutableArrayRef<Expr *> Indices)
      : Expr(Kind::ArrayIndex, Loc), Base(Base), Indices(Indices) {}
  Expr *getBase() const { return Base; }
  void setBase(Expr *E) { Base = E; }
  MutableArrayRef<Expr *> getIndices() const { return Indices; }
  static bool classof(const Node *N) { return N->getKind() == Kind::ArrayIndex; }

private:
  Expr *Base;
  MutableArrayRef<Expr *> Indices;
};

class FunctionDecl;

/// name(args). Also the tapset/builtin functions (resolved by Sema).
class FunctionCall : public Expr {
public:
  FunctionCall(SMLoc Loc, StringRef Name, MutableArrayRef<Expr *> Args)
      : Expr(Kind::FunctionCall, Loc), Name(Name), Args(Args) {}
  StringRef getName() const { return Name; }
  MutableArrayRef<Expr *> getArgs() const { return Args; }
  FunctionDecl *getCallee() const { return Callee; }
  void setCallee(FunctionDecl *F) { Callee = F; }
  static bool classof(const Node *N) { return N->getKind() == Kind::FunctionCall; }

private:
  StringRef Name;
  MutableArrayRef<Expr *> Args;
  FunctionDecl *Callee = nullptr;
};

enum class UnaryOp : uint8_t { Neg, Plus, LogicalNot, BitNot, PreInc, PreDec, AddressOf };
enum class PostfixOp : uint8_t { PostInc, PostDec };

class UnaryExpr : public Expr {
public:
  UnaryExpr(SMLoc Loc, UnaryOp Op, Expr *Operand)
      : Expr(Kind::Unary, Loc), Op(Op), Operand(Operand) {}
  UnaryOp getOp() const { return Op; }
  Expr *getOperand() const { return Operand; }
  void setOperand(Expr *E) { Operand = E; }
  static bool classof(const Node *N) { return N->getKind() == Kind::Unary; }

private:
  UnaryOp Op;
  Expr *Operand;
};

class PostfixExpr : public Expr {
public:
  PostfixExpr(SMLoc Loc, PostfixOp Op, Expr *Operand)
      : Expr(Kind::Postfix, Loc), Op(Op), Operand(Operand) {}
  PostfixOp getOp() const { return Op; }
  Expr *getOperand() const { return Operand; }
  void setOperand(Expr *E) { Operand = E; }
  static bool classof(const Node *N) { return N->getKind() == Kind::Postfix; }

private:
  PostfixOp Op;
  Expr *Operand;
};

enum class BinaryOp : uint8_t {
  Mul, Div, Rem,
  Add, Sub, Concat, // '.' binds like + and -
  Shl, Shr,
  LT, GT, LE, GE, EQ, NE, RegexMatch, RegexNoMatch,
  BitAnd, BitXor, BitOr,
  LogicalAnd, LogicalOr,
};

class BinaryExpr : public Expr {
public:
  BinaryExpr(SMLoc Loc, BinaryOp Op, Expr *LHS, Expr *RHS)
      : Expr(Kind::Binary, Loc), Op(Op), LHS(LHS), RHS(RHS) {}
  BinaryOp getOp() const { return Op; }
  Expr *getLHS() const { return LHS; }
  Expr *getRHS() const { return RHS; }
  void setLHS(Expr *E) { LHS = E; }
  void setRHS(Expr *E) { RHS = E; }
  /// Location of the operator token (diagnostics point here).
  SMLoc getOpLoc() const { return OpLoc; }
  void setOpLoc(SMLoc L) { OpLoc = L; }
  static bool classof(const Node *N) { return N->getKind() == Kind::Binary; }

private:
  BinaryOp Op;
  Expr *LHS, *RHS;
  SMLoc OpLoc;
};

enum class AssignOp : uint8_t {
  Assign, AddAssign, SubAssign, MulAssign, DivAssign, RemAssign,
  ShlAssign, ShrAssign, AndAssign, XorAssign, OrAssign, ConcatAssign,
  Aggregate, // <<<
};

class AssignExpr : public Expr {
public:
  AssignExpr(SMLoc Loc, AssignOp Op, Expr *LHS, Expr *RHS)
      : Expr(Kind::Assign, Loc), Op(Op), LHS(LHS), RHS(RHS) {}
  AssignOp getOp() const { return Op; }
  Expr *getLHS() const { return LHS; }
  Expr *getRHS() const { return RHS; }
  void setLHS(Expr *E) { LHS = E; }
  void setRHS(Expr *E) { RHS = E; }
  SMLoc getOpLoc() const { return OpLoc; }
  void setOpLoc(SMLoc L) { OpLoc = L; }
  static bool classof(const Node *N) { return N->getKind() == Kind::Assign; }

private:
  AssignOp Op;
  Expr *LHS, *RHS;
  SMLoc OpLoc;
};

class TernaryExpr : public Expr {
public:
  TernaryExpr(SMLoc Loc, Expr *Cond, Expr *Then, Expr *Else)
      : Expr(Kind::Ternary, Loc), Cond(Cond), Then(Then), Else(Else) {}
  Expr *getCond() const { return Cond; }
  Expr *getThen() const { return Then; }
  Expr *getElse() const { return Else; }
  void setCond(Expr *E) { Cond = E; }
  void setThen(Expr *E) { Then = E; }
  void setElse(Expr *E) { Else = E; }
  static bool classof(const Node *N) { return N->getKind() == Kind::Ternary; }

private:
  Expr *Cond, *Then, *Else;
};

/// `k in arr`, `[a, b] in arr`, `[a, *] in arr` (a null key is `*`).
/// Keys holds one entry per key column.
class InExpr : public Expr {
public:
  InExpr(SMLoc Loc, MutableArrayRef<Expr *> Keys, Expr *Array, bool Bracketed)
      : Expr(Kind::In, Loc), Keys(Keys), Array(Array), Bracketed(Bracketed) {}
  MutableArrayRef<Expr *> getKeys() const { return Keys; }
  Expr *getArray() const { return Array; }
  /// Whether the keys were written in brackets (`[k] in a` vs `k in a`).
  bool isBracketed() const { return Bracketed; }
  static bool classof(const Node *N) { return N->getKind() == Kind::In; }

private:
  MutableArrayRef<Expr *> Keys;
  Expr *Array;
  bool Bracketed;
};

enum class StatKind : uint8_t { Count, Sum, Min, Max, Avg, Variance, HistLog, HistLinear };

/// @count(s), @sum(s), ... @hist_linear(s, lo, hi, width), @variance(s[, bshift]).
/// Params holds the extra arguments after the operand.
class StatExtractExpr : public Expr {
public:
  StatExtractExpr(SMLoc Loc, StatKind SK, Expr *Operand,
                  MutableArrayRef<Expr *> Params)
      : Expr(Kind::StatExtract, Loc), SK(SK), Operand(Operand), Params(Params) {}
  StatKind getStatKind() const { return SK; }
  Expr *getOperand() const { return Operand; }
  MutableArrayRef<Expr *> getParams() const { return Params; }
  static bool classof(const Node *N) { return N->getKind() == Kind::StatExtract; }

private:
  StatKind SK;
  Expr *Operand;
  MutableArrayRef<Expr *> Params;
};

/// One step of a member chain after a target value: `->name`, `.name`
/// (written as `->` in canonical output), or `[index]` (Subscript).
struct TargetComponent {
  enum CompKind : uint8_t { Member, Subscript } K;
  SMLoc Loc;
  StringRef Name;       // Member
  Expr *Index = nullptr; // Subscript
};

/// Common base of the expressions that read typed (BTF/DWARF) data and may
/// be followed by a member chain: `$var->a[2]`, `@cast(...)->b`, `f()->c`.
/// PrettyPrint is the number of trailing `$` (`$var$`, `$var$$`).
class TargetExpr : public Expr {
public:
  MutableArrayRef<TargetComponent> getComponents() const { return Components; }
  void setComponents(MutableArrayRef<TargetComponent> C) { Components = C; }
  unsigned getPrettyPrint() const { return PrettyPrint; }
  void setPrettyPrint(unsigned N) { PrettyPrint = N; }

  static bool classof(const Node *N) {
    Kind K = N->getKind();
    return K == Kind::TargetSymbol || K == Kind::Cast || K == Kind::AtVar ||
           K == Kind::Autocast;
  }

protected:
  TargetExpr(Kind K, SMLoc Loc) : Expr(K, Loc) {}

private:
  MutableArrayRef<TargetComponent> Components;
  unsigned PrettyPrint = 0;
};

/// `$name`, and the context lists `$$vars`, `$$locals`, `$$parms`,
/// `$$return` (Name keeps the leading `$`s: "$name", "$$vars").
class TargetSymbolExpr : public TargetExpr {
public:
  TargetSymbolExpr(SMLoc Loc, StringRef Name)
      : TargetExpr(Kind::TargetSymbol, Loc), Name(Name) {}
  StringRef getName() const { return Name; }
  bool isContextList() const { return Name.starts_with("$$"); }
  static bool classof(const Node *N) { return N->getKind() == Kind::TargetSymbol; }

private:
  StringRef Name;
};

/// @cast(operand, "type"[, "module"]) followed by components.
class CastExpr : public TargetExpr {
public:
  CastExpr(SMLoc Loc, Expr *Operand, StringRef TypeName, StringRef Module,
           bool HasModule)
      : TargetExpr(Kind::Cast, Loc), Operand(Operand), TypeName(TypeName),
        Module(Module), HasModule(HasModule) {}
  Expr *getOperand() const { return Operand; }
  void setOperand(Expr *E) { Operand = E; }
  StringRef getTypeName() const { return TypeName; }
  StringRef getModule() const { return Module; }
  bool hasModule() const { return HasModule; }
  static bool classof(const Node *N) { return N->getKind() == Kind::Cast; }

private:
  Expr *Operand;
  StringRef TypeName, Module;
  bool HasModule;
};

/// @var("name[@file]"[, "module"]) followed by components.
class AtVarExpr : public TargetExpr {
public:
  AtVarExpr(SMLoc Loc, StringRef VarName, StringRef Module, bool HasModule)
      : TargetExpr(Kind::AtVar, Loc), VarName(VarName), Module(Module),
        HasModule(HasModule) {}
  StringRef getVarName() const { return VarName; }
  StringRef getModule() const { return Module; }
  bool hasModule() const { return HasModule; }
  static bool classof(const Node *N) { return N->getKind() == Kind::AtVar; }

private:
  StringRef VarName, Module;
  bool HasModule;
};

/// Any other expression followed by `->member` / `[i]` (stap's autocast:
/// the operand's type comes from a typed function result or @cast).
class AutocastExpr : public TargetExpr {
public:
  AutocastExpr(SMLoc Loc, Expr *Operand)
      : TargetExpr(Kind::Autocast, Loc), Operand(Operand) {}
  Expr *getOperand() const { return Operand; }
  void setOperand(Expr *E) { Operand = E; }
  static bool classof(const Node *N) { return N->getKind() == Kind::Autocast; }

private:
  Expr *Operand;
};

/// @entry(expr): the value of expr at function entry, in a .return probe.
class EntryExpr : public Expr {
public:
  EntryExpr(SMLoc Loc, Expr *Operand) : Expr(Kind::Entry, Loc), Operand(Operand) {}
  Expr *getOperand() const { return Operand; }
  void setOperand(Expr *E) { Operand = E; }
  static bool classof(const Node *N) { return N->getKind() == Kind::Entry; }

private:
  Expr *Operand;
};

/// @defined(expr): 1 if the target expression resolves, else 0.
class DefinedExpr : public Expr {
public:
  DefinedExpr(SMLoc Loc, Expr *Operand)
      : Expr(Kind::Defined, Loc), Operand(Operand) {}
  Expr *getOperand() const { return Operand; }
  void setOperand(Expr *E) { Operand = E; }
  static bool classof(const Node *N) { return N->getKind() == Kind::Defined; }

private:
  Expr *Operand;
};

/// The remaining `@name(args)` operators of the language that take plain
/// arguments: @const("NAME"), @kregister(n), @uregister(n), @probewrite(v),
/// @task(...), @module(...)... Name excludes the '@'.
class AtFunctionExpr : public Expr {
public:
  AtFunctionExpr(SMLoc Loc, StringRef Name, MutableArrayRef<Expr *> Args)
      : Expr(Kind::AtFunction, Loc), Name(Name), Args(Args) {}
  StringRef getName() const { return Name; }
  MutableArrayRef<Expr *> getArgs() const { return Args; }
  static bool classof(const Node *N) { return N->getKind() == Kind::AtFunction; }

private:
  StringRef Name;
  MutableArrayRef<Expr *> Args;
};

/// `%{ C expression %}` used as an expression (guru mode only).
class EmbeddedExpr : public Expr {
public:
  EmbeddedExpr(SMLoc Loc, StringRef Code) : Expr(Kind::EmbeddedExpr, Loc), Code(Code) {}
  StringRef getCode() const { return Code; }
  static bool classof(const Node *N) { return N->getKind() == Kind::EmbeddedExpr; }

private:
  StringRef Code;
};

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

class Stmt : public Node {
public:
  static bool classof(const Node *N) {
    return N->getKind() >= Kind::FirstStmt && N->getKind() <= Kind::LastStmt;
  }

protected:
  Stmt(Kind K, SMLoc Loc) : Node(K, Loc) {}
};

class BlockStmt : public Stmt {
public:
  BlockStmt(SMLoc Loc, MutableArrayRef<Stmt *> Body) : Stmt(Kind::Block, Loc), Body(Body) {}
  MutableArrayRef<Stmt *> getBody() const { return Body; }
  void setBody(MutableArrayRef<Stmt *> B) { Body = B; }
  static bool classof(const Node *N) { return N->getKind() == Kind::Block; }

private:
  MutableArrayRef<Stmt *> Body;
};

/// A lone ';'.
class NullStmt : public Stmt {
public:
  explicit NullStmt(SMLoc Loc) : Stmt(Kind::Null, Loc) {}
  static bool classof(const Node *N) { return N->getKind() == Kind::Null; }
};

class ExprStmt : public Stmt {
public:
  ExprStmt(SMLoc Loc, Expr *E) : Stmt(Kind::ExprStmt, Loc), E(E) {}
  Expr *getExpr() const { return E; }
  void setExpr(Expr *X) { E = X; }
  static bool classof(const Node *N) { return N->getKind() == Kind::ExprStmt; }

private:
  Expr *E;
};

class IfStmt : public Stmt {
public:
  IfStmt(SMLoc Loc, Expr *Cond, Stmt *Then, Stmt *Else)
      : Stmt(Kind::If, Loc), Cond(Cond), Then(Then), Else(Else) {}
  Expr *getCond() const { return Cond; }
  Stmt *getThen() const { return Then; }
  Stmt *getElse() const { return Else; } // may be null
  void setCond(Expr *E) { Cond = E; }
  static bool classof(const Node *N) { return N->getKind() == Kind::If; }

private:
  Expr *Cond;
  Stmt *Then, *Else;
};

class WhileStmt : public Stmt {
public:
  WhileStmt(SMLoc Loc, Expr *Cond, Stmt *Body)
      : Stmt(Kind::While, Loc), Cond(Cond), Body(Body) {}
  Expr *getCond() const { return Cond; }
  Stmt *getBody() const { return Body; }
  void setCond(Expr *E) { Cond = E; }
  static bool classof(const Node *N) { return N->getKind() == Kind::While; }

private:
  Expr *Cond;
  Stmt *Body;
};

/// for (init; cond; incr) body -- each of the three may be null.
class ForStmt : public Stmt {
public:
  ForStmt(SMLoc Loc, Expr *Init, Expr *Cond, Expr *Incr, Stmt *Body)
      : Stmt(Kind::For, Loc), Init(Init), Cond(Cond), Incr(Incr), Body(Body) {}
  Expr *getInit() const { return Init; }
  Expr *getCond() const { return Cond; }
  Expr *getIncr() const { return Incr; }
  Stmt *getBody() const { return Body; }
  void setInit(Expr *E) { Init = E; }
  void setCond(Expr *E) { Cond = E; }
  void setIncr(Expr *E) { Incr = E; }
  static bool classof(const Node *N) { return N->getKind() == Kind::For; }

private:
  Expr *Init, *Cond, *Incr;
  Stmt *Body;
};

/// foreach ([v =] [k1, k2...] in array[slice] [@agg][+|-] limit N) body
///
/// Sort marks: SortColumn 0 is the value, 1..N the key columns; SortDir is
/// +1 ascending, -1 descending, 0 unsorted. With a statistics array the
/// value sort may name an extractor (SortAggregate), e.g. `s @sum-`.
class ForeachStmt : public Stmt {
public:
  ForeachStmt(SMLoc Loc) : Stmt(Kind::Foreach, Loc) {}

  SymbolRef *ValueVar = nullptr;      // `v =` form, else null
  MutableArrayRef<SymbolRef *> Keys;  // key variables (1..9)
  bool KeysBracketed = false;         // `[a, b] in` vs `a in`
  Expr *Array = nullptr;              // SymbolRef of the array
  /// `arr[k, *]` slice: one entry per key column, null for `*`. Empty when
  /// no slice was written.
  MutableArrayRef<Expr *> Slice;
  int SortColumn = -1; // -1: no sort mark; 0: value; k: key k (1-based)
  int SortDir = 0;     // +1, -1, or 0
  bool HasSortAggregate = false;
  StatKind SortAggregate = StatKind::Count;
  Expr *Limit = nullptr;
  Stmt *Body = nullptr;

  static bool classof(const Node *N) { return N->getKind() == Kind::Foreach; }
};

class BreakStmt : public Stmt {
public:
  explicit BreakStmt(SMLoc Loc) : Stmt(Kind::Break, Loc) {}
  static bool classof(const Node *N) { return N->getKind() == Kind::Break; }
};

class ContinueStmt : public Stmt {
public:
  explicit ContinueStmt(SMLoc Loc) : Stmt(Kind::Continue, Loc) {}
  static bool classof(const Node *N) { return N->getKind() == Kind::Continue; }
};

class NextStmt : public Stmt {
public:
  explicit NextStmt(SMLoc Loc) : Stmt(Kind::Next, Loc) {}
  static bool classof(const Node *N) { return N->getKind() == Kind::Next; }
};

class ReturnStmt : public Stmt {
public:
  ReturnStmt(SMLoc Loc, Expr *Value) : Stmt(Kind::Return, Loc), Value(Value) {}
  Expr *getValue() const { return Value; } // may be null
  void setValue(Expr *E) { Value = E; }
  static bool classof(const Node *N) { return N->getKind() == Kind::Return; }

private:
  Expr *Value;
};

/// delete arr[k], delete arr[*, k], delete arr, delete scalar.
class DeleteStmt : public Stmt {
public:
  DeleteStmt(SMLoc Loc, Expr *Target) : Stmt(Kind::Delete, Loc), Target(Target) {}
  Expr *getTarget() const { return Target; }
  void setTarget(Expr *E) { Target = E; }
  static bool classof(const Node *N) { return N->getKind() == Kind::Delete; }

private:
  Expr *Target;
};

/// try { ... } catch [(msg)] { ... }
class TryStmt : public Stmt {
public:
  TryStmt(SMLoc Loc, BlockStmt *TryBlock, SymbolRef *CatchVar,
          BlockStmt *CatchBlock)
      : Stmt(Kind::Try, Loc), TryBlock(TryBlock), CatchVar(CatchVar),
        CatchBlock(CatchBlock) {}
  BlockStmt *getTryBlock() const { return TryBlock; }
  SymbolRef *getCatchVar() const { return CatchVar; } // may be null
  BlockStmt *getCatchBlock() const { return CatchBlock; }
  static bool classof(const Node *N) { return N->getKind() == Kind::Try; }

private:
  BlockStmt *TryBlock;
  SymbolRef *CatchVar;
  BlockStmt *CatchBlock;
};

//===----------------------------------------------------------------------===//
// Probe points and declarations
//===----------------------------------------------------------------------===//

/// One dotted component of a probe point: `kernel`, `function("vfs_*")`,
/// `begin(-1)`, `s(30)`, `{read,write}`, `sys*`. Name keeps wildcard and
/// brace characters as written.
struct ProbePointComponent {
  SMLoc Loc;
  StringRef Name;
  Expr *Arg = nullptr; // IntegerLiteral or StringLiteral, or null
};

struct ProbePoint {
  SMLoc Loc;
  MutableArrayRef<ProbePointComponent> Components;
  bool Optional = false;   // trailing '?'
  bool Sufficient = false; // trailing '!'
  Expr *Condition = nullptr; // `if (expr)`
};

class Decl : public Node {
public:
  static bool classof(const Node *N) {
    return N->getKind() >= Kind::FirstDecl && N->getKind() <= Kind::LastDecl;
  }
  bool isPrivate() const { return Private; }
  void setPrivate(bool B) { Private = B; }
  /// True for declarations that came from a tapset file, not the user script.
  bool isFromTapset() const { return FromTapset; }
  void setFromTapset(bool B) { FromTapset = B; }

protected:
  Decl(Kind K, SMLoc Loc) : Node(K, Loc) {}

private:
  bool Private = false;
  bool FromTapset = false;
};

/// probe PP[, PP...] { body }
class ProbeDecl : public Decl {
public:
  ProbeDecl(SMLoc Loc, MutableArrayRef<ProbePoint> Points, BlockStmt *Body)
      : Decl(Kind::Probe, Loc), Points(Points), Body(Body) {}
  MutableArrayRef<ProbePoint> getPoints() const { return Points; }
  BlockStmt *getBody() const { return Body; }
  void setBody(BlockStmt *B) { Body = B; }
  static bool classof(const Node *N) { return N->getKind() == Kind::Probe; }

private:
  MutableArrayRef<ProbePoint> Points;
  BlockStmt *Body;
};

/// probe NAME[, NAME...] = PP[, PP...] { prologue }
/// probe NAME[, NAME...] += PP[, PP...] { epilogue }
/// probe NAME[, NAME...] = PP[, PP...] { prologue }, { epilogue }
class ProbeAliasDecl : public Decl {
public:
  ProbeAliasDecl(SMLoc Loc, MutableArrayRef<ProbePoint> Names,
                 MutableArrayRef<ProbePoint> Points, BlockStmt *Body,
                 bool Epilogue)
      : Decl(Kind::ProbeAlias, Loc), Names(Names), Points(Points), Body(Body),
        Epilogue(Epilogue) {}
  MutableArrayRef<ProbePoint> getNames() const { return Names; }
  MutableArrayRef<ProbePoint> getPoints() const { return Points; }
  BlockStmt *getBody() const { return Body; }
  bool isEpilogue() const { return Epilogue; }
  /// The second block of the combined `= PP { prologue }, { epilogue }`
  /// form (used throughout the syscall tapsets); null otherwise.
  BlockStmt *getEpilogueBody() const { return EpilogueBody; }
  void setEpilogueBody(BlockStmt *B) { EpilogueBody = B; }
  static bool classof(const Node *N) { return N->getKind() == Kind::ProbeAlias; }

private:
  MutableArrayRef<ProbePoint> Names, Points;
  BlockStmt *Body;
  BlockStmt *EpilogueBody = nullptr;
  bool Epilogue;
};

/// A variable: a global (GlobalDecl), or a local/parameter that Sema creates.
class VarDecl {
public:
  enum VarKind : uint8_t { Global, Local, Param };
  VarDecl(VarKind K, SMLoc Loc, StringRef Name) : K(K), Loc(Loc), Name(Name) {}
  VarKind getVarKind() const { return K; }
  SMLoc getLoc() const { return Loc; }
  StringRef getName() const { return Name; }

  /// Value type (Long/String/Stats); for arrays, the element type.
  TypeKind Ty = TypeKind::Unknown;
  /// Arrays: number of key columns (0 = scalar, -1 = not known yet) and
  /// their types.
  int Arity = -1;
  MutableArrayRef<TypeKind> KeyTypes;

private:
  VarKind K;
  SMLoc Loc;
  StringRef Name;
};

/// global NAME [ '[' size ']' ] [ '%' ] [ = init ]; one per declared name.
class GlobalDecl : public Decl {
public:
  GlobalDecl(SMLoc Loc, StringRef Name)
      : Decl(Kind::Global, Loc), Var(VarDecl::Global, Loc, Name) {}
  StringRef getName() const { return Var.getName(); }
  VarDecl &getVar() { return Var; }

  bool HasSize = false;   // `name[N]` declares an array of N entries
  int64_t Size = 0;
  bool Wrap = false;      // `name%` / `name%[N]`: wrap-around array
  Expr *Init = nullptr;   // literal initializer

  static bool classof(const Node *N) { return N->getKind() == Kind::Global; }

private:
  VarDecl Var;
};

struct ParamDecl {
  SMLoc Loc;
  StringRef Name;
  TypeKind DeclaredType = TypeKind::Unknown; // `x:long`, `s:string`
};

/// function NAME[:type] (params) { body } or %{ embedded C %}.
class FunctionDecl : public Decl {
public:
  FunctionDecl(SMLoc Loc, StringRef Name) : Decl(Kind::Function, Loc), Name(Name) {}
  StringRef getName() const { return Name; }

  TypeKind DeclaredReturn = TypeKind::Unknown;
  MutableArrayRef<ParamDecl> Params;
  BlockStmt *Body = nullptr;      // script body, or
  bool IsEmbedded = false;        // `%{ ... %}` body
  StringRef EmbeddedCode;         // text between %{ and %}
  SMLoc EmbeddedLoc;

  /// Filled by Sema.
  TypeKind ReturnType = TypeKind::Unknown;

  static bool classof(const Node *N) { return N->getKind() == Kind::Function; }

private:
  StringRef Name;
};

/// Top-level `%{ ... %}` block.
class EmbeddedDecl : public Decl {
public:
  EmbeddedDecl(SMLoc Loc, StringRef Code) : Decl(Kind::Embedded, Loc), Code(Code) {}
  StringRef getCode() const { return Code; }
  static bool classof(const Node *N) { return N->getKind() == Kind::Embedded; }

private:
  StringRef Code;
};

/// One parsed file (a user script, `-e` text, or a tapset file).
struct ScriptFile {
  StringRef Name;
  unsigned BufferID = 0;
  bool IsTapset = false;
  MutableArrayRef<Decl *> Decls;
};

/// Spelling helpers shared by the printer and diagnostics.
StringRef spelling(UnaryOp Op);
StringRef spelling(PostfixOp Op);
StringRef spelling(BinaryOp Op);
StringRef spelling(AssignOp Op);
StringRef spelling(StatKind K); // "count", "hist_log", ... (no '@')
StringRef spelling(TypeKind T); // "long", "string", "stats", ...

} // namespace stapc

#endif
