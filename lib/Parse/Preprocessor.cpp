// Temporary pass-through preprocessor (conditionals/macros coming next).
#include "stapc/Parse/Preprocessor.h"
#include "stapc/Parse/Lexer.h"
#include "stapc/Basic/Diagnostic.h"
#include "llvm/Support/SourceMgr.h"
#include <optional>
using namespace stapc;
class Preprocessor::Impl {
public:
  Impl(llvm::SourceMgr &SM, DiagnosticEngine &Diags, ASTContext &Ctx)
      : SM(SM), Diags(Diags), Ctx(Ctx) {}
  llvm::SourceMgr &SM;
  DiagnosticEngine &Diags;
  ASTContext &Ctx;
  std::optional<Lexer> Lex;
};
Preprocessor::Preprocessor(llvm::SourceMgr &SM, DiagnosticEngine &Diags,
                           ASTContext &Ctx, const PreprocessorOptions &)
    : P(std::make_unique<Impl>(SM, Diags, Ctx)) {}
Preprocessor::~Preprocessor() = default;
void Preprocessor::enterMainBuffer(unsigned ID) {
  P->Lex.emplace(P->SM.getMemoryBuffer(ID)->getBuffer(), P->Diags, P->Ctx);
}
void Preprocessor::loadLibraryMacros(unsigned) {}
Token Preprocessor::next() {
  if (!P->Lex)
    return Token();
  Token T = P->Lex->lex();
  if (T.is(TokenKind::Invalid)) {
    Lexer::reportInvalidToken(P->Diags, T);
    T.Kind = TokenKind::Error;
  }
  return T;
}
