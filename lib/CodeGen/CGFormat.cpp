//===- CGFormat.cpp - sprintf compiled to straight-line BPF ---------------===//
//
// The format string is a compile-time constant, so sprintf becomes a fixed
// sequence of appends to a string slot, one group per conversion, with the
// semantics of the loader's printf (lib/Runtime/Formatter.cpp, whose parser
// is used here too).
//
// What keeps the verifier's work linear in the number of conversions:
// - every append is one helper call (bpf_probe_read_kernel from the source,
//   or from a .rodata run of pad characters) with its length clamped to the
//   room left, so there are no loops over output bytes;
// - the output position lives in scratch memory and is re-read (volatile)
//   before each append: the verifier knows nothing about map memory, so
//   every path reaches the next append in the same state and is pruned,
//   instead of each branch (sign, padding side...) doubling the paths;
// - digits come from a fixed, unrolled sequence (20 decimal, 22 octal, 16
//   hex), with no data-dependent exit.
// Offsets and lengths are masked to the next power of two above
// MAXSTRINGLEN and the slot has twice that reach in the scratch map: the
// verifier bounds the position and the length separately (Linux 6.1 learns
// nothing from comparing them).
//
//===----------------------------------------------------------------------===//
#include "CGFormat.h"
#include "ProbeEmitter.h"

#include "stapc/Runtime/Formatter.h"

#include "llvm/Support/MathExtras.h"

using namespace stapc;
using namespace llvm;
using runtime::FormatPiece;

static Value *asCInt(BPFIRBuilder &B, Value *Arg) {
  return B.CreateSExt(B.CreateTrunc(Arg, B.getInt32Ty()), B.getInt64Ty());
}

static Value *smax(BPFIRBuilder &B, Value *A, int64_t C) {
  return B.CreateSelect(B.CreateICmpSLT(A, B.getInt64(C)), B.getInt64(C), A);
}

static Value *umin(BPFIRBuilder &B, Value *A, Value *C) {
  return B.CreateSelect(B.CreateICmpUGT(A, C), C, A);
}

Value *stapc::emitStarPrecision(BPFIRBuilder &B, Value *Arg) {
  Value *P = smax(B, asCInt(B, Arg), 0);
  return umin(B, P, B.getInt64(runtime::MaxFieldWidth));
}

std::pair<Value *, Value *> stapc::emitStarWidth(BPFIRBuilder &B, Value *Arg) {
  Value *W = asCInt(B, Arg);
  Value *Neg = B.CreateICmpSLT(W, B.getInt64(0));
  W = B.CreateSelect(Neg, B.CreateNeg(W), W);
  return {umin(B, W, B.getInt64(runtime::MaxFieldWidth)), Neg};
}

Value *stapc::emitCharEscape(BPFIRBuilder &B, Value *Ch, Value *P,
                             char Quote) {
  const char Escapes[][2] = {{'\a', 'a'}, {'\b', 'b'}, {'\f', 'f'},
                             {'\n', 'n'}, {'\r', 'r'}, {'\t', 't'},
                             {'\v', 'v'}, {'\\', '\\'}, {Quote, Quote}};
  Value *Letter = B.getInt64(0);
  for (auto &E : Escapes)
    Letter = B.CreateSelect(B.CreateICmpEQ(Ch, B.getInt64(E[0])),
                            B.getInt64(E[1]), Letter);
  Value *HasLetter = B.CreateICmpNE(Letter, B.getInt64(0));
  Value *Plain = B.CreateAnd(
      B.CreateICmpULT(B.CreateSub(Ch, B.getInt64(0x20)), B.getInt64(0x5f)),
      B.CreateNot(HasLetter));
  auto Octal = [&](unsigned Shift) {
    return B.CreateAdd(B.getInt64('0'),
                       B.CreateAnd(B.CreateLShr(Ch, Shift), B.getInt64(7)));
  };
  Value *Bytes[4] = {B.CreateSelect(Plain, Ch, B.getInt64('\\')),
                     B.CreateSelect(HasLetter, Letter, Octal(6)), Octal(3),
                     Octal(0)};
  for (unsigned I = 0; I < 4; ++I)
    B.CreateStore(B.CreateTrunc(Bytes[I], B.getInt8Ty()),
                  B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), P, I));
  return B.CreateSelect(Plain, B.getInt64(1),
                        B.CreateSelect(HasLetter, B.getInt64(2),
                                       B.getInt64(4)));
}

