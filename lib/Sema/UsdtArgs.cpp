//===- UsdtArgs.cpp - SDT marker argument specs (x86-64) ------------------===//
//
// `<sys/sdt.h>` describes each marker argument as `[-]SIZE@OPERAND` in
// AT&T syntax: `%reg`, `$imm`, `disp(%reg)`, `sym+disp(%rip)`. A negative
// SIZE is a signed value.
//
//===----------------------------------------------------------------------===//
#include "stapc/Sema/UserProbe.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/Twine.h"

#include <cstdlib>

using namespace stapc;
using llvm::StringRef;
using llvm::Twine;

namespace {
struct RegName {
  int Offset;     // in x86-64's struct pt_regs
  unsigned Bytes; // 1, 2, 4 or 8
  bool High;      // %ah..%dh
};

/// AT&T register names (without '%') to pt_regs slots.
std::optional<RegName> lookupRegister(StringRef N) {
  // Legacy registers: 64, 32, 16 and low/high 8-bit names.
  struct Legacy {
    const char *Names[5];
    int Offset;
  };
  static const Legacy Table[] = {
      {{"rax", "eax", "ax", "al", "ah"}, 80}, {{"rbx", "ebx", "bx", "bl", "bh"}, 40},
      {{"rcx", "ecx", "cx", "cl", "ch"}, 88}, {{"rdx", "edx", "dx", "dl", "dh"}, 96},
      {{"rsi", "esi", "si", "sil", ""}, 104}, {{"rdi", "edi", "di", "dil", ""}, 112},
      {{"rbp", "ebp", "bp", "bpl", ""}, 32},  {{"rsp", "esp", "sp", "spl", ""}, 152},
  };
  static const unsigned Widths[] = {8, 4, 2, 1, 1};
  for (const Legacy &L : Table)
    for (unsigned I = 0; I < 5; ++I)
      if (*L.Names[I] && N == L.Names[I])
        return RegName{L.Offset, Widths[I], I == 4};
  // r8..r15 with the d/w/b suffixes.
  static const int NumberedOffsets[] = {72, 64, 56, 48, 24, 16, 8, 0};
  if (N.consume_front("r")) {
    unsigned Num = 0;
    size_t Digits = 0;
    while (Digits < N.size() && isdigit(static_cast<unsigned char>(N[Digits])))
      Num = Num * 10 + (N[Digits++] - '0');
    if (Digits == 0 || Num < 8 || Num > 15)
      return std::nullopt;
    unsigned Bytes = llvm::StringSwitch<unsigned>(N.drop_front(Digits))
                         .Case("", 8).Case("d", 4).Case("w", 2).Case("b", 1)
                         .Default(0);
    if (!Bytes)
      return std::nullopt;
    return RegName{NumberedOffsets[Num - 8], Bytes, false};
  }
  return std::nullopt;
}

bool parseInteger(StringRef S, int64_t &V) {
  bool Neg = S.consume_front("-");
  S.consume_front("+");
  uint64_t U;
  if (S.empty() || S.getAsInteger(0, U))
    return false;
  V = Neg ? -int64_t(U) : int64_t(U);
  return true;
}
} // namespace

UsdtArg stapc::parseUsdtArg(
    StringRef Spec,
    const std::function<bool(StringRef, uint64_t &)> &LookupSymbol) {
  UsdtArg A;
  A.Spec = Spec.str();
  auto Invalid = [&](const Twine &Why) {
    A.Kind = UsdtArg::Invalid;
    A.Error = Why.str();
    return A;
  };
  StringRef Op = Spec;
  size_t At = Spec.find('@');
  if (At != StringRef::npos) {
    int64_t Size;
    if (!parseInteger(Spec.take_front(At), Size) || Size == 0 ||
        (std::abs(Size) != 1 && std::abs(Size) != 2 && std::abs(Size) != 4 &&
         std::abs(Size) != 8))
      return Invalid("bad size in '" + Spec + "'");
    A.Signed = Size < 0;
    A.Size = unsigned(std::abs(Size));
    Op = Spec.drop_front(At + 1);
  }
  if (Op.consume_front("$")) {
    if (!parseInteger(Op, A.Value))
      return Invalid("bad constant in '" + Spec + "'");
    A.Kind = UsdtArg::Constant;
    return A;
  }
  if (Op.consume_front("%")) {
    std::optional<RegName> R = lookupRegister(Op);
    if (!R)
      return Invalid("unknown register '%" + Op + "'");
    A.Kind = UsdtArg::Register;
    A.RegOffset = R->Offset;
    A.RegBytes = R->Bytes;
    A.HighByte = R->High;
    if (At == StringRef::npos)
      A.Size = R->Bytes;
    return A;
  }
  // disp(%base) or sym[+-disp](%rip)
  size_t Open = Op.find('(');
  if (Open == StringRef::npos || !Op.ends_with(")"))
    return Invalid("unsupported operand '" + Op + "'");
  StringRef Disp = Op.take_front(Open);
  StringRef Base = Op.slice(Open + 1, Op.size() - 1);
  if (Base.contains(','))
    return Invalid("indexed operand '" + Op + "' is not supported");
  if (!Base.consume_front("%"))
    return Invalid("unsupported operand '" + Op + "'");
  A.Kind = UsdtArg::Memory;
  if (Base == "rip") {
    // The symbol's link-time address plus the offset; the load bias is
    // added at run time.
    size_t Sign = Disp.find_first_of("+-", 1);
    StringRef Sym = Disp.take_front(Sign), Off = Sign == StringRef::npos ? "" : Disp.drop_front(Sign);
    uint64_t Addr = 0;
    int64_t Extra = 0;
    if (Sym.empty() || !LookupSymbol(Sym, Addr))
      return Invalid("symbol '" + Sym + "' of '" + Op + "' not found");
    if (!Off.empty() && !parseInteger(Off, Extra))
      return Invalid("bad offset in '" + Op + "'");
    A.RipRelative = true;
    A.Value = int64_t(Addr) + Extra;
    return A;
  }
  std::optional<RegName> R = lookupRegister(Base);
  if (!R || R->Bytes != 8)
    return Invalid("unsupported base register in '" + Op + "'");
  A.RegOffset = R->Offset;
  if (!Disp.empty() && !parseInteger(Disp, A.Value))
    return Invalid("bad displacement in '" + Op + "'");
  return A;
}
