// Placeholder: the printer is being written.
#include "stapc/AST/ASTPrinter.h"
void stapc::printScript(llvm::raw_ostream &, const ScriptFile &) {}