Value *ProbeEmitter::emitMemoryRead(Value *Dst, Value *Addr, Value *Len,
                                    bool User, SMLoc Loc) {
  unsigned N = CGM.getOptions().MaxStringLen;
  Value *L = umin(B, smax(B, Len, 1), B.getInt64(N - 1));
  Value *Err = B.createHelperCall(
      User ? BPFHelper::ProbeReadUser : BPFHelper::ProbeReadKernel,
      B.getInt64Ty(),
      {Dst, B.CreateTrunc(L, B.getInt32Ty()),
       B.CreateIntToPtr(Addr, B.getPtrTy())},
      "rdmem");
  exitIf(B.CreateICmpSLT(Err, B.getInt64(0)), Loc,
         User ? "user read fault in a memory conversion (m/M)"
              : "kernel read fault in a memory conversion (m/M)");
  return L;
}

namespace {
/// Scratch cells of one sprintf (offsets into FormatEmitter::Cells).
enum : unsigned {
  PosCell = 0,     // bytes written so far
  ForgetCell = 8,  // see forget()
  TextCell = 16,   // a sign, an escaped %c or a %b value (8 bytes)
  DigitsCell = 24, // up to 22 digits, right-aligned in 32 bytes
  CellsSize = 56,
  DigitsSize = 32,
};

class FormatEmitter {
public:
  FormatEmitter(ProbeEmitter &PE, SMLoc Loc)
      : PE(PE), B(PE.B), CGM(PE.CGM), Loc(Loc),
        N(CGM.getOptions().MaxStringLen), Mask(PowerOf2Ceil(N) - 1) {
    // Position and length are each bounded by Mask for the verifier.
    Dst = PE.allocScratchPtr(N, 2 * (Mask + 1));
    Cells = PE.sharedScratch(ProbeEmitter::Shared::FormatCells, CellsSize,
                             CellsSize);
  }

  /// ArgAt(I) yields argument I when its conversion is emitted, so values
  /// need not all be live at once.
  Value *emit(const runtime::Format &F, function_ref<Value *(unsigned)> ArgAt);

private:
  Value *cell(unsigned Off) {
    return B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Cells, Off);
  }
  Value *loadPos() {
    Value *P = B.CreateLoad(B.getInt64Ty(), cell(PosCell), true, "pos");
    return B.CreateAnd(P, B.getInt64(Mask));
  }
  void storePos(Value *P) { B.CreateStore(P, cell(PosCell), true); }
  /// V through scratch memory: the verifier forgets what it knew, so the
  /// branches that computed V stop multiplying its paths. Callers clamp.
  Value *forget(Value *V) {
    B.CreateStore(V, cell(ForgetCell), true);
    return B.CreateLoad(B.getInt64Ty(), cell(ForgetCell), true);
  }
  bool isNone(Value *V) {
    auto *C = dyn_cast<ConstantInt>(V);
    return C && C->getSExtValue() < 0;
  }
  Value *temp(ProbeEmitter::Shared Which) {
    return PE.sharedScratch(Which, N, Mask + N);
  }

  void append(Value *Src, Value *Len);
  void appendLiteral(StringRef S);
  void appendFill(char C, Value *Count);
  void appendString(Value *S, Value *Prec);
  void appendPadded(Value *Src, Value *Len, Value *Left, Value *Width);

  void emitNumber(Value *V, char Conv, unsigned Flags, Value *Left,
                  Value *Width, Value *Prec);
  Value *emitDigits(Value *Mag, unsigned Base, bool Upper);
  void emitChar(Value *V, bool Escape, Value *Left, Value *Width);
  void emitStringConv(Value *S, unsigned Flags, Value *Left, Value *Width,
                      Value *Prec);
  void emitMemory(Value *Addr, char Conv, unsigned Flags, Value *Left,
                  Value *Width, Value *Prec);
  void emitHex(Value *Src, Value *Out, unsigned Bytes);
  void emitBinary(Value *V, Value *Left, Value *Width, Value *Prec);

