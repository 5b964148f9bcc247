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
// record match positions at every `=~` of that probe. matched(n) for n > 0
// adds one hidden local per group number read (MatchGroups), and every
// `=~` such a probe runs must have a plan for finding those of its groups
// (lib/Regex/Submatch.cpp): a group where POSIX's rules do not settle the
// answer, or that stapc does not follow, is an error pointing at the
// construct in the pattern, with a note at the matched() call.
//
//===----------------------------------------------------------------------===//
#include "SemaImpl.h"

#include "stapc/AST/ASTVisitor.h"
#include "stapc/Regex/Regex.h"
#include "stapc/Sema/Builtins.h"

#include <cstring>
#include <map>
#include <set>

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

/// Larger group numbers are refused (a pattern has one '(' per group, and
/// a string literal is at most a few kilobytes).
static constexpr int64_t MaxGroupNumber = 4096;

/// matched(n) with a valid literal n > 0: n, else 0.
static unsigned groupRead(FunctionCall *E) {
  if (E->getCallee() || E->getName() != "matched" || E->getArgs().size() != 1)
    return 0;
  auto *N = llvm::dyn_cast<IntegerLiteral>(E->getArgs()[0]);
  if (!N || N->getValue() <= 0 || N->getValue() > MaxGroupNumber)
    return 0;
  return unsigned(N->getValue());
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
    if (!N || N->getValue() < 0 || N->getValue() > MaxGroupNumber)
      Diags.error(E->getArgs()[0]->getLoc(),
                  "the argument of 'matched' must be a subexpression number "
                  "written as a literal (0: the whole match, at most " +
                      llvm::Twine(MaxGroupNumber) + ")");
  }

private:
  DiagnosticEngine &Diags;
  llvm::DenseSet<stapc::StringLiteral *> Checked;
};

/// Whether a body calls matched()/matched_str()/ngroups(), also in the
/// functions it calls.
/// Also collects the groups it reads with matched(n) (with the first call
/// of each) and the `=~`/`!~` patterns it runs.
class MatchUseFinder : public RecursiveVisitor<MatchUseFinder> {
public:
  bool Found = false;
  std::map<unsigned, FunctionCall *> Groups;
  std::vector<stapc::StringLiteral *> Patterns;
  llvm::DenseSet<FunctionDecl *> Seen;
  void visitFunctionCall(FunctionCall *E) {
    RecursiveVisitor::visitFunctionCall(E);
    Found |= isMatchBuiltin(E);
    if (unsigned G = isMatchBuiltin(E) ? groupRead(E) : 0)
      Groups.try_emplace(G, E);
    if (FunctionDecl *F = E->getCallee())
      if (Seen.insert(F).second)
        traverse(F->Body);
  }
  void visitBinaryExpr(BinaryExpr *E) {
    RecursiveVisitor::visitBinaryExpr(E);
    if (E->getOp() == BinaryOp::RegexMatch ||
        E->getOp() == BinaryOp::RegexNoMatch)
      if (auto *Lit = llvm::dyn_cast<stapc::StringLiteral>(E->getRHS()))
        Patterns.push_back(Lit);
  }
};

/// The hidden match locals of one probe body.
struct MatchLocals {
  VarDecl *Text = nullptr, *Status = nullptr;
  std::vector<VarDecl *> Groups;
};
} // namespace

/// Every pattern a body runs must have a plan for the groups it reads;
/// each refusal is reported once per pattern literal and group set.
static void
checkGroupPlans(DiagnosticEngine &Diags, const MatchUseFinder &F,
                std::set<std::pair<stapc::StringLiteral *,
                                   std::vector<unsigned>>> &CheckedPlans) {
  for (stapc::StringLiteral *Lit : F.Patterns) {
    regex::CompiledRegex R;
    regex::Error Err;
    if (!regex::compileRegex(Lit->getValue(), R, Err))
      continue; // reported already
    std::vector<unsigned> Groups;
    for (auto &[G, Call] : F.Groups)
      if (G <= R.P->getNumGroups())
        Groups.push_back(G);
    if (Groups.empty() || !CheckedPlans.insert({Lit, Groups}).second)
      continue;
    regex::SubmatchPlan Plan;
    if (regex::buildSubmatchPlan(*R.P, Groups, Plan, Err))
      continue;
    if (Err.Offset == regex::Error::WholePattern)
      Diags.error(Lit->getLoc(), Err.Message);
    else
      Diags.error(patternLoc(Lit, Err.Offset), Err.Message);
    // The message starts with "matched(N)": note that call.
    unsigned N = std::atoi(Err.Message.c_str() + strlen("matched("));
    if (FunctionCall *Call = F.Groups.count(N) ? F.Groups.at(N) : nullptr)
      Diags.note(Call->getLoc(), "group " + llvm::Twine(N) +
                                     " is read here; matched(0) still works "
                                     "with this pattern");
  }
}

void SemaImpl::checkRegexes() {
  RegexChecker Check(Diags);
  for (ProbeInstance &P : Prog.Probes)
    Check.traverse(P.Body);
  for (FunctionDecl *F : Prog.Functions)
    Check.traverse(F->Body);

  // Instances sharing a body share its hidden locals, like its others.
  llvm::DenseMap<BlockStmt *, MatchLocals> Hidden;
  std::set<std::pair<stapc::StringLiteral *, std::vector<unsigned>>> Checked;
  for (ProbeInstance &P : Prog.Probes) {
    auto [It, New] = Hidden.try_emplace(P.Body);
    MatchLocals &L = It->second;
    if (New) {
      MatchUseFinder F;
      F.traverse(P.Body);
      if (F.Found) {
        L.Text = makeHiddenLocal(P.Body, "<matched text>", TypeKind::String);
        L.Status = makeHiddenLocal(P.Body, "<match status>", TypeKind::Long);
      }
      for (auto &[G, Call] : F.Groups) {
        L.Groups.resize(G + 1);
        L.Groups[G] = makeHiddenLocal(
            P.Body, Ctx.save(("<group " + llvm::Twine(G) + ">").str()),
            TypeKind::Long);
      }
      if (!F.Groups.empty())
        checkGroupPlans(Diags, F, Checked);
    }
    if (!L.Text)
      continue;
    P.MatchText = L.Text;
    P.MatchStatus = L.Status;
    P.MatchGroups = L.Groups;
    P.Locals.push_back(P.MatchText);
    P.Locals.push_back(P.MatchStatus);
    for (VarDecl *G : L.Groups)
      if (G)
        P.Locals.push_back(G);
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
