// Placeholder: the parser is being written.
#include "stapc/Parse/Parser.h"
using namespace stapc;
ScriptFile stapc::parseScript(Preprocessor &, ASTContext &, DiagnosticEngine &,
                              StringRef FileName, unsigned BufferID, bool IsTapset) {
  ScriptFile F;
  F.Name = FileName;
  F.BufferID = BufferID;
  F.IsTapset = IsTapset;
  return F;
}