  ProbeEmitter &PE;
  BPFIRBuilder &B;
  CodeGenModule &CGM;
  SMLoc Loc;
  unsigned N;
  uint64_t Mask;
  Value *Dst, *Cells;
};
} // namespace

/// Src[0, Len) at the end of the output, cut to the room left.
void FormatEmitter::append(Value *Src, Value *Len) {
  if (auto *C = dyn_cast<ConstantInt>(Len); C && C->getSExtValue() <= 0)
    return;
  Value *Pos = loadPos();
  // Pos < N at run time; the verifier only knows Pos <= Mask.
  Value *Room = smax(B, B.CreateSub(B.getInt64(N - 1), Pos), 0);
  Value *L = umin(B, smax(B, Len, 0), Room);
  L = B.CreateAnd(B.createOpaque(L), B.getInt64(Mask));
  B.createHelperCall(BPFHelper::ProbeReadKernel, B.getInt64Ty(),
                     {B.CreateGEP(B.getInt8Ty(), Dst, Pos),
                      B.CreateTrunc(L, B.getInt32Ty()), Src},
                     "fmt.app");
  storePos(B.CreateAdd(Pos, L));
}

void FormatEmitter::appendLiteral(StringRef S) {
  if (!S.empty())
    append(CGM.getStringConstant(S), B.getInt64(S.size()));
}

/// Count copies of C (from a .rodata run of MAXSTRINGLEN-1 of them).
void FormatEmitter::appendFill(char C, Value *Count) {
  append(CGM.getStringConstant(std::string(N - 1, C)), Count);
}

/// A NUL-terminated string, at most Prec (if >= 0) characters of it.
void FormatEmitter::appendString(Value *S, Value *Prec) {
  Value *Pos = loadPos();
  Value *Room = smax(B, B.CreateSub(B.getInt64(N - 1), Pos), 0);
  if (!isNone(Prec))
    Room = B.CreateAnd(B.createOpaque(umin(B, Room, Prec)), B.getInt64(Mask));
  Value *R = B.createHelperCall(
      BPFHelper::ProbeReadKernelStr, B.getInt64Ty(),
      {B.CreateGEP(B.getInt8Ty(), Dst, Pos),
       B.CreateTrunc(B.CreateAdd(Room, B.getInt64(1)), B.getInt32Ty()), S},
      "fmt.str");
  // R counts the NUL; a failed read adds nothing.
  storePos(B.CreateAdd(Pos, smax(B, B.CreateSub(R, B.getInt64(1)), 0)));
}

/// Src[0, Len) padded with spaces to Width, on the left unless Left.
void FormatEmitter::appendPadded(Value *Src, Value *Len, Value *Left,
                                 Value *Width) {
  if (isNone(Width))
    return append(Src, Len);
  Value *Pad = forget(B.CreateSub(Width, Len));
  appendFill(' ', B.CreateSelect(Left, B.getInt64(0), Pad));
  append(Src, Len);
  appendFill(' ', B.CreateSelect(Left, Pad, B.getInt64(0)));
}

