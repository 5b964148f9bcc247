//===- CGForeach.cpp - foreach over arrays --------------------------------===//
#include "ProbeEmitter.h"

using namespace stapc;
using namespace llvm;

void ProbeEmitter::emitForeach(ForeachStmt *S) {
  CGM.getDiags().error(S->getLoc(),
                       "'foreach' is not supported by this stapc build yet");
}
