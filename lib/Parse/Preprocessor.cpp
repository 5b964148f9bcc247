// Placeholder: being written. Minimal definitions so the tree links.
#include "stapc/Parse/Preprocessor.h"
using namespace stapc;
class Preprocessor::Impl {};
Preprocessor::Preprocessor(llvm::SourceMgr &, DiagnosticEngine &, ASTContext &,
                           const PreprocessorOptions &) {}
Preprocessor::~Preprocessor() = default;
void Preprocessor::enterMainBuffer(unsigned) {}
void Preprocessor::loadLibraryMacros(unsigned) {}
Token Preprocessor::next() { return Token(); }
const char *stapc::tokenKindName(TokenKind) { return "token"; }