/// Writes Mag's digits right-aligned into the digits cell; returns how
/// many are significant (at least one).
Value *FormatEmitter::emitDigits(Value *Mag, unsigned Base, bool Upper) {
  unsigned K = Base == 10 ? 20 : Base == 16 ? 16 : 22;
  Constant *Table =
      CGM.getStringConstant(Upper ? "0123456789ABCDEF" : "0123456789abcdef");
  Value *X = Mag;
  for (unsigned I = 0; I < K; ++I) {
    Value *D = Base == 10 ? B.CreateURem(X, B.getInt64(10))
                          : B.CreateAnd(X, B.getInt64(Base - 1));
    // The verifier bounds x & 15 but not x % 10: decimal digits by adding.
    Value *Ch = Base == 10 ? B.CreateTrunc(B.CreateAdd(D, B.getInt64('0')),
                                           B.getInt8Ty())
                           : B.CreateLoad(B.getInt8Ty(),
                                          B.CreateGEP(B.getInt8Ty(), Table, D));
    B.CreateStore(Ch, cell(DigitsCell + DigitsSize - 1 - I));
    X = Base == 10 ? B.CreateUDiv(X, B.getInt64(10))
                   : B.CreateLShr(X, Log2_32(Base));
  }
  Value *Count = B.getInt64(1);
  uint64_t Power = 1;
  for (unsigned I = 1; I < K; ++I) {
    Power *= Base;
    Count = B.CreateAdd(Count, B.CreateZExt(B.CreateICmpUGE(Mag, B.getInt64(Power)),
                                            B.getInt64Ty()));
  }
  return umin(B, smax(B, forget(Count), 1), B.getInt64(K));
}

/// d i u x X o p, following the loader's formatNumber.
void FormatEmitter::emitNumber(Value *V, char Conv, unsigned Flags, Value *Left,
                               Value *Width, Value *Prec) {
  bool Signed = Conv == 'd' || Conv == 'i';
  unsigned Base = StringRef("xXp").contains(Conv) ? 16 : Conv == 'o' ? 8 : 10;
  if (Conv == 'p')
    Flags |= runtime::FlagSpecial;
  bool Zero = Flags & runtime::FlagZeroPad;
  Value *Mag = V, *SignLen = B.getInt64(0);
  if (Signed) {
    Value *Neg = B.CreateICmpSLT(V, B.getInt64(0));
    Mag = B.CreateSelect(Neg, B.CreateNeg(V), V);
    char Other = Flags & runtime::FlagPlus    ? '+'
                 : Flags & runtime::FlagSpace ? ' '
                                              : 0;
    B.CreateStore(B.CreateSelect(Neg, B.getInt8('-'), B.getInt8(Other)),
                  cell(TextCell));
    SignLen = Other ? B.getInt64(1) : B.CreateZExt(Neg, B.getInt64Ty());
    SignLen = B.CreateAnd(forget(SignLen), B.getInt64(1));
  }
  StringRef Prefix;
  if (Flags & runtime::FlagSpecial)
    Prefix = Base == 8 ? "0" : Base == 16 ? (Conv == 'X' ? "0X" : "0x") : "";
  Value *Count = emitDigits(Mag, Base, Conv == 'X');
  // Precision is a minimum digit count; a precision of 0 still prints "0".
  Value *Digits = B.CreateSelect(B.CreateICmpSGT(Prec, Count), Prec, Count);
  Value *Size = B.CreateSub(B.CreateSub(Width, SignLen),
                            B.getInt64(Prefix.size()));
  Size = forget(B.CreateSub(Size, Digits));
  Value *Zero0 = B.getInt64(0);
  bool HasWidth = !isNone(Width);
  if (HasWidth && !Zero)
    appendFill(' ', B.CreateSelect(Left, Zero0, Size));
  if (Signed)
    append(cell(TextCell), SignLen);
  appendLiteral(Prefix);
  Value *Zeros = B.CreateSub(Digits, Count);
  if (HasWidth && Zero)
    Zeros = B.CreateAdd(Zeros, B.CreateSelect(Left, Zero0, smax(B, Size, 0)));
  if ((HasWidth && Zero) || !isNone(Prec))
    appendFill('0', Zeros);
  Value *Off = B.CreateAnd(B.CreateSub(B.getInt64(DigitsSize), Count),
                           B.getInt64(DigitsSize - 1));
  append(B.CreateGEP(B.getInt8Ty(), cell(DigitsCell), Off), Count);
  if (HasWidth)
    appendFill(' ', B.CreateSelect(Left, Size, Zero0));
}

