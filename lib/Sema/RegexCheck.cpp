//===- RegexCheck.cpp - `=~` patterns and the matched() family ------------===//
//
// Regular expressions are compiled when the script is translated (CodeGen
// emits their DFAs as tables), so a pattern must be a string literal, and a
// bad or too complex one is an error here, pointing into the literal when
// the source spells it without escapes.
//
// matched() and friends read state of the probe's last match: a probe that
// calls them (directly or in a function it calls) gets two hidden locals
// for it (ProbeInstance::MatchText/MatchStatus), which also tells CodeGen to
// record match positions at every `=~` of that probe.
//
//===----------------------------------------------------------------------===//
#include "SemaImpl.h"

#include "stapc/AST/ASTVisitor.h"
#include "stapc/Regex/Regex.h"
#include "stapc/Sema/Builtins.h"

using namespace stapc;

/// Where in the source a pattern offset is: inside the literal when the
/// literal's source text is its value verbatim up to there, else the
/// literal's start.
static SMLoc patternLoc(stapc::StringLiteral *Lit, size_t Offset) {
  const char *Quote = Lit->getLoc().getPointer();
  StringRef V = Lit->getValue();
  if (!Quote || *Quote != '"')
    return Lit->getLoc();
  for (size_t I = 0; I <= Offset && I < V.size(); ++I)
    if (Quote[1 + I] != V[I] || V[I] == '\\')
      return Lit->getLoc();
  return SMLoc::getFromPointer(Quote + 1 + Offset);
}

static bool isMatchBuiltin(FunctionCall *E) {
  if (E->getCallee())
    return false;
  const BuiltinInfo *B = lookupBuiltin(E->getName());
  return B && (B->ID == BuiltinID::Matched || B->ID == BuiltinID::MatchedStr ||
               B->ID == BuiltinID::Ngroups);
}

namespace {
class RegexChecker : public RecursiveVisitor<RegexChecker> {
public:
  explicit RegexChecker(DiagnosticEngine &Diags) : Diags(Diags) {}

  void visitBinaryExpr(BinaryExpr *E) {
    RecursiveVisitor::visitBinaryExpr(E);
    if (E->getOp() != BinaryOp::RegexMatch &&
        E->getOp() != BinaryOp::RegexNoMatch)
      return;
    auto *Lit = llvm::dyn_cast<stapc::StringLiteral>(E->getRHS());
    if (!Lit) {
      Diags.error(E->getRHS()->getLoc(),
                  "the regular expression of '" + spelling(E->getOp()) +
                      "' must be a string literal: stapc compiles it when "
                      "translating the script");
      return;
    }
    if (!Checked.insert(Lit).second)
      return;
    regex::CompiledRegex R;
    regex::Error Err;
    if (!regex::compileRegex(Lit->getValue(), R, Err)) {
      if (Err.Offset == regex::Error::WholePattern)
        Diags.error(Lit->getLoc(), Err.Message);
      else
        Diags.error(patternLoc(Lit, Err.Offset),
                    "invalid regular expression: " + Err.Message);
    }
  }

  void visitFunctionCall(FunctionCall *E) {
    RecursiveVisitor::visitFunctionCall(E);
    if (!isMatchBuiltin(E) || E->getName() != "matched" ||
        E->getArgs().size() != 1)
      return;
    auto *N = llvm::dyn_cast<IntegerLiteral>(E->getArgs()[0]);
    if (!N || N->getValue() < 0)
      Diags.error(E->getArgs()[0]->getLoc(),
                  "the argument of 'matched' must be a subexpression number "
                  "written as a literal (0: the whole match)");
    else if (N->getValue() > 0)
      Diags.error(E->getArgs()[0]->getLoc(),
                  "matched(" + llvm::Twine(N->getValue()) +
                      "): stapc does not extract parenthesised "
                      "subexpressions yet, only the whole match (matched(0) "
                      "or matched_str()); match the part you need with a "
                      "second '=~'");
  }

private:
  DiagnosticEngine &Diags;
  llvm::DenseSet<stapc::StringLiteral *> Checked;
};

/// Whether a body calls matched()/matched_str()/ngroups(), also in the
/// functions it calls.
class MatchUseFinder : public RecursiveVisitor<MatchUseFinder> {
public:
  bool Found = false;
  llvm::DenseSet<FunctionDecl *> Seen;
  void visitFunctionCall(FunctionCall *E) {
    RecursiveVisitor::visitFunctionCall(E);
    Found |= isMatchBuiltin(E);
    if (FunctionDecl *F = E->getCallee())
      if (Seen.insert(F).second)
        traverse(F->Body);
  }
};
} // namespace

void SemaImpl::checkRegexes() {
  RegexChecker Check(Diags);
  for (ProbeInstance &P : Prog.Probes)
    Check.traverse(P.Body);
  for (FunctionDecl *F : Prog.Functions)
    Check.traverse(F->Body);

  // Instances sharing a body share its hidden locals, like its others.
  llvm::DenseMap<BlockStmt *, std::pair<VarDecl *, VarDecl *>> Hidden;
  for (ProbeInstance &P : Prog.Probes) {
    auto [It, New] = Hidden.try_emplace(P.Body);
    if (New) {
      MatchUseFinder F;
      F.traverse(P.Body);
      if (F.Found)
        It->second = {
            makeHiddenLocal(P.Body, "<matched text>", TypeKind::String),
            makeHiddenLocal(P.Body, "<match status>", TypeKind::Long)};
    }
    if (!It->second.first)
      continue;
    P.MatchText = It->second.first;
    P.MatchStatus = It->second.second;
    P.Locals.push_back(P.MatchText);
    P.Locals.push_back(P.MatchStatus);
  }
}

VarDecl *SemaImpl::makeHiddenLocal(BlockStmt *Body, StringRef Name,
                                   TypeKind T) {
  auto *V = new (Ctx.allocate(sizeof(VarDecl), alignof(VarDecl)))
      VarDecl(VarDecl::Local, Body->getLoc(), Name);
  V->Ty = T;
  V->Arity = 0;
  return V;
}