/// %c: the low byte; with '#' as a C escape (\n, \\, \') or \ooo when it
/// is not printable.
void FormatEmitter::emitChar(Value *V, bool Escape, Value *Left, Value *Width) {
  Value *C = B.CreateAnd(V, B.getInt64(0xff));
  Value *Len = B.getInt64(1);
  if (!Escape) {
    B.CreateStore(B.CreateTrunc(C, B.getInt8Ty()), cell(TextCell));
    return appendPadded(cell(TextCell), Len, Left, Width);
  }
  Len = emitCharEscape(B, C, cell(TextCell), '\'');
  appendPadded(cell(TextCell), B.CreateAnd(forget(Len), B.getInt64(7)), Left,
               Width);
}

/// %s; the '0' flag adds a NUL after the field, as stap's runtime does.
void FormatEmitter::emitStringConv(Value *S, unsigned Flags, Value *Left,
                                   Value *Width, Value *Prec) {
  if (isNone(Width)) {
    appendString(S, Prec);
  } else {
    // The padding depends on the length: measure it in a copy first.
    Value *T = temp(ProbeEmitter::Shared::Temp1);
    Value *Size = B.getInt64(N);
    if (!isNone(Prec))
      Size = umin(B, B.CreateAdd(Prec, B.getInt64(1)), Size);
    Value *R = B.createHelperCall(BPFHelper::ProbeReadKernelStr, B.getInt64Ty(),
                                  {T, B.CreateTrunc(Size, B.getInt32Ty()), S},
                                  "fmt.len");
    appendPadded(T, smax(B, B.CreateSub(R, B.getInt64(1)), 0), Left, Width);
  }
  if (Flags & runtime::FlagZeroPad)
    appendFill('\0', B.getInt64(1));
}

/// Hex pairs of Src[0, Bytes) into Out: a fixed-trip loop, so the
/// verifier walks it once.
void FormatEmitter::emitHex(Value *Src, Value *Out, unsigned Bytes) {
  LLVMContext &C = B.getContext();
  Constant *Table = CGM.getStringConstant("0123456789abcdef");
  BasicBlock *Pre = B.GetInsertBlock();
  auto *Loop = BasicBlock::Create(C, "fmt.hex", PE.Fn);
  auto *Done = BasicBlock::Create(C, "fmt.hex.done", PE.Fn);
  B.CreateBr(Loop);
  B.SetInsertPoint(Loop);
  PHINode *I = B.CreatePHI(B.getInt64Ty(), 2);
  I->addIncoming(B.getInt64(0), Pre);
  Value *Byte = B.CreateZExt(
      B.CreateLoad(B.getInt8Ty(), B.CreateGEP(B.getInt8Ty(), Src, I)),
      B.getInt64Ty());
  for (unsigned Half = 0; Half < 2; ++Half) {
    Value *Nibble = Half ? B.CreateAnd(Byte, B.getInt64(15))
                         : B.CreateLShr(Byte, 4);
    Value *Ch = B.CreateLoad(B.getInt8Ty(),
                             B.CreateGEP(B.getInt8Ty(), Table, Nibble));
    Value *At = B.CreateAdd(B.CreateShl(I, 1), B.getInt64(Half));
    B.CreateStore(Ch, B.CreateGEP(B.getInt8Ty(), Out, At));
  }
  Value *Next = B.CreateAdd(I, B.getInt64(1));
  I->addIncoming(Next, B.GetInsertBlock());
  B.createNoUnrollCondBr(B.CreateICmpULT(Next, B.getInt64(Bytes)), Loop, Done);
  B.SetInsertPoint(Done);
}

/// %m (the bytes at an address) and %M (them in hex): max(precision, 1)
/// bytes, user memory with '#'.
void FormatEmitter::emitMemory(Value *Addr, char Conv, unsigned Flags,
                               Value *Left, Value *Width, Value *Prec) {
  Value *Src = temp(ProbeEmitter::Shared::Temp1);
  Value *Len = PE.emitMemoryRead(Src, Addr, Prec,
                                 Flags & runtime::FlagSpecial, Loc);
  if (Conv == 'M') {
    // Only the bytes whose hex fits in the result are converted.
    unsigned Bytes = N / 2;
    if (auto *C = dyn_cast<ConstantInt>(Prec))
      Bytes = std::clamp<int64_t>(C->getSExtValue(), 1, Bytes);
    Value *Hex = temp(ProbeEmitter::Shared::Temp2);
    emitHex(Src, Hex, Bytes);
    Src = Hex;
    Len = B.CreateShl(Len, 1);
  }
  appendPadded(Src, Len, Left, Width);
  if (Flags & runtime::FlagZeroPad)
    appendFill('\0', B.getInt64(1));
}

/// %b: the low 1, 2, 4 or 8 bytes of the value (precision, else width,
/// else 8), NUL-padded to the width.
void FormatEmitter::emitBinary(Value *V, Value *Left, Value *Width,
                               Value *Prec) {
  auto Valid = [&](Value *X) {
    Value *R = B.getFalse();
    for (int Size : {1, 2, 4, 8})
      R = B.CreateOr(R, B.CreateICmpEQ(X, B.getInt64(Size)));
    return R;
  };
  Value *Bytes = B.CreateSelect(
      Valid(Prec), Prec,
      B.CreateSelect(Valid(Width), Width, B.getInt64(8)));
  Bytes = B.CreateAnd(forget(Bytes), B.getInt64(15));
  Value *W = isNone(Width) ? Bytes : Width;
  B.CreateStore(V, cell(TextCell));
  Value *Pad = forget(B.CreateSub(W, Bytes));
  Value *Zero0 = B.getInt64(0);
  appendFill('\0', B.CreateSelect(Left, Zero0, Pad));
  append(cell(TextCell), Bytes);
  appendFill('\0', B.CreateSelect(Left, Pad, Zero0));
}

Value *FormatEmitter::emit(const runtime::Format &F,
                           function_ref<Value *(unsigned)> ArgAt) {
  storePos(B.getInt64(0));
  std::string Text;
  size_t Next = 0;
  for (const FormatPiece &P : F.pieces()) {
    if (P.Conversion == 0 || P.Conversion == '%' ||
        !StringRef("diuxXopcbsmM").contains(P.Conversion)) {
      Text += P.Conversion == '%' ? StringRef("%") : StringRef(P.Literal);
      continue;
    }
    appendLiteral(Text);
    Text.clear();
    Value *Left = B.getInt1(P.Flags & runtime::FlagLeft);
    Value *Width = B.getInt64(P.Width);
    if (P.Width == runtime::FromArgument) {
      auto [W, Neg] = emitStarWidth(B, ArgAt(Next++));
      Width = W;
      Left = B.CreateOr(Left, Neg);
    }
    Value *Prec = B.getInt64(P.Precision);
    if (P.Precision == runtime::FromArgument)
      Prec = emitStarPrecision(B, ArgAt(Next++));
    Value *Arg = ArgAt(Next++);
    switch (P.Conversion) {
    case 's':
      emitStringConv(Arg, P.Flags, Left, Width, Prec);
      break;
    case 'm':
    case 'M':
      emitMemory(Arg, P.Conversion, P.Flags, Left, Width, Prec);
      break;
    case 'c':
      emitChar(Arg, P.Flags & runtime::FlagSpecial, Left, Width);
      break;
    case 'b':
      emitBinary(Arg, Left, Width, Prec);
      break;
    default:
      emitNumber(Arg, P.Conversion, P.Flags, Left, Width, Prec);
      break;
    }
  }
  appendLiteral(Text);
  B.CreateStore(B.getInt8(0), B.CreateGEP(B.getInt8Ty(), Dst, loadPos()));
  return Dst;
}

Value *ProbeEmitter::emitFormat(StringRef Format, ArrayRef<Value *> Args,
                                SMLoc Loc) {
  return emitFormatLazy(Format, [&](unsigned I) { return Args[I]; }, Loc);
}

Value *ProbeEmitter::emitFormatLazy(StringRef Format,
                                    function_ref<Value *(unsigned)> ArgAt,
                                    SMLoc Loc) {
  runtime::Format F = runtime::Format::parse({Format.data(), Format.size()});
  return FormatEmitter(*this, Loc).emit(F, ArgAt);
}
